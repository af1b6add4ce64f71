package server

import (
	"context"
	"errors"
	"log/slog"
	"net/netip"
	"sync"
	"time"

	"github.com/wxads/wxads"
)

// Wrong-secret limits per minute of the platform clock, for callers outside
// the app's IP whitelist: an attacker guessing secrets is held to a few
// guesses a minute per address, and the per-appid limit catches one spread
// over many addresses. The app's own (whitelisted) servers are never locked
// out by them — else anyone knowing an appid could stop its token fetches —
// and their failures are still counted and logged.
const (
	SecretFailuresPerIP    = 10
	SecretFailuresPerAppID = 50
	guessWindow            = time.Minute
	maxGuessKeys           = 100_000 // addresses and appids remembered per window
)

// errGuessing is 45011: the registry's "API usage frequency limit reached,
// please try again later", a short-term limit the client retries after.
var errGuessing = wxads.Literal(wxads.CodeTooFrequent,
	"too many wrong secrets from this address or for this appid; retry after a minute")

// guessGuard counts wrong secrets in fixed one-minute windows: in shared
// (Redis) when set, so the limits hold for the deployment, else per node.
// If shared fails, the node falls back to its own counts.
type guessGuard struct {
	shared wxads.WindowCounter

	mu     sync.Mutex
	window int64 // start of the current window, Unix seconds
	byIP   map[netip.Addr]int
	byApp  map[string]int
}

func (g *guessGuard) roll(now time.Time) {
	w := now.Unix() - now.Unix()%int64(guessWindow/time.Second)
	if w != g.window || g.byIP == nil {
		g.window, g.byIP, g.byApp = w, map[netip.Addr]int{}, map[string]int{}
	}
}

// allowed reports whether a caller at ip may try a secret for app now.
func (g *guessGuard) allowed(now time.Time, app *wxads.App, ip netip.Addr) bool {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.roll(now)
	if ip.IsValid() && wxads.Allowed(app.IPWhitelist, ip) {
		return true
	}
	if n, err := g.addShared(now, 0, app.AppID, ip); err == nil {
		return n[0] < SecretFailuresPerIP && n[1] < SecretFailuresPerAppID
	}
	return g.byIP[ip] < SecretFailuresPerIP && g.byApp[app.AppID] < SecretFailuresPerAppID
}

// failed counts a wrong secret and returns the counts of the window.
func (g *guessGuard) failed(now time.Time, appid string, ip netip.Addr) (perIP, perApp int) {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.roll(now)
	if n, err := g.addShared(now, 1, appid, ip); err == nil {
		return int(n[0]), int(n[1])
	}
	if len(g.byIP) < maxGuessKeys || g.byIP[ip] > 0 {
		g.byIP[ip]++
	}
	if len(g.byApp) < maxGuessKeys || g.byApp[appid] > 0 {
		g.byApp[appid]++
	}
	return g.byIP[ip], g.byApp[appid]
}

// wrongSecret records and logs a wrong secret: the appid, the address and
// the counts, never the secret tried.
func (s *Server) wrongSecret(appid string, ip netip.Addr) {
	perIP, perApp := s.guesses.failed(s.cfg.Clock.Now(), appid, ip)
	level := slog.LevelWarn
	if perIP > SecretFailuresPerIP || perApp > SecretFailuresPerAppID {
		level = slog.LevelError
	}
	s.log.LogAttrs(context.Background(), level, "wrong secret",
		slog.String("appid", appid), slog.String("ip", ip.String()),
		slog.Int("failures_from_ip", perIP), slog.Int("failures_for_appid", perApp),
		slog.String("window", "1m"))
}

// addShared adds n to the address's and the appid's shared counts of the
// window and returns them (errors when there is no shared counter).
func (g *guessGuard) addShared(now time.Time, n int64, appid string, ip netip.Addr) ([]int64, error) {
	if g.shared == nil {
		return nil, errNoShared
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	w := int64(guessWindow / time.Second)
	return g.shared.Add(ctx, now.Unix()-now.Unix()%w, 2*guessWindow, n, "secret:ip:"+ip.String(), "secret:app:"+appid)
}

var errNoShared = errors.New("no shared counter")
