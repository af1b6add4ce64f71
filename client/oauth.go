package client

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"
)

// OAuthConfig is a developer app on the Tencent side (SPEC §10).
type OAuthConfig struct {
	BaseURL      string // the platform, e.g. http://127.0.0.1:8080
	ClientID     int64
	ClientSecret string
	RedirectURI  string       // one registered with the app, exactly
	HTTPClient   *http.Client // nil: DefaultHTTPClient()
	Now          func() time.Time
}

// AuthorizeURL is where to send the advertiser: the consent page, which
// redirects to RedirectURI with authorization_code and state (or
// error=access_denied). scopes empty asks for every scope.
func (c OAuthConfig) AuthorizeURL(state string, scopes ...string) string {
	q := url.Values{"client_id": {strconv.FormatInt(c.ClientID, 10)}, "redirect_uri": {c.RedirectURI}, "state": {state}}
	if len(scopes) > 0 {
		q.Set("scope", strings.Join(scopes, ","))
	}
	return strings.TrimRight(c.BaseURL, "/") + "/oauth/authorize?" + q.Encode()
}

// OAuthTokens is the answer of /oauth/token.
type OAuthTokens struct {
	AccessToken           string         `json:"access_token"`
	RefreshToken          string         `json:"refresh_token"`
	AccessTokenExpiresIn  int64          `json:"access_token_expires_in"`
	RefreshTokenExpiresIn int64          `json:"refresh_token_expires_in"`
	AuthorizerInfo        AuthorizerInfo `json:"authorizer_info"`
}

// AuthorizerInfo says who authorized the app.
type AuthorizerInfo struct {
	AccountUin      int64    `json:"account_uin"`
	AccountID       int64    `json:"account_id"`
	ScopeList       []string `json:"scope_list"`
	WechatAccountID string   `json:"wechat_account_id"`
	AccountRoleType string   `json:"account_role_type"`
	AccountType     string   `json:"account_type"`
	RoleType        string   `json:"role_type"`
}

// RefreshTokenStore keeps the refresh token between runs (a file, a
// database row, a secret manager). Load returns "" when there is none.
type RefreshTokenStore interface {
	Load(ctx context.Context) (string, error)
	Save(ctx context.Context, refreshToken string) error
}

// MemoryRefreshStore keeps the refresh token in memory only.
type MemoryRefreshStore struct {
	mu sync.Mutex
	v  string
}

func (m *MemoryRefreshStore) Load(context.Context) (string, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.v, nil
}

func (m *MemoryRefreshStore) Save(_ context.Context, v string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.v = v
	return nil
}

// ErrNoRefreshToken is returned when a token is needed and the store has
// no refresh token: run the authorization (Exchange) first.
var ErrNoRefreshToken = errors.New("wxads: no refresh token stored; authorize the app first (Exchange) / 没有 refresh_token，请先完成授权")

// OAuth exchanges codes and refreshes access tokens for one developer app
// and one advertiser. It is a TokenSource: give it to New with
// WithTokenSource to call /v1.1 and /v3.0 as the advertiser. Refreshes are
// single-flight: concurrent callers share one /oauth/token call.
type OAuth struct {
	cfg   OAuthConfig
	store RefreshTokenStore

	mu      sync.Mutex // held across a refresh: the single flight
	access  string
	expires time.Time
	last    *OAuthTokens
}

