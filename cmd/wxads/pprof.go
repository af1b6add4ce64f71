package main

import (
	"context"
	"net"
	"net/http"
	"net/http/pprof"
	"time"
)

// startPprof serves Go's profiler (net/http/pprof) on its own listener at
// addr, never on the API's: profiles show request data and cost CPU, so
// they are off unless --pprof-addr is given, and reachable only where the
// operator binds them (a loopback address unless they mean otherwise).
func (m *Main) startPprof(addr string) error {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return err
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/debug/pprof/", pprof.Index)
	mux.HandleFunc("/debug/pprof/cmdline", pprof.Cmdline)
	mux.HandleFunc("/debug/pprof/profile", pprof.Profile)
	mux.HandleFunc("/debug/pprof/symbol", pprof.Symbol)
	mux.HandleFunc("/debug/pprof/trace", pprof.Trace)
	m.pprof = &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	m.pprofAddr = ln.Addr().String()
	go m.pprof.Serve(ln)
	if host, _, _ := net.SplitHostPort(ln.Addr().String()); !net.ParseIP(host).IsLoopback() {
		m.Log.Warn("pprof listens beyond loopback: anyone reaching it can read profiles", "addr", ln.Addr().String())
	}
	m.Log.Info("pprof listening", "addr", ln.Addr().String(), "url", "http://"+ln.Addr().String()+"/debug/pprof/")
	return nil
}

// PprofAddr is the address the profiler listens on, "" when off.
func (m *Main) PprofAddr() string {
	if m.pprof == nil {
		return ""
	}
	return m.pprofAddr
}

func (m *Main) stopPprof() error {
	if m.pprof == nil {
		return nil
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	err := m.pprof.Shutdown(ctx)
	m.pprof = nil
	return err
}
