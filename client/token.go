package client

import (
	"context"
	"encoding/json"
	"errors"
	"net/url"
	"sync"
	"time"
)

// TokenSource fetches access tokens. forceRefresh asks for a token other
// than the current one (the current one was refused). expiresAt is when the
// platform stops accepting it.
type TokenSource interface {
	Token(ctx context.Context, forceRefresh bool) (token string, expiresAt time.Time, err error)
}

// RefreshMargin is how long before expiry a cached token is replaced. It
// matches stable_token, which returns the current token only while it has at
// least 300 s left.
const RefreshMargin = 5 * time.Minute

// tokenCache caches a TokenSource's token and lets one caller at a time
// fetch (single flight); the others wait for that fetch or their context.
type tokenCache struct {
	src TokenSource
	now func() time.Time

	mu       sync.Mutex
	token    string
	expires  time.Time
	inflight *flight // non-nil while a fetch runs
}

// flight is one fetch; done is closed when it ends, err is then its outcome.
type flight struct {
	done chan struct{}
	err  error
}

// get returns a token with more than RefreshMargin left, fetching one when
// needed. While another caller refreshes, a token that is still valid is
// returned rather than waited for.
func (c *tokenCache) get(ctx context.Context) (string, error) {
	for {
		c.mu.Lock()
		now := c.now()
		if c.token != "" && c.expires.Sub(now) > RefreshMargin {
			tok := c.token
			c.mu.Unlock()
			return tok, nil
		}
		if f := c.inflight; f != nil {
			tok, valid := c.token, c.token != "" && c.expires.After(now)
			c.mu.Unlock()
			if valid {
				return tok, nil
			}
			select {
			case <-f.done:
				if f.err != nil && !othersContext(f.err, ctx) {
					return "", f.err // the fetch we waited for failed: so do we
				}
				continue
			case <-ctx.Done():
				return "", ctx.Err()
			}
		}
		c.inflight = &flight{done: make(chan struct{})}
		c.mu.Unlock()
		tok, err := c.fetch(ctx, false, "")
		if err != nil {
			return "", err
		}
		return tok, nil
	}
}

// invalidate handles a refusal of failed: unless another caller already
// replaced it, fetch again without force (a stable token may have moved on
// by itself) and force only when the answer is the token that failed.
// force_refresh is limited (20 a day, 30 s apart), so it is the last resort.
func (c *tokenCache) invalidate(ctx context.Context, failed string) error {
	for {
		c.mu.Lock()
		if c.token != failed && c.token != "" {
			c.mu.Unlock()
			return nil
		}
		if f := c.inflight; f != nil {
			c.mu.Unlock()
			select {
			case <-f.done:
				if f.err != nil && !othersContext(f.err, ctx) {
					return f.err
				}
				continue
			case <-ctx.Done():
				return ctx.Err()
			}
		}
		c.token = ""
		c.inflight = &flight{done: make(chan struct{})}
		c.mu.Unlock()
		_, err := c.fetch(ctx, false, failed)
		return err
	}
}

// fetch runs with c.inflight set by the caller; it clears it when done.
// With avoid set, an answer equal to avoid is fetched again with force.
func (c *tokenCache) fetch(ctx context.Context, force bool, avoid string) (string, error) {
	tok, exp, err := c.src.Token(ctx, force)
	if err == nil && avoid != "" && tok == avoid {
		tok, exp, err = c.src.Token(ctx, true)
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.inflight.err = err
	close(c.inflight.done)
	c.inflight = nil
	if err != nil {
		return "", err
	}
	c.token, c.expires = tok, exp
	return tok, nil
}

// othersContext reports whether err is the end of another caller's context
// while ours still runs: then the waiter fetches itself.
func othersContext(err error, ctx context.Context) bool {
	return ctx.Err() == nil && (errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded))
}

// endpointSource fetches tokens from the platform: POST /cgi-bin/stable_token
// or GET /cgi-bin/token.
type endpointSource struct {
	t             *transport
	appid, secret string
	stable        bool
}

type tokenAnswer struct {
	AccessToken string `json:"access_token"`
	ExpiresIn   int64  `json:"expires_in"`
}

func (s *endpointSource) Token(ctx context.Context, force bool) (string, time.Time, error) {
	var c *call
	if s.stable {
		body, _ := json.Marshal(map[string]any{"grant_type": "client_credential", "appid": s.appid,
			"secret": s.secret, "force_refresh": force})
		c = &call{method: "POST", path: "/cgi-bin/stable_token", body: body, raw: true}
	} else {
		q := url.Values{"grant_type": {"client_credential"}, "appid": {s.appid}, "secret": {s.secret}}
		c = &call{method: "GET", path: "/cgi-bin/token", query: q, raw: true}
	}
	start := s.t.cfg.now()
	var a tokenAnswer
	if err := s.t.do(ctx, c, &a); err != nil {
		return "", time.Time{}, err
	}
	return a.AccessToken, start.Add(time.Duration(a.ExpiresIn) * time.Second), nil
}
