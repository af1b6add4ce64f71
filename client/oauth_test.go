package client_test

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/wxads/wxads"
	"github.com/wxads/wxads/client"
	"github.com/wxads/wxads/wxadstest"
)

func TestOAuthClientActsForTheAdvertiser(t *testing.T) {
	srv := wxadstest.NewServer(t, wxadstest.WithFrozenClock())
	ctx := context.Background()
	c, o := srv.OAuthClient("")
	list, err := c.Templates.Get(ctx, client.TemplateQuery{PageSize: 1})
	if err != nil || len(list.List) != 1 {
		t.Fatalf("templates with an OAuth token: %v %+v", err, list)
	}
	first, _, err := o.Token(ctx, false)
	if err != nil {
		t.Fatal(err)
	}
	// Past the access token's life the client refreshes by itself.
	srv.Clock.Advance(wxads.OAuthAccessTTL * time.Second)
	if _, err := c.Templates.Get(ctx, client.TemplateQuery{PageSize: 1}); err != nil {
		t.Fatalf("after expiry: %v", err)
	}
	second, _, _ := o.Token(ctx, false)
	if second == first {
		t.Fatal("access token not refreshed")
	}
}

// countingStore counts loads: each load is one /oauth/token refresh.
type countingStore struct {
	client.MemoryRefreshStore
	mu    sync.Mutex
	loads int
}

func (s *countingStore) Load(ctx context.Context) (string, error) {
	s.mu.Lock()
	s.loads++
	s.mu.Unlock()
	return s.MemoryRefreshStore.Load(ctx)
}

func TestOAuthRefreshSingleFlight(t *testing.T) {
	srv := wxadstest.NewServer(t, wxadstest.WithFrozenClock())
	ctx := context.Background()
	_, seeded := srv.OAuthClient("ads_management")
	tokens, err := seeded.Refresh(ctx)
	if err != nil {
		t.Fatal(err)
	}
	// A second process with only the stored refresh token.
	store := &countingStore{}
	store.Save(ctx, tokens.RefreshToken)
	cfg := oauthConfigOf(t, srv, seeded)
	o := client.NewOAuth(cfg, store)
	var wg sync.WaitGroup
	got := make([]string, 16)
	for i := range got {
		wg.Add(1)
		go func() {
			defer wg.Done()
			tok, _, err := o.Token(ctx, false)
			if err != nil {
				t.Error(err)
			}
			got[i] = tok
		}()
	}
	wg.Wait()
	if store.loads != 1 {
		t.Fatalf("%d refreshes for 16 concurrent callers, want 1", store.loads)
	}
	for _, g := range got {
		if g != got[0] || g == "" {
			t.Fatalf("callers got different tokens: %q", got)
		}
	}
	if saved, _ := store.MemoryRefreshStore.Load(ctx); saved != tokens.RefreshToken {
		t.Fatalf("stored refresh token %q", saved)
	}
}

func TestOAuthErrors(t *testing.T) {
	srv := wxadstest.NewServer(t)
	ctx := context.Background()
	_, seeded := srv.OAuthClient("")
	cfg := oauthConfigOf(t, srv, seeded)
	if _, _, err := client.NewOAuth(cfg, nil).Token(ctx, false); !errors.Is(err, client.ErrNoRefreshToken) {
		t.Fatalf("empty store: %v", err)
	}
	_, err := client.NewOAuth(cfg, nil).Exchange(ctx, strings.Repeat("a", 32))
	var apiErr *client.APIError
	if !errors.As(err, &apiErr) || apiErr.Code != wxads.CodeV11TokenInvalid || strings.Contains(err.Error(), cfg.ClientSecret) {
		t.Fatalf("unknown code: %v", err)
	}
	bad := cfg
	bad.ClientSecret = strings.Repeat("0", 32)
	_, err = client.NewOAuth(bad, nil).Exchange(ctx, strings.Repeat("a", 32))
	if !errors.As(err, &apiErr) || apiErr.Code != wxads.CodeOAuthClientInvalid {
		t.Fatalf("wrong secret: %v", err)
	}
	u := cfg.AuthorizeURL("st 1", "ads_management", "user_actions")
	if !strings.HasPrefix(u, srv.URL+"/oauth/authorize?") || !strings.Contains(u, "scope=ads_management%2Cuser_actions") ||
		!strings.Contains(u, "state=st+1") || !strings.Contains(u, "redirect_uri=") {
		t.Fatalf("authorize URL %s", u)
	}
}

func oauthConfigOf(t *testing.T, srv *wxadstest.Server, o *client.OAuth) client.OAuthConfig {
	t.Helper()
	cfg := o.Config()
	if cfg.BaseURL != srv.URL || cfg.ClientID == 0 {
		t.Fatalf("config %+v", cfg)
	}
	return cfg
}
