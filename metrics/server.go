package metrics

import (
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// routeTable resolves a route's label children once: the request path does
// one lock-free map read and no allocation. Routes are the server's patterns
// (a few dozen) and errcodes come from the registry, so the maps stay small;
// a new route or errcode copies its map under the lock.
type routeTable struct {
	mu     sync.Mutex
	routes atomic.Pointer[map[string]*route]
}

type route struct {
	latency prometheus.Observer
	ok      prometheus.Counter // errcode 0, the common case
	codes   atomic.Pointer[map[int]prometheus.Counter]
}

func (m *Registry) route(name string) *route {
	if p := m.routes.routes.Load(); p != nil {
		if r := (*p)[name]; r != nil {
			return r
		}
	}
	t := &m.routes
	t.mu.Lock()
	defer t.mu.Unlock()
	old := map[string]*route{}
	if p := t.routes.Load(); p != nil {
		if r := (*p)[name]; r != nil {
			return r
		}
		old = *p
	}
	r := &route{latency: m.latency.WithLabelValues(name), ok: m.requests.WithLabelValues(name, "0")}
	next := make(map[string]*route, len(old)+1)
	for k, v := range old {
		next[k] = v
	}
	next[name] = r
	t.routes.Store(&next)
	return r
}

func (m *Registry) code(r *route, name string, code int) prometheus.Counter {
	if p := r.codes.Load(); p != nil {
		if c := (*p)[code]; c != nil {
			return c
		}
	}
	t := &m.routes
	t.mu.Lock()
	defer t.mu.Unlock()
	old := map[int]prometheus.Counter{}
	if p := r.codes.Load(); p != nil {
		if c := (*p)[code]; c != nil {
			return c
		}
		old = *p
	}
	c := m.requests.WithLabelValues(name, strconv.Itoa(code))
	next := make(map[int]prometheus.Counter, len(old)+1)
	for k, v := range old {
		next[k] = v
	}
	next[code] = c
	r.codes.Store(&next)
	return c
}

// Request records one answered request: route is the matched pattern's path
// ("" when none matched), errcode the platform code it carried.
func (m *Registry) Request(routeName string, errcode int, d time.Duration) {
	if m == nil {
		return
	}
	if routeName == "" {
		routeName = "unmatched"
	}
	r := m.route(routeName)
	r.latency.Observe(d.Seconds())
	if errcode == 0 {
		r.ok.Inc()
	} else {
		m.code(r, routeName, errcode).Inc()
	}
}

// InternalError counts a request answered -1 for an unexpected error.
func (m *Registry) InternalError(routeName string) {
	if m != nil {
		m.internal.WithLabelValues(routeName).Inc()
	}
}

// TokenIssued counts an access token handed out by route.
func (m *Registry) TokenIssued(routeName string) {
	if m != nil {
		m.tokens.WithLabelValues(routeName).Inc()
	}
}

// ServerSources installs what the server reports at scrape time: requests
// and body bytes in flight, their caps, and the inspector's dropped records.
func (m *Registry) ServerSources(inFlight, limits func() (requests, bytes int64), inspectorDropped func() int64) {
	if m == nil {
		return
	}
	m.inFlight.Store(&inFlight)
	m.limits.Store(&limits)
	m.inspDrops.Store(&inspectorDropped)
}
