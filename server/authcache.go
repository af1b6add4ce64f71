package server

import (
	"context"
	"strconv"
	"strings"
	"sync"
	"time"
)

// AuthBus carries auth invalidations between the nodes sharing one store
// (package redis implements it on pub/sub). Without one, this node is the
// only one and invalidation stays in process.
type AuthBus interface {
	// Publish makes scope known to every node and returns only once each
	// node that may be using its cache has applied it, or can no longer be
	// using a cache that missed it. An error means that is not certain:
	// the write it follows must not be answered as done.
	Publish(ctx context.Context, scope string) error
	// Subscribe delivers every node's scopes (this node's own included) to
	// apply, and "*" whenever messages may have been lost (a dropped
	// subscription). Called once, before the node serves.
	Subscribe(apply func(scope string))
	// Live reports whether the subscription is proven current right now;
	// while it is not, the cache is bypassed (every check asks the store).
	Live() bool
}

// Invalidation scopes: every entry, one app's, one advertiser's.
const authAll = "*"

func authScopeApp(appid string) string { return "app:" + appid }
func authScopeAccount(id int64) string { return "acct:" + strconv.FormatInt(id, 10) }

// Bounds of the auth cache: entries (a few hundred bytes each, so memory
// stays under ~30 MB whatever the load) and the longest an entry is used
// without being read again from the store, a safety net under the
// invalidations, not what makes them exact.
const (
	authCacheMax = 1 << 16
	authCacheTTL = 30 * time.Second
)

// authCache keeps resolved callers (token row, app, advertiser; OAuth token
// and scopes) by token hash. Only what the store found is kept: unknown
// tokens are never cached, so random bad tokens cannot grow it. The
// verdict is not cached: expiry, supersede grace and status are decided on
// every request from the cached rows and the clock (auth.go check).
type authCache struct {
	bus   AuthBus
	start time.Time // monotonic origin for entry ages
	max   int       // authCacheMax; tests lower it

	mu sync.RWMutex
	m  map[[32]byte]authEntry
	// epoch counts invalidations; a look-up that raced one is not cached,
	// since it may have read the store before the write.
	epoch uint64
}

type authEntry struct {
	c  *caller // shared by every request: read-only
	at time.Duration
}

func (a *authCache) init(bus AuthBus) {
	a.bus = bus
	a.start = time.Now()
	a.max = authCacheMax
	a.m = make(map[[32]byte]authEntry)
	if bus != nil {
		bus.Subscribe(a.invalidate)
	}
}

// get returns the cached caller, or nil when there is none, it is too old,
// or the cache cannot be trusted now.
func (a *authCache) get(h [32]byte) *caller {
	if a.bus != nil && !a.bus.Live() {
		return nil
	}
	a.mu.RLock()
	e, ok := a.m[h]
	a.mu.RUnlock()
	if !ok || time.Since(a.start)-e.at > authCacheTTL {
		return nil
	}
	return e.c
}

// begin is taken before the store is read; put keeps the result only if
// nothing was invalidated in between and the cache was trusted throughout.
func (a *authCache) begin() (epoch uint64, ok bool) {
	ok = a.bus == nil || a.bus.Live()
	a.mu.RLock()
	epoch = a.epoch
	a.mu.RUnlock()
	return epoch, ok
}

func (a *authCache) put(h [32]byte, c *caller, epoch uint64, ok bool) {
	if !ok || a.bus != nil && !a.bus.Live() {
		return
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.epoch != epoch {
		return
	}
	if _, had := a.m[h]; !had && len(a.m) >= a.max {
		for k := range a.m { // map order is random: a random victim
			delete(a.m, k)
			break
		}
	}
	a.m[h] = authEntry{c: c, at: time.Since(a.start)}
}

// invalidate drops the entries scope names and fails look-ups in flight.
func (a *authCache) invalidate(scope string) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.epoch++
	if scope == authAll {
		clear(a.m)
		return
	}
	appid, isApp := strings.CutPrefix(scope, "app:")
	acct, isAcct := strings.CutPrefix(scope, "acct:")
	id, err := strconv.ParseInt(acct, 10, 64)
	if isApp && appid == "" || isAcct && err != nil || !isApp && !isAcct {
		clear(a.m) // a scope not understood drops everything
		return
	}
	for k, e := range a.m {
		if isApp && e.c.app.AppID == appid || isAcct && e.c.adv.ID == id {
			delete(a.m, k)
		}
	}
}

// authChanged must follow every write that changes what a token check
// decides (tokens issued, revoked or superseded; secrets; advertiser
// status; apps; OAuth grants), before the write is answered: the change
// then acts on the next request on every node. An error means another node
// may not know yet; answer it rather than success.
func (s *Server) authChanged(ctx context.Context) error { return s.authChangedScope(ctx, authAll) }

// authChangedApp is authChanged for one app's tokens and row.
func (s *Server) authChangedApp(ctx context.Context, appid string) error {
	return s.authChangedScope(ctx, authScopeApp(appid))
}

// authChangedAccount is authChanged for one advertiser (its row, and the
// tokens of its apps and OAuth grants).
func (s *Server) authChangedAccount(ctx context.Context, id int64) error {
	return s.authChangedScope(ctx, authScopeAccount(id))
}

// authSuperseded follows a token issue, which may supersede the app's
// older tokens. Their grace (300 s) outlasts any cache entry (authCacheTTL),
// so on the real clock a node that missed this still refuses them on time:
// an invalidation that cannot be confirmed is logged, and the new token is
// handed out anyway (as before Redis carried invalidations). A fake clock
// can jump past the grace, so there it fails like authChanged.
func (s *Server) authSuperseded(ctx context.Context, appid string) error {
	err := s.authChangedApp(ctx, appid)
	if err != nil && s.cfg.FakeClock == nil {
		s.log.Warn("token cache invalidation not confirmed; other nodes drop the entry within its TTL", "appid", appid, "err", err)
		return nil
	}
	return err
}

func (s *Server) authChangedScope(ctx context.Context, scope string) error {
	// The write is done: tell the other nodes even if its caller has gone.
	ctx = context.WithoutCancel(ctx)
	// This node at once, whatever the bus does: its own next request must
	// not wait on a round trip through Redis.
	s.auth.invalidate(scope)
	if s.auth.bus == nil {
		return nil
	}
	return s.auth.bus.Publish(ctx, scope)
}
