package server

import (
	"context"
	"errors"
	"net/http"
	"time"

	"github.com/wxads/wxads"
)

// readyTimeout bounds each backend's answer to a readiness probe.
const readyTimeout = 2 * time.Second

type pinger interface{ Ping(context.Context) error }

// getReady is GET /readyz (SPEC §2): 200 while every backend the server
// needs answers, else 503 naming the first that does not. The database is
// asked a cheap read (any backend can answer it); Redis, when it holds the
// nonces, a PING.
func (s *Server) getReady(w http.ResponseWriter, r *http.Request) {
	checks := []struct {
		name string
		fn   func(context.Context) error
	}{{"database", func(ctx context.Context) error {
		_, err := s.cfg.Stores.Advertiser(ctx, 0)
		if errors.Is(err, wxads.ErrNotFound) {
			err = nil
		}
		return err
	}}}
	if p, ok := s.cfg.Nonces.(pinger); ok {
		checks = append(checks, struct {
			name string
			fn   func(context.Context) error
		}{"redis", p.Ping})
	}
	for _, c := range checks {
		ctx, cancel := context.WithTimeout(r.Context(), readyTimeout)
		err := c.fn(ctx)
		cancel()
		if err != nil {
			s.log.Warn("not ready", "backend", c.name, "err", err)
			writeJSON(w, http.StatusServiceUnavailable, map[string]string{"status": "unavailable", "failing": c.name,
				"error": c.name + " does not answer"})
			return
		}
	}
	writeJSON(w, http.StatusOK, map[string]string{"status": "ok"})
}
