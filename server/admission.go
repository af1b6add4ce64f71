package server

import (
	"context"
	"errors"
	"io"
	"net/http"
	"os"
	"strings"
	"sync/atomic"
	"time"

	"github.com/wxads/wxads"
)

// Admission defaults. Uploads are decoded in memory at about six times their
// size (measured: 500 clients posting 1 MiB batches held ~105 MB of live
// heap under a 16 MiB budget, ~225 MB under 64 MiB), so the byte budget is
// what bounds the heap under a flood of large batches; 16 MiB still admits a
// thousand ordinary 50-action batches at once. The request cap bounds
// goroutines and store work.
const (
	DefaultMaxInFlight      = 1024
	DefaultMaxInFlightBytes = 16 << 20
	// TokenBodyLimit is stable_token's body limit: its four members fit
	// in a few hundred bytes.
	TokenBodyLimit = 4 << 10
	// BodyGrace and MinBodyRate bound how long a body may take: a 1 MiB
	// upload gets BodyGrace + 16 s, a client that stalls BodyGrace.
	BodyGrace   = 5 * time.Second
	MinBodyRate = 64 << 10 // bytes a second
)

// Limits bound what the server holds at once. Zero values get defaults.
type Limits struct {
	MaxInFlight      int64 // requests being served, health checks aside
	MaxInFlightBytes int64 // request body bytes reserved by requests being served
	BodyGrace        time.Duration
	MinBodyRate      int64
}

func (l *Limits) defaults() {
	if l.MaxInFlight == 0 {
		l.MaxInFlight = DefaultMaxInFlight
	}
	if l.MaxInFlightBytes == 0 {
		l.MaxInFlightBytes = DefaultMaxInFlightBytes
	}
	if l.BodyGrace == 0 {
		l.BodyGrace = BodyGrace
	}
	if l.MinBodyRate == 0 {
		l.MinBodyRate = MinBodyRate
	}
}

// admission counts what is in flight. Past a cap a request is answered at
// once with -1 "system busy" (and Retry-After), never queued: a queue only
// moves the memory and the latency somewhere less visible.
type admission struct {
	limits   Limits
	requests atomic.Int64
	bytes    atomic.Int64
}

type ticketKey struct{}

// ticket is one admitted request's share of the byte budget, and whether
// its body was read to the end.
type ticket struct {
	bytes    int64
	bodyDone bool
}

func bodyRead(r *http.Request) {
	if t, _ := r.Context().Value(ticketKey{}).(*ticket); t != nil {
		t.bodyDone = true
	}
}

// closeIfBodyUnread ends the connection after an answer given before the
// body was read (a cheap check refused it, or it was too large or too
// slow). Otherwise net/http would first read up to 256 KiB of the rest to
// keep the connection, waiting on a client that may never send it.
func closeIfBodyUnread(w http.ResponseWriter, r *http.Request) {
	if r.Body == nil || r.Body == http.NoBody || r.ContentLength == 0 {
		return
	}
	if t, _ := r.Context().Value(ticketKey{}).(*ticket); t != nil && t.bodyDone {
		return
	}
	w.Header().Set("Connection", "close")
}

// errBusy is the answer past a cap: the registry's -1, which the SDK and
// the seeds treat as "retry later".
var errBusy = wxads.Literal(wxads.CodeSystemBusy, "system busy: the server is at its limit of requests in flight, retry later")

// errSlowBody is a body that did not arrive at the minimum rate: HTTP 408.
var errSlowBody = wxads.Literal(wxads.CodeSystemBusy, "request body not received in time (slower than the minimum rate)")

// admit bounds the requests in flight. Health and readiness probes pass
// uncounted, so a saturated node still reports itself alive.
func (s *Server) admit(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/healthz" || r.URL.Path == "/readyz" {
			next.ServeHTTP(w, r)
			return
		}
		a := &s.adm
		if a.requests.Add(1) > a.limits.MaxInFlight {
			a.requests.Add(-1)
			s.busy(w, r)
			return
		}
		t := &ticket{}
		defer func() {
			a.bytes.Add(-t.bytes)
			a.requests.Add(-1)
		}()
		next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), ticketKey{}, t)))
	})
}

func (s *Server) busy(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Retry-After", "1")
	a := apiWeChat
	if strings.HasPrefix(r.URL.Path, "/v1.1/") {
		a = apiTencent
	}
	s.writeError(w, r, a, errBusy)
}

// reserve takes n bytes of the body budget for the request; false when the
// budget cannot hold them.
func (s *Server) reserve(r *http.Request, n int64) bool {
	t, _ := r.Context().Value(ticketKey{}).(*ticket)
	if t == nil {
		return true // not admitted through admit (a test calling a handler directly)
	}
	a := &s.adm
	if a.bytes.Add(n) > a.limits.MaxInFlightBytes {
		a.bytes.Add(-n)
		return false
	}
	t.bytes += n
	return true
}

// InFlight reports the requests and reserved body bytes being served.
func (s *Server) InFlight() (requests, bytes int64) {
	return s.adm.requests.Load(), s.adm.bytes.Load()
}

// paceBody makes a body read fail once it falls behind the minimum rate:
// each read may finish no later than grace + (bytes so far + this read) /
// rate after the body started. A client that stalls holds its connection
// and its reservation for BodyGrace, not for the server's read timeout.
type paceBody struct {
	body     io.ReadCloser
	rc       *http.ResponseController
	start    time.Time
	grace    time.Duration
	rate     int64
	n        int64
	timedOut bool
}

func (p *paceBody) Close() error { return p.body.Close() }

func (p *paceBody) Read(b []byte) (int, error) {
	if len(b) > int(p.rate) {
		b = b[:p.rate]
	}
	due := p.start.Add(p.grace + time.Duration(float64(p.n+int64(len(b)))/float64(p.rate)*float64(time.Second)))
	if err := p.rc.SetReadDeadline(due); err != nil {
		// A writer without deadlines (httptest recorder): read unpaced.
		return p.body.Read(b)
	}
	n, err := p.body.Read(b)
	p.n += int64(n)
	if errors.Is(err, os.ErrDeadlineExceeded) {
		p.timedOut = true
	}
	return n, err
}
