package main

import (
	"errors"
	"flag"
	"fmt"
	"net/netip"
	"os"
	"strings"
	"time"

	"github.com/wxads/wxads"
	"github.com/wxads/wxads/server"
)

// Config is everything `wxads serve` is told (SPEC §2).
type Config struct {
	Addr              string
	Data              string
	DB                string
	Redis             string
	AdminToken        string
	ServerKey         string
	TrustedProxies    []netip.Prefix
	AttributionWindow time.Duration
	Demo              bool
	FakeClock         bool
	// SingleNode lets --db postgres:// run without --redis: this node is
	// the only one, so its in-memory nonces and generated keys are enough.
	SingleNode bool
	// TLSCert and TLSKey (PEM files) make the server speak HTTPS.
	TLSCert, TLSKey string
	// MaxConns caps open connections; more wait in the kernel's backlog.
	MaxConns int
	// MemoryLimitMiB is the Go runtime's soft memory limit (0: none). The
	// admission caps bound what requests hold; this makes the collector
	// return their garbage before the heap doubles past it.
	MemoryLimitMiB int
	// PprofAddr, when set, serves net/http/pprof on its own listener.
	PprofAddr string
	// MetricsAddr, when set, serves GET /metrics there instead of on Addr
	// (where only loopback callers get it).
	MetricsAddr string
	// Upstream, when its URL is set, makes the server a relay (relay.go).
	Upstream UpstreamConfig
	// OAuthLimits bound the calls of OAuth tokens (oauthlimits.go).
	OAuthLimits server.OAuthLimits
}

// DefaultConfig is what `wxads serve` runs with when told nothing.
func DefaultConfig() Config {
	return Config{
		Addr:              "127.0.0.1:8080",
		Data:              "./wxads-data",
		AttributionWindow: wxads.DefaultAttributionWindow * time.Second,
		MaxConns:          DefaultMaxConns,
		MemoryLimitMiB:    DefaultMemoryLimitMiB,
		OAuthLimits:       DefaultOAuthLimits,
	}
}

// Validate reports the first thing wrong with c.
func (c Config) Validate() error {
	switch {
	case c.Addr == "":
		return errors.New("--addr is empty")
	case c.Data == "" && c.DB == "":
		return errors.New("--data is empty")
	case c.AttributionWindow < time.Second:
		return errors.New("--attribution-window must be at least 1s")
	case strings.ContainsAny(c.Data, "?#"):
		return fmt.Errorf("--data %q: the path may not contain '?' or '#': SQLite reads the database path as a "+
			"URI, where they would move the database outside the directory. 数据目录路径不能包含 ? 或 #", c.Data)
	case c.AdminToken != "" && len(c.AdminToken) < MinAdminTokenLen:
		return fmt.Errorf("--admin-token is %d characters; use at least %d (e.g. openssl rand -hex 16), or leave it "+
			"unset to have one generated into DATA/admin-token. 管理令牌至少 %d 个字符", len(c.AdminToken),
			MinAdminTokenLen, MinAdminTokenLen)
	case (c.TLSCert == "") != (c.TLSKey == ""):
		return errors.New("--tls-cert and --tls-key go together: give both PEM files, or neither for plain HTTP. " +
			"--tls-cert 与 --tls-key 需同时提供")
	case c.MaxConns < 1:
		return errors.New("--max-conns must be at least 1")
	case c.MemoryLimitMiB < 0:
		return errors.New("--memory-limit must be 0 (none) or a number of MiB")
	case c.DB != "" && !strings.HasPrefix(c.DB, "postgres://") && !strings.HasPrefix(c.DB, "postgresql://"):
		return fmt.Errorf("--db %q: only postgres:// URLs are accepted (SQLite is the default in --data)", c.DB)
	}
	return nil
}

var errHelp = errors.New("help requested")

