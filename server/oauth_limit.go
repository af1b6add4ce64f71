package server

import (
	"context"
	"fmt"
	"log/slog"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/wxads/wxads"
	"github.com/wxads/wxads/errcode"
)

// OAuthLimits bound the calls made with OAuth access tokens on /v1.1 and
// /v3.0 (SPEC §10: 11016–11019): per developer app (OAuth client) and per
// advertiser account, per second and per GMT+8 day. 0 is no limit. They
// hold for the deployment when Config.Counters is shared (Redis), else per
// node.
type OAuthLimits struct {
	AppPerSecond     int64 // 11016
	AppPerDay        int64 // 11017
	AccountPerSecond int64 // 11018
	AccountPerDay    int64 // 11019
}

func (l OAuthLimits) perSecond() bool { return l.AppPerSecond > 0 || l.AccountPerSecond > 0 }
func (l OAuthLimits) perDay() bool    { return l.AppPerDay > 0 || l.AccountPerDay > 0 }

// oauthCalls is the per-call state of OAuth tokens: the limiter's counts
// and when each token's last use was written.
type oauthCalls struct {
	local memCounter
	// sharedDown is when a shared-counter failure was last logged: during
	// an outage the node counts alone and says so once a minute, not per call.
	sharedDown atomic.Int64

	mu      sync.Mutex
	touched map[[32]byte]int64 // token hash → platform second of the last write
}

// touchEvery is how often a token's last use is written at most: "last
// used" is exact to the minute, and a busy token costs one write a minute.
const (
	touchEvery    = 60
	maxTouchKeys  = 100_000
	dayTTL        = 25 * time.Hour // a day window's count outlives the day a little
	secondTTL     = 2 * time.Second
	keyPrefixApp  = "oauth:app:"
	keyPrefixAcct = "oauth:acct:"
)

// oauthCall counts a call made with an OAuth token and refuses it past a
// limit; it also records the token's last use. The per-second windows are
// checked first: a call they refuse is not counted against the day, so a
// client backing off from 11016/11018 does not spend its daily quota.
func (s *Server) oauthCall(ctx context.Context, c *caller) error {
	o := &s.oauth
	now := s.cfg.Clock.Now()
	client, account := strconv.FormatInt(c.client, 10), strconv.FormatInt(c.adv.ID, 10)
	l := s.cfg.OAuthLimits
	if l.perSecond() {
		n := o.add(ctx, s.log, s.cfg.Counters, now.Unix(), secondTTL, keyPrefixApp+"s:"+client, keyPrefixAcct+"s:"+account)
		switch {
		case over(n[0], l.AppPerSecond):
			return limitError(wxads.CodeOAuthAppQPS, l.AppPerSecond, "second", "每秒")
		case over(n[1], l.AccountPerSecond):
			return limitError(wxads.CodeOAuthAccountQPS, l.AccountPerSecond, "second", "每秒")
		}
	}
	if l.perDay() {
		n := o.add(ctx, s.log, s.cfg.Counters, dayStart(now), dayTTL, keyPrefixApp+"d:"+client, keyPrefixAcct+"d:"+account)
		switch {
		case over(n[0], l.AppPerDay):
			return limitError(wxads.CodeOAuthAppDaily, l.AppPerDay, "day (GMT+8)", "每日（北京时间）")
		case over(n[1], l.AccountPerDay):
			return limitError(wxads.CodeOAuthAccountDaily, l.AccountPerDay, "day (GMT+8)", "每日（北京时间）")
		}
	}
	s.touchOAuth(ctx, c.token.Hash, now.Unix())
	return nil
}

func over(n, limit int64) bool { return limit > 0 && n > limit }

// dayStart is the Unix second of now's GMT+8 midnight, the day window the
// other daily quotas use.
func dayStart(now time.Time) int64 {
	y, m, d := now.In(wxads.CST).Date()
	return time.Date(y, m, d, 0, 0, 0, 0, wxads.CST).Unix()
}

// limitError is the registry's message with the limit that was hit.
func limitError(code int, limit int64, per, perCN string) *wxads.Error {
	en, cn := errcode.Format(code)
	return &wxads.Error{Code: code,
		Message:   fmt.Sprintf("%s Limit: %d calls per %s.", en, limit, per),
		MessageCN: fmt.Sprintf("%s（上限%s %d 次）", cn, perCN, limit)}
}

// add counts one call under keys in the window, in the shared counter when
// there is one and it answers, else in this node's.
func (o *oauthCalls) add(ctx context.Context, log *slog.Logger, shared wxads.WindowCounter, window int64, ttl time.Duration, keys ...string) []int64 {
	if shared != nil {
		sctx, cancel := context.WithTimeout(ctx, time.Second)
		n, err := shared.Add(sctx, window, ttl, 1, keys...)
		cancel()
		if err == nil {
			return n
		}
		if now := time.Now().Unix(); o.sharedDown.Load() < now-60 {
			o.sharedDown.Store(now)
			log.Warn("OAuth call limits: the shared counter failed; this node counts alone meanwhile", "err", err)
		}
	}
	n, _ := o.local.Add(ctx, window, ttl, 1, keys...)
	return n
}

// touchOAuth writes the token's last use, at most once a minute per token
// and node. A failed write costs the call nothing: it is logged.
func (s *Server) touchOAuth(ctx context.Context, hash []byte, now int64) {
	o := &s.oauth
	var h [32]byte
	copy(h[:], hash)
	o.mu.Lock()
	if o.touched == nil || len(o.touched) >= maxTouchKeys {
		o.touched = map[[32]byte]int64{} // forgetting only costs an early write
	}
	last, seen := o.touched[h]
	if seen && now-last < touchEvery && now >= last {
		o.mu.Unlock()
		return
	}
	o.touched[h] = now
	o.mu.Unlock()
	store, ok := s.cfg.Stores.(wxads.OAuthStore)
	if !ok {
		return
	}
	if err := store.TouchOAuthToken(ctx, hash, now); err != nil {
		s.log.Warn("OAuth token last use not recorded", "err", err)
	}
}

// memCounter is a wxads.WindowCounter in this process: each key holds the
// count of its latest window only, so memory grows with the keys in use.
type memCounter struct {
	mu sync.Mutex
	m  map[string]memCount
}

type memCount struct {
	window, n, ttl int64
}

const maxMemKeys = 100_000

func (c *memCounter) Add(_ context.Context, window int64, ttl time.Duration, n int64, keys ...string) ([]int64, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.m == nil {
		c.m = map[string]memCount{}
	}
	if len(c.m) >= maxMemKeys {
		for k, e := range c.m {
			if e.window+e.ttl < window {
				delete(c.m, k)
			}
		}
	}
	out := make([]int64, len(keys))
	for i, k := range keys {
		e := c.m[k]
		if e.window != window {
			e = memCount{window: window, ttl: int64(ttl / time.Second)}
		}
		e.n += n
		if n > 0 && (len(c.m) < maxMemKeys || c.m[k].window != 0) {
			c.m[k] = e
		}
		out[i] = e.n
	}
	return out, nil
}
