package main

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"net/http"
	"time"

	"github.com/wxads/wxads/server"
)

const (
	// DefaultMaxConns is --max-conns: enough for every client of a busy
	// node, few enough that each holding its buffers stays bounded.
	DefaultMaxConns = 4096
	// MinAdminTokenLen is the shortest --admin-token accepted: the admin
	// token can do everything, and a short one is guessable.
	MinAdminTokenLen = 16
	// shutdownGrace is how long SIGTERM waits for connections to finish
	// before closing the stragglers (stalled or slow clients); longer than
	// the body grace, so a client that is sending at all gets its answer.
	shutdownGrace = 10 * time.Second
	// drainTimeout bounds the wait for handlers still running after that.
	drainTimeout = 30 * time.Second
)

// newHTTPServer sets the timeouts that bound a slow client: 5 s for the
// headers, the body paced by server.Limits (a 1 MiB upload may take 21 s),
// and a 30 s ceiling on the whole read.
func newHTTPServer(h http.Handler) *http.Server {
	return &http.Server{Handler: h, ReadHeaderTimeout: 5 * time.Second, ReadTimeout: 30 * time.Second,
		WriteTimeout: time.Minute, IdleTimeout: time.Minute, MaxHeaderBytes: 64 << 10}
}

// listen opens the listening socket with the connection cap, and TLS when
// configured; without TLS beyond loopback it warns: tokens, secrets and the
// admin token would cross the network in clear.
func (m *Main) listen() (net.Listener, string, error) {
	c := m.Config
	ln, err := net.Listen("tcp", c.Addr)
	if err != nil {
		return nil, "", err
	}
	ln = server.LimitListener(ln, c.MaxConns)
	scheme := "http"
	if c.TLSCert != "" {
		cert, err := tls.LoadX509KeyPair(c.TLSCert, c.TLSKey)
		if err != nil {
			ln.Close()
			return nil, "", fmt.Errorf("--tls-cert/--tls-key: %w", err)
		}
		ln = tls.NewListener(ln, &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12})
		scheme = "https"
	} else if ap, ok := ln.Addr().(*net.TCPAddr); ok && !ap.IP.IsLoopback() {
		m.Log.Warn("listening beyond loopback without TLS: access tokens, app secrets and the admin token "+
			"cross the network in clear; give --tls-cert and --tls-key, or put a TLS proxy in front",
			"addr", ln.Addr().String())
	}
	return ln, scheme + "://" + ln.Addr().String(), nil
}

// shutdown stops accepting and waits for in-flight requests. Connections
// still open after shutdownGrace (a client stalled mid-request, which the
// body pace has not yet cut) are closed; then the handlers still running
// are waited for, so that nothing acknowledged is cut off before the store
// closes. Only handlers that outlive drainTimeout make it an error.
func (m *Main) shutdown() error {
	ctx, cancel := context.WithTimeout(context.Background(), shutdownGrace)
	defer cancel()
	err := m.http.Shutdown(ctx)
	if errors.Is(err, context.DeadlineExceeded) {
		m.Log.Warn("shutdown: closing connections still open after the grace", "grace", shutdownGrace.String())
		err = m.http.Close()
	}
	if serr := <-m.serve; !errors.Is(serr, http.ErrServerClosed) {
		err = errors.Join(err, serr)
	}
	deadline := time.Now().Add(drainTimeout)
	for m.srv != nil {
		n, _ := m.srv.InFlight()
		if n == 0 {
			break
		}
		if time.Now().After(deadline) {
			return errors.Join(err, fmt.Errorf("shutdown: %d requests still running after %s", n, drainTimeout))
		}
		time.Sleep(20 * time.Millisecond)
	}
	return err
}
