package main

import (
	"context"
	"net"
	"net/http"
	"time"

	"github.com/wxads/wxads/metrics"
	"github.com/wxads/wxads/server"
)

// newMetrics is the registry the server and the store report to; the store
// gets it before the first ingest.
func (m *Main) newMetrics() *metrics.Registry {
	reg := metrics.New()
	if s, ok := m.db.(interface{ SetMetrics(*metrics.Registry) }); ok {
		s.SetMetrics(reg)
	}
	return reg
}

// startMetrics serves GET /metrics on its own listener (--metrics-addr), to
// whoever reaches it: bind it to an interface only the scraper can reach.
func (m *Main) startMetrics(addr string, reg *metrics.Registry) error {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return err
	}
	mux := http.NewServeMux()
	mux.Handle("GET /metrics", server.MetricsHandler(reg))
	m.metrics = &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	m.metricsAt = ln.Addr().String()
	go m.metrics.Serve(ln)
	m.Log.Info("metrics listening", "addr", m.metricsAt, "url", "http://"+m.metricsAt+"/metrics")
	return nil
}

// MetricsAddr is the address of the --metrics-addr listener, "" when off.
func (m *Main) MetricsAddr() string {
	if m.metrics == nil {
		return ""
	}
	return m.metricsAt
}

func (m *Main) stopMetrics() error {
	if m.metrics == nil {
		return nil
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	err := m.metrics.Shutdown(ctx)
	m.metrics = nil
	return err
}
