package client_test

import (
	"context"
	"net/url"
	"testing"
	"time"

	"github.com/wxads/wxads"
	"github.com/wxads/wxads/client"
	"github.com/wxads/wxads/wxadstest"
)

// A second process shares nothing with the first but the refresh-token
// store: it refreshes, learns its advertiser from Authorizer, and calls
// /v3.0; past the access token's life the client refreshes by itself.
func TestV3OAuthFromStoredRefreshToken(t *testing.T) {
	srv := wxadstest.NewServer(t, wxadstest.WithFrozenClock())
	ctx := context.Background()
	admin := srv.Admin()
	app, err := admin.CreateOAuthClient(ctx, "Dev Tool", []string{"https://dev.example.com/cb"})
	mustNoErr(t, err)
	cfg := client.OAuthConfig{BaseURL: srv.URL, ClientID: app.ClientID, ClientSecret: app.ClientSecret,
		RedirectURI: "https://dev.example.com/cb", Now: srv.Clock.Now}

	// The authorization URL names the app, the redirect, the state and scopes.
	u, err := url.Parse(cfg.AuthorizeURL("xyz", "user_actions"))
	mustNoErr(t, err)
	if q := u.Query(); u.Path != "/oauth/authorize" || q.Get("state") != "xyz" || q.Get("scope") != "user_actions" ||
		q.Get("redirect_uri") != cfg.RedirectURI || q.Get("client_id") == "" {
		t.Fatalf("authorize URL %s", u)
	}

	store := &client.MemoryRefreshStore{}
	code, err := admin.IssueOAuthCode(ctx, app.ClientID, srv.AccountID, "user_actions")
	mustNoErr(t, err)
	first := client.NewOAuth(cfg, store)
	if first.Authorizer() != nil {
		t.Fatal("Authorizer before any grant")
	}
	if _, err := first.Exchange(ctx, code); err != nil {
		t.Fatal(err)
	}

	second := client.NewOAuth(cfg, store)
	if _, err := second.Refresh(ctx); err != nil {
		t.Fatal(err)
	}
	who := second.Authorizer()
	if who == nil || who.AccountID != srv.AccountID {
		t.Fatalf("authorizer %+v, want account %d", who, srv.AccountID)
	}
	c, err := client.New("", "", client.WithBaseURL(srv.URL), client.WithTokenSource(second),
		client.WithAccountID(who.AccountID), client.WithClock(srv.Clock.Now))
	mustNoErr(t, err)
	before, _, _ := second.Token(ctx, false)
	if _, err := c.V3().ActionSets.Get(ctx, client.V3ActionSetFilter{}); err != nil {
		t.Fatal(err)
	}
	srv.Clock.Advance(wxads.OAuthAccessTTL * time.Second)
	sets, err := c.V3().ActionSets.Get(ctx, client.V3ActionSetFilter{Types: []string{"WECHAT"}})
	if err != nil || len(sets) != 1 || sets[0].ID != srv.SetID {
		t.Fatalf("after the access token expired: %v %+v", err, sets)
	}
	if after, _, _ := second.Token(ctx, false); after == before {
		t.Fatal("access token not refreshed")
	}
}
