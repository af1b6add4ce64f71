package server

import (
	"net/http"

	"github.com/wxads/wxads/metrics"
)

// startMetrics gives the registry what it reads at scrape time.
func (s *Server) startMetrics() {
	s.cfg.Metrics.ServerSources(s.InFlight,
		func() (int64, int64) { return s.adm.limits.MaxInFlight, s.adm.limits.MaxInFlightBytes },
		func() int64 { return s.InspectorStats().Dropped })
}

// observe records an answered request (logRequests): one lock-free look-up
// of the route's pre-resolved metrics, no allocation.
func (s *Server) observe(rec *record) {
	m := s.cfg.Metrics
	if m == nil {
		return
	}
	m.Request(rec.route, rec.errcode, rec.end.Sub(rec.start))
	switch {
	case rec.internal:
		m.InternalError(rec.route)
	case rec.errcode == 0 && rec.status == http.StatusOK && issuesTokens(rec.route):
		m.TokenIssued(rec.route)
	}
}

func issuesTokens(route string) bool {
	switch route {
	case "/cgi-bin/token", "/cgi-bin/stable_token", "/oauth/token":
		return true
	}
	return false
}

// getMetrics serves the Prometheus metrics on the API's port to loopback
// callers only (a scraper on the same host, or an SSH tunnel): route names,
// error rates and sizes are the operator's, not the internet's. With
// --metrics-addr they are served there instead, and here is a 404.
func (s *Server) getMetrics(w http.ResponseWriter, r *http.Request) {
	if s.cfg.Metrics == nil || s.cfg.MetricsElsewhere || !clientIP(r, s.cfg.TrustedProxies).IsLoopback() {
		s.writeError(w, r, apiWeChat, errNotFoundPath)
		return
	}
	s.cfg.Metrics.Handler().ServeHTTP(w, r)
}

// MetricsHandler serves the metrics to anyone who reaches it: mount it on the
// private --metrics-addr listener, never on the API's.
func MetricsHandler(m *metrics.Registry) http.Handler {
	if m == nil {
		return http.NotFoundHandler()
	}
	return m.Handler()
}
