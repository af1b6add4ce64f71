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
}

// DefaultConfig is what `wxads serve` runs with when told nothing.
func DefaultConfig() Config {
	return Config{
		Addr:              "127.0.0.1:8080",
		Data:              "./wxads-data",
		AttributionWindow: wxads.DefaultAttributionWindow * time.Second,
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
	fs.BoolVar(&c.SingleNode, "single-node", false, "with --db postgres://: this is the only node, so no --redis is needed")
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
	if err := c.Validate(); err != nil {
		return err
	}
	m.Config = c
	return nil
}
