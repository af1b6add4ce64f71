// Package client is the Go SDK of the wxads platform (and of the WeChat Ads
// conversion API it implements): tokens fetched, cached and refreshed for
// you, typed errors from the errcode registry, retries with backoff on
// transient failures only, batching with deterministic outer_action_id, and
// a call log. See docs/sdk.md.
package client

import (
	"context"
	"errors"
	"net/url"
	"regexp"
	"strconv"
)

// Client calls the platform for one app (appid/secret). It is safe for
// concurrent use; create one per app and share it.
type Client struct {
	t     *transport
	appid string

	ActionSets  *ActionSetsService
	UserActions *UserActionsService
	Reports     *ReportsService
	AdReports   *AdReportsService
	Requests    *RequestsService
	Templates   *TemplatesService
}

var appIDRE = regexp.MustCompile(`^wx[0-9a-f]{16}$`)

// New returns a Client for the app appid. secret may be empty when
// WithTokenSource supplies the tokens.
func New(appid, secret string, opts ...Option) (*Client, error) {
	cfg := defaultConfig()
	for _, o := range opts {
		o(&cfg)
	}
	if u, err := url.Parse(cfg.baseURL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, errors.New("wxads: base URL " + strconv.Quote(cfg.baseURL) + " is not a URL (want e.g. http://127.0.0.1:8080)")
	}
	if cfg.tokens == nil {
		if appid == "" || secret == "" {
			return nil, errors.New("wxads: appid and secret are required (or give WithTokenSource) / 需要 appid 和 secret")
		}
		if !appIDRE.MatchString(appid) {
			return nil, errors.New("wxads: appid " + strconv.Quote(appid) + " is not wx followed by 16 lowercase hex / appid 格式应为 wx + 16 位小写十六进制")
		}
	}
	t := newTransport(cfg)
	src := cfg.tokens
	if src == nil {
		src = &endpointSource{t: t, appid: appid, secret: secret, stable: cfg.stable}
	}
	t.tokens = &tokenCache{src: src, now: cfg.now}
	c := &Client{t: t, appid: appid}
	c.ActionSets = &ActionSetsService{c}
	c.UserActions = &UserActionsService{c}
	c.Reports = &ReportsService{c}
	c.AdReports = &AdReportsService{c}
	c.Requests = &RequestsService{c}
	c.Templates = &TemplatesService{c}
	return c, nil
}

// AppID is the app the client acts for.
func (c *Client) AppID() string { return c.appid }

// Token returns the cached access token, fetching or refreshing it first
// when it has RefreshMargin or less left.
func (c *Client) Token(ctx context.Context) (string, error) {
	return c.t.tokens.get(ctx)
}

// marketing builds a token-authorized call on the WeChat side; the
// Marketing API's version=v1.0 is added for /marketing/ paths.
func marketing(method, path string, q url.Values, body []byte) *call {
	if q == nil {
		q = url.Values{}
	}
	if len(path) > 11 && path[:11] == "/marketing/" {
		q.Set("version", "v1.0")
	}
	return &call{method: method, path: path, query: q, body: body, token: true}
}