// NewOAuth returns an OAuth for cfg keeping its refresh token in store
// (nil: in memory).
func NewOAuth(cfg OAuthConfig, store RefreshTokenStore) *OAuth {
	if cfg.HTTPClient == nil {
		cfg.HTTPClient = DefaultHTTPClient()
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if store == nil {
		store = &MemoryRefreshStore{}
	}
	return &OAuth{cfg: cfg, store: store}
}

// Exchange trades an authorization code for tokens and stores the refresh token.
func (o *OAuth) Exchange(ctx context.Context, code string) (*OAuthTokens, error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.grant(ctx, url.Values{"grant_type": {"authorization_code"}, "authorization_code": {code},
		"redirect_uri": {o.cfg.RedirectURI}})
}

// Refresh gets a new access token with the stored refresh token, whose 30
// days restart.
func (o *OAuth) Refresh(ctx context.Context) (*OAuthTokens, error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.refresh(ctx)
}

func (o *OAuth) refresh(ctx context.Context) (*OAuthTokens, error) {
	rt, err := o.store.Load(ctx)
	if err != nil {
		return nil, fmt.Errorf("wxads: loading the refresh token: %w", err)
	}
	if rt == "" {
		return nil, ErrNoRefreshToken
	}
	return o.grant(ctx, url.Values{"grant_type": {"refresh_token"}, "refresh_token": {rt}})
}

// Token implements TokenSource: the current access token while it has more
// than RefreshMargin left (and force is false), else a refreshed one.
// Callers arriving during a refresh wait for it and share its token.
func (o *OAuth) Token(ctx context.Context, force bool) (string, time.Time, error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	if !force && o.access != "" && o.cfg.Now().Add(RefreshMargin).Before(o.expires) {
		return o.access, o.expires, nil
	}
	if _, err := o.refresh(ctx); err != nil {
		return "", time.Time{}, err
	}
	return o.access, o.expires, nil
}

// grant calls /oauth/token; o.mu is held.
func (o *OAuth) grant(ctx context.Context, q url.Values) (*OAuthTokens, error) {
	q.Set("client_id", strconv.FormatInt(o.cfg.ClientID, 10))
	q.Set("client_secret", o.cfg.ClientSecret)
	start := o.cfg.Now()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, strings.TrimRight(o.cfg.BaseURL, "/")+"/oauth/token?"+q.Encode(), nil)
	if err != nil {
		return nil, err
	}
	resp, err := o.cfg.HTTPClient.Do(req)
	if err != nil {
		return nil, scrub(err) // the URL carries the secret
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if err != nil {
		return nil, err
	}
	if apiErr := checkAnswer(resp.StatusCode, raw); apiErr != nil {
		apiErr.HTTPStatus, apiErr.Route, apiErr.RequestID = resp.StatusCode, "GET /oauth/token", resp.Header.Get("X-Request-Id")
		return nil, apiErr
	}
	var env struct {
		Data OAuthTokens `json:"data"`
	}
	if err := json.Unmarshal(raw, &env); err != nil || env.Data.AccessToken == "" {
		return nil, fmt.Errorf("wxads: /oauth/token: not a token answer (%v)", err)
	}
	t := env.Data
	if err := o.store.Save(ctx, t.RefreshToken); err != nil {
		return nil, fmt.Errorf("wxads: saving the refresh token: %w", err)
	}
	o.access, o.expires, o.last = t.AccessToken, start.Add(time.Duration(t.AccessTokenExpiresIn)*time.Second), &t
	return &t, nil
}

// Authorizer is who authorized the app, from the last /oauth/token answer
// (nil before any). A process starting from a stored refresh token learns
// its advertiser (the account_id of /v1.1 and /v3.0 calls) with Refresh
// and then Authorizer.
func (o *OAuth) Authorizer() *AuthorizerInfo {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.last == nil {
		return nil
	}
	a := o.last.AuthorizerInfo
	return &a
}

// Config is the developer app o was made for.
func (o *OAuth) Config() OAuthConfig { return o.cfg }

// OAuthApp is a developer app as Admin.CreateOAuthClient registers it.
type OAuthApp struct {
	ClientID     int64  `json:"client_id"`
	ClientSecret string `json:"client_secret"`
}

// CreateOAuthClient registers a developer app with its redirect URIs
// (POST /admin/v1/oauth_clients); the secret is shown only here.
func (a *Admin) CreateOAuthClient(ctx context.Context, name string, redirectURIs []string) (*OAuthApp, error) {
	out := new(OAuthApp)
	if err := a.write(ctx, "POST", "/admin/v1/oauth_clients", map[string]any{"name": name, "redirect_uris": redirectURIs}, out); err != nil {
		return nil, err
	}
	return out, nil
}

// IssueOAuthCode issues an authorization code as if advertiser accountID
// had approved clientID on the consent page (POST /admin/v1/oauth_codes);
// scopes empty grants every scope. Tests need no browser.
func (a *Admin) IssueOAuthCode(ctx context.Context, clientID, accountID int64, scopes ...string) (string, error) {
	var out struct {
		Code string `json:"authorization_code"`
	}
	err := a.write(ctx, "POST", "/admin/v1/oauth_codes", map[string]any{"client_id": clientID, "account_id": accountID,
		"scope": strings.Join(scopes, ",")}, &out)
	return out.Code, err
}