// ParseFlags fills m.Config from args, each flag defaulting to its
// environment variable, then to DefaultConfig.
func (m *Main) ParseFlags(args []string) error {
	c := DefaultConfig()
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	fs.SetOutput(m.Stderr)
	env := func(name, def string) string {
		if v, ok := os.LookupEnv(name); ok {
			return v
		}
		return def
	}
	fs.StringVar(&c.Addr, "addr", env("WXADS_ADDR", c.Addr), "listen address (WXADS_ADDR)")
	fs.StringVar(&c.Data, "data", env("WXADS_DATA", c.Data), "data directory (WXADS_DATA)")
	fs.StringVar(&c.DB, "db", env("WXADS_DB", ""), "database URL; postgres://… selects PostgreSQL (WXADS_DB)")
	fs.StringVar(&c.Redis, "redis", env("WXADS_REDIS", ""), "Redis URL for state shared by several nodes (WXADS_REDIS)")
	fs.StringVar(&c.AdminToken, "admin-token", env("WXADS_ADMIN_TOKEN", ""), "admin API bearer token; generated into DATA/admin-token if unset (WXADS_ADMIN_TOKEN)")
	fs.StringVar(&c.ServerKey, "server-key", env("WXADS_SERVER_KEY", ""), "key stable tokens are derived from; generated into DATA/server.key if unset (WXADS_SERVER_KEY)")
	proxies := fs.String("trusted-proxies", env("WXADS_TRUSTED_PROXIES", ""), "comma-separated CIDRs or addresses whose X-Forwarded-For is believed (WXADS_TRUSTED_PROXIES)")
	fs.DurationVar(&c.AttributionWindow, "attribution-window", c.AttributionWindow, "how long before an action an ad event may be credited")
	fs.BoolVar(&c.Demo, "demo", false, "seed a demo advertiser, app, followers, ad events and actions")
	fs.BoolVar(&c.FakeClock, "fake-clock", false, "enable POST /admin/v1/clock (tests only)")
	fs.StringVar(&c.TLSCert, "tls-cert", env("WXADS_TLS_CERT", ""), "certificate PEM file; with --tls-key serves HTTPS (WXADS_TLS_CERT)")
	fs.StringVar(&c.TLSKey, "tls-key", env("WXADS_TLS_KEY", ""), "private key PEM file for --tls-cert (WXADS_TLS_KEY)")
	fs.IntVar(&c.MaxConns, "max-conns", c.MaxConns, "most connections open at once; more wait to be accepted")
	fs.IntVar(&c.MemoryLimitMiB, "memory-limit", c.MemoryLimitMiB, "soft memory limit of the Go heap in MiB, 0 for none; GOMEMLIMIT, when set, wins")
	fs.StringVar(&c.PprofAddr, "pprof-addr", env("WXADS_PPROF_ADDR", ""), "serve Go profiles (net/http/pprof) on this separate address, e.g. 127.0.0.1:6060; off if unset (WXADS_PPROF_ADDR)")
	fs.StringVar(&c.MetricsAddr, "metrics-addr", env("WXADS_METRICS_ADDR", ""), "serve Prometheus metrics on this separate address (e.g. 10.0.0.5:9090) instead of GET /metrics on --addr, where only loopback callers get them (WXADS_METRICS_ADDR)")
	var upstreamSets string
	c.Upstream.flags(fs, env, &upstreamSets)
	upstreamConfig := fs.String("upstream-config", env("WXADS_UPSTREAM_CONFIG", ""), "relay: JSON file with upstream, upstream_appid, upstream_secret, upstream_sets, upstream_dir; mode 0600; flags and variables win over it (WXADS_UPSTREAM_CONFIG)")
	fs.BoolVar(&c.SingleNode, "single-node", false, "with --db postgres://: this is the only node, so no --redis is needed")
	var oauthLimits oauthLimitArgs
	oauthLimits.flags(fs, env, c.OAuthLimits)
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return errHelp
		}
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected argument %q", fs.Arg(0))
	}
	for _, p := range strings.Split(*proxies, ",") {
		if p = strings.TrimSpace(p); p == "" {
			continue
		}
		prefix, err := wxads.ParsePrefix(p)
		if err != nil {
			return fmt.Errorf("--trusted-proxies: %w", err)
		}
		c.TrustedProxies = append(c.TrustedProxies, prefix)
	}
	if err := c.Upstream.fromFile(*upstreamConfig, fs, os.LookupEnv, &upstreamSets); err != nil {
		return err
	}
	if err := c.Upstream.parse(upstreamSets); err != nil {
		return err
	}
	var err error
	if c.OAuthLimits, err = oauthLimits.parse(); err != nil {
		return err
	}
	if err := c.Validate(); err != nil {
		return err
	}
	m.Config = c
	return nil
}
