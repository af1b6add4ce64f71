package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/wxads/wxads"
	"github.com/wxads/wxads/inmem"
	"github.com/wxads/wxads/redis"
	"github.com/wxads/wxads/relay"
	"github.com/wxads/wxads/server"
)

// Main is `wxads serve`: ParseFlags, Run, Close.
type Main struct {
	Config Config
	Stdout io.Writer
	Stderr io.Writer
	Log    *slog.Logger

	db    backend
	data  *dataDir
	srv   *server.Server
	redis *redis.NonceStore
	ln    net.Listener
	http  *http.Server
	serve chan error

	pprof     *http.Server // --pprof-addr, nil when off (pprof.go)
	pprofAddr string
	metrics   *http.Server // --metrics-addr, nil when on the API's port (metricsaddr.go)
	metricsAt string
	relay     *relay.Relay // --upstream, nil when off (relay.go)

	// authBus tells every node of a token-cache invalidation (with --redis).
	authBus *redis.AuthBus
}

// NewMain returns a Main with the default config, logging JSON to stderr.
func NewMain(stdout, stderr io.Writer) *Main {
	return &Main{Config: DefaultConfig(), Stdout: stdout, Stderr: stderr,
		Log: slog.New(slog.NewJSONHandler(stderr, nil))}
}

// Run opens the store, starts listening and serving, and returns; the
// server runs until Close.
func (m *Main) Run(ctx context.Context) error {
	c := m.Config
	if err := c.checkShared(); err != nil {
		return err
	}
	applyMemoryLimit(c.MemoryLimitMiB)
	data, err := openDataDir(c.Data)
	if err != nil {
		return err
	}
	m.data = data
	adminToken, err := m.secretFile(c.AdminToken, "admin-token", "admin token")
	if err != nil {
		return err
	}
	serverKey, err := m.secretFile(c.ServerKey, "server.key", "server key")
	if err != nil {
		return err
	}
	if m.db, err = m.openBackend(ctx); err != nil {
		return err
	}
	if err := m.data.private(); err != nil { // the files SQLite just created
		return err
	}
	m.db.SetAttributionWindow(int64(c.AttributionWindow / time.Second))
	reg := m.newMetrics()
	var clock wxads.Clock = wxads.SystemClock{}
	var fake *wxads.FakeClock
	if c.FakeClock {
		fake = &wxads.FakeClock{}
		clock = fake
	}
	var nonces wxads.NonceStore = inmem.NewNonceStore(clock)
	if c.Redis != "" {
		if m.redis, err = redis.Open(ctx, c.Redis); err != nil {
			return err
		}
		nonces = m.redis
	}
	var counters wxads.WindowCounter
	if m.redis != nil {
		counters = m.redis.Counter("wxads:limit:")
	}
	cfg := server.Config{
		Stores:         m.db,
		Nonces:         nonces,
		Counters:       counters,
		AdminToken:     adminToken,
		ServerKey:      []byte(serverKey),
		TrustedProxies: c.TrustedProxies,
		Logger:         m.Log,
		Metrics:        reg,
		// With --metrics-addr, GET /metrics is served there and not here.
		MetricsElsewhere: c.MetricsAddr != "",
		OAuthLimits:      c.OAuthLimits,
	}
	cfg.FakeClock = fake
	if m.redis != nil {
		m.authBus = m.redis.AuthBus("wxads:auth", 0)
		m.authBus.Log = m.Log
		cfg.AuthBus = m.authBus
	}
	if cfg.Forwarder, err = m.openRelay(m.db, reg); err != nil {
		return err
	}
	m.srv = server.New(cfg)
	var base string
	if m.ln, base, err = m.listen(); err != nil {
		return err
	}
	m.http = newHTTPServer(m.srv)
	if c.PprofAddr != "" {
		if err := m.startPprof(c.PprofAddr); err != nil {
			return fmt.Errorf("--pprof-addr: %w", err)
		}
	}
	if c.MetricsAddr != "" {
		if err := m.startMetrics(c.MetricsAddr, reg); err != nil {
			return fmt.Errorf("--metrics-addr: %w", err)
		}
	}
	m.serve = make(chan error, 1)
	go func() { m.serve <- m.http.Serve(m.ln) }()
	m.Log.Info("listening", "addr", m.ln.Addr().String(), "data", c.Data, "healthz", base+"/healthz")
	if c.Demo {
		demo, err := seedDemo(ctx, m.db, clock, c.Data)
		if err != nil {
			return fmt.Errorf("demo: %w", err)
		}
		// The traffic first: it makes the v3.0 set the banner names.
		if err := demo.sendTraffic(ctx, base, clock.Now()); err != nil {
			m.Log.Warn("demo: the first API calls failed; the inspector starts empty", "err", err)
		}
		demo.print(m.Stdout, base, clock.Now())
	}
	return nil
}

// Addr is the address the server listens on (useful with port 0).
func (m *Main) Addr() string { return m.ln.Addr().String() }

// Close stops accepting, finishes in-flight requests, flushes and closes the
// store. Calling it again does nothing.
func (m *Main) Close() error {
	errs := []error{m.stopPprof(), m.stopMetrics()}
	if m.http != nil {
		errs = append(errs, m.shutdown())
		m.http = nil
	}
	errs = append(errs, m.closeRelay())
	if m.srv != nil {
		// Writes out the inspector's queued records while the store is open.
		errs = append(errs, m.srv.Close())
		m.srv = nil
	}
	if m.db != nil {
		errs = append(errs, m.db.Close())
		m.db = nil
	}
	if m.authBus != nil {
		m.authBus.Close()
		m.authBus = nil
	}
	if m.redis != nil {
		errs = append(errs, m.redis.Close())
		m.redis = nil
	}
	if m.data != nil {
		m.data.close()
		m.data = nil
	}
	return errors.Join(errs...)
}

// secretFile returns value if set, else the secret kept in DATA/name,
// generating it (mode 0600) on first use.
func (m *Main) secretFile(value, name, what string) (string, error) {
	if value != "" {
		return value, nil
	}
	path := filepath.Join(m.Config.Data, name)
	if b, err := os.ReadFile(path); err == nil && len(strings.TrimSpace(string(b))) > 0 {
		m.Log.Info("using "+what+" from file", "path", path)
		return strings.TrimSpace(string(b)), nil
	} else if err != nil && !errors.Is(err, os.ErrNotExist) {
		return "", err
	}
	b := make([]byte, 32)
	rand.Read(b)
	secret := hex.EncodeToString(b)
	if err := os.WriteFile(path, []byte(secret+"\n"), 0o600); err != nil {
		return "", err
	}
	m.Log.Info("generated "+what, "path", path)
	return secret, nil
}
