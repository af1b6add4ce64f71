package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/wxads/wxads"
	"github.com/wxads/wxads/metrics"
	"github.com/wxads/wxads/relay"
)

// UpstreamConfig makes `wxads serve` a relay (SPEC §12, docs/RELAY.md):
// uploads are stored here and forwarded to the platform at URL.
type UpstreamConfig struct {
	URL    string
	AppID  string
	Secret string // never logged or printed
	Sets   map[int64]int64
	Dir    string // the relay's outbox; default DATA/relay
}

// flags registers the --upstream* flags, each defaulting to its WXADS_UPSTREAM* variable.
func (u *UpstreamConfig) flags(fs *flag.FlagSet, env func(name, def string) string, sets *string) {
	fs.StringVar(&u.URL, "upstream", env("WXADS_UPSTREAM", ""), "relay: forward every stored upload to the platform at this URL (WXADS_UPSTREAM)")
	fs.StringVar(&u.AppID, "upstream-appid", env("WXADS_UPSTREAM_APPID", ""), "relay: appid of the upstream app (WXADS_UPSTREAM_APPID)")
	fs.StringVar(&u.Secret, "upstream-secret", env("WXADS_UPSTREAM_SECRET", ""), "relay: secret of the upstream app; prefer the variable, a flag shows in ps (WXADS_UPSTREAM_SECRET)")
	fs.StringVar(sets, "upstream-sets", env("WXADS_UPSTREAM_SETS", ""), "relay: local=upstream data source ids, e.g. 1=123,2=456; others are created upstream on first use (WXADS_UPSTREAM_SETS)")
	fs.StringVar(&u.Dir, "upstream-dir", env("WXADS_UPSTREAM_DIR", ""), "relay: directory of the delivery queue (default DATA/relay) (WXADS_UPSTREAM_DIR)")
}

// parse checks the relay flags once parsed; they go all three together.
func (u *UpstreamConfig) parse(sets string) error {
	if u.URL == "" && u.AppID == "" && u.Secret == "" && sets == "" {
		return nil
	}
	if u.URL == "" || u.AppID == "" || u.Secret == "" {
		return fmt.Errorf("--upstream, --upstream-appid and --upstream-secret go together (or WXADS_UPSTREAM, " +
			"WXADS_UPSTREAM_APPID, WXADS_UPSTREAM_SECRET): the relay needs the upstream app's credentials. " +
			"中继需要同时提供上游地址、appid 与 secret")
	}
	if !strings.HasPrefix(u.URL, "http://") && !strings.HasPrefix(u.URL, "https://") {
		return fmt.Errorf("--upstream %q: want an http:// or https:// base URL, e.g. https://api.weixin.qq.com", u.URL)
	}
	u.URL = strings.TrimSuffix(u.URL, "/")
	u.Sets = map[int64]int64{}
	for _, pair := range strings.Split(sets, ",") {
		if pair = strings.TrimSpace(pair); pair == "" {
			continue
		}
		l, r, ok := strings.Cut(pair, "=")
		local, err1 := strconv.ParseInt(strings.TrimSpace(l), 10, 64)
		up, err2 := strconv.ParseInt(strings.TrimSpace(r), 10, 64)
		if !ok || err1 != nil || err2 != nil || local <= 0 || up <= 0 {
			return fmt.Errorf("--upstream-sets: %q is not LOCAL=UPSTREAM (two data source ids, e.g. 1=123). 格式应为 本地ID=上游ID", pair)
		}
		u.Sets[local] = up
	}
	return nil
}

// openRelay starts the relay when --upstream is set; nil (no forwarding) otherwise.
func (m *Main) openRelay(sets wxads.ActionSetStore, reg *metrics.Registry) (wxads.Forwarder, error) {
	u := m.Config.Upstream
	if u.URL == "" {
		return nil, nil
	}
	dir := u.Dir
	if dir == "" {
		dir = filepath.Join(m.Config.Data, "relay")
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("relay: %w", err)
	}
	r, err := relay.Open(relay.Config{Dir: dir, UpstreamURL: u.URL, AppID: u.AppID, Secret: u.Secret,
		Sets: u.Sets, LocalSets: sets, Logger: m.Log})
	if err != nil {
		return nil, err
	}
	m.relay = r
	reg.RelaySource(func() (metrics.RelayStats, error) {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		st, err := r.DeliveryStats(ctx)
		out := metrics.RelayStats{Pending: st.Pending, Delivered: st.Delivered, Dead: st.Dead}
		if !st.OldestPending.IsZero() {
			out.LagSeconds = time.Since(st.OldestPending).Seconds()
		}
		return out, err
	})
	return r, nil
}

// closeRelay stops delivery after the last upload was answered; what is
// pending stays in the queue for the next start.
func (m *Main) closeRelay() error {
	if m.relay == nil {
		return nil
	}
	err := m.relay.Close()
	m.relay = nil
	return err
}
