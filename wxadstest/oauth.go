package wxadstest

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"time"

	"github.com/wxads/wxads/client"
)

// OAuthRedirectURI is the redirect URI OAuthClient registers.
const OAuthRedirectURI = "http://127.0.0.1/wxadstest/callback"

// OAuthClient registers a developer app, has the seeded advertiser
// authorize it (an admin-issued code, no browser) with scopes (empty:
// all), exchanges the code, and returns a client acting on the Tencent
// side (/v1.1, /v3.0) with the OAuth access token, and the OAuth that
// refreshes it.
func (s *Server) OAuthClient(scopes string, opts ...client.Option) (*client.Client, *client.OAuth) {
	c, o, err := s.oauthClient(scopes, opts...)
	if err != nil {
		s.fatal("oauth client", err)
	}
	return c, o
}

func (s *Server) oauthClient(scopes string, opts ...client.Option) (*client.Client, *client.OAuth, error) {
	ctx := context.Background()
	var app struct {
		ClientID     int64  `json:"client_id"`
		ClientSecret string `json:"client_secret"`
	}
	if err := s.adminPost(ctx, "/admin/v1/oauth_clients", map[string]any{"name": "wxadstest",
		"redirect_uris": []string{OAuthRedirectURI}}, &app); err != nil {
		return nil, nil, err
	}
	var code struct {
		Code string `json:"authorization_code"`
	}
	if err := s.adminPost(ctx, "/admin/v1/oauth_codes", map[string]any{"client_id": app.ClientID,
		"account_id": s.AccountID, "scope": scopes}, &code); err != nil {
		return nil, nil, err
	}
	o := client.NewOAuth(client.OAuthConfig{BaseURL: s.URL, ClientID: app.ClientID, ClientSecret: app.ClientSecret,
		RedirectURI: OAuthRedirectURI, HTTPClient: s.ts.Client(), Now: s.Clock.Now}, nil)
	if _, err := o.Exchange(ctx, code.Code); err != nil {
		return nil, nil, err
	}
	base := []client.Option{
		client.WithBaseURL(s.URL),
		client.WithHTTPClient(s.ts.Client()),
		client.WithAccountID(s.AccountID),
		client.WithClock(s.Clock.Now),
		client.WithTokenSource(o),
		client.WithRetry(client.RetryPolicy{MaxAttempts: 4, BaseDelay: time.Millisecond, MaxDelay: 20 * time.Millisecond}),
	}
	c, err := client.New("", "", append(base, opts...)...)
	return c, o, err
}

// adminPost calls the admin API and decodes data into out.
func (s *Server) adminPost(ctx context.Context, path string, body, out any) error {
	buf, _ := json.Marshal(body)
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, s.URL+path, bytes.NewReader(buf))
	if err != nil {
		return err
	}
	req.Header.Set("Authorization", "Bearer "+s.AdminToken)
	resp, err := s.ts.Client().Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	var env struct {
		Errcode int             `json:"errcode"`
		Errmsg  string          `json:"errmsg"`
		Data    json.RawMessage `json:"data"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&env); err != nil {
		return fmt.Errorf("%s: HTTP %d: %w", path, resp.StatusCode, err)
	}
	if env.Errcode != 0 {
		return fmt.Errorf("%s: errcode %d %s", path, env.Errcode, env.Errmsg)
	}
	return json.Unmarshal(env.Data, out)
}
