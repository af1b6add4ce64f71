package storetest

import (
	"bytes"
	"crypto/sha256"
	"errors"
	"fmt"
	"slices"
	"sync"
	"testing"

	"github.com/wxads/wxads"
)

func hashOf(s string) []byte {
	h := sha256.Sum256([]byte(s))
	return h[:]
}

// testOAuth: clients, single-use codes (also under concurrent redemption),
// expiry, refresh restarting the refresh token's life, look-ups.
func testOAuth(t *testing.T, f *fixture) {
	o, ok := f.s.(wxads.OAuthStore)
	if !ok {
		t.Fatal("the backend does not implement wxads.OAuthStore")
	}
	acc := f.advertiser("Acme")
	c := &wxads.OAuthClient{Name: "Dev", SecretHash: hashOf("secret"), RedirectURIs: []string{"https://a.example/cb", "http://127.0.0.1:8085/cb"}, CreatedTime: t0}
	f.must(o.CreateOAuthClient(f.ctx, c), "CreateOAuthClient")
	c2 := &wxads.OAuthClient{Name: "Other", SecretHash: hashOf("s2"), RedirectURIs: []string{"https://b.example/cb"}, CreatedTime: t0}
	f.must(o.CreateOAuthClient(f.ctx, c2), "CreateOAuthClient 2")
	if c.ID <= 0 || c2.ID == c.ID {
		t.Fatalf("client ids %d, %d", c.ID, c2.ID)
	}
	got, err := o.OAuthClient(f.ctx, c.ID)
	f.must(err, "OAuthClient")
	if got.Name != "Dev" || !bytes.Equal(got.SecretHash, c.SecretHash) || !slices.Equal(got.RedirectURIs, c.RedirectURIs) || got.CreatedTime != t0 {
		t.Fatalf("client %+v", got)
	}
	_, err = o.OAuthClient(f.ctx, c2.ID+1000)
	f.wantErr(err, wxads.ErrNotFound, "unknown client")

	scopes := []string{"ads_management", "user_actions"}
	code := wxads.OAuthCode{Hash: hashOf("code1"), ClientID: c.ID, AccountID: acc, RedirectURI: "https://a.example/cb",
		Scopes: scopes, IssuedAt: t0, ExpiresAt: t0 + wxads.OAuthCodeTTL}
	f.must(o.IssueOAuthCode(f.ctx, code), "IssueOAuthCode")
	tokens := func(n int) (access, refresh wxads.OAuthToken) {
		return wxads.OAuthToken{Hash: hashOf(fmt.Sprint("a", n)), IssuedAt: t0, ExpiresAt: t0 + wxads.OAuthAccessTTL},
			wxads.OAuthToken{Hash: hashOf(fmt.Sprint("r", n)), IssuedAt: t0, ExpiresAt: t0 + wxads.OAuthRefreshTTL}
	}
	// A refusing check leaves the code unused.
	refused := errors.New("refused")
	a, r := tokens(0)
	_, err = o.RedeemOAuthCode(f.ctx, code.Hash, t0, func(*wxads.OAuthCode) error { return refused }, a, r)
	f.wantErr(err, refused, "check refusal")
	_, err = o.LookupOAuthToken(f.ctx, a.Hash)
	f.wantErr(err, wxads.ErrNotFound, "no token after a refusal")

	// Eight racing redemptions: exactly one wins.
	var wg sync.WaitGroup
	var mu sync.Mutex
	wins, used := 0, 0
	for i := 1; i <= 8; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			a, r := tokens(i)
			rc, err := o.RedeemOAuthCode(f.ctx, code.Hash, t0+10, func(c *wxads.OAuthCode) error {
				if c.ClientID != code.ClientID || c.RedirectURI != code.RedirectURI || !slices.Equal(c.Scopes, scopes) {
					return fmt.Errorf("code seen as %+v", c)
				}
				return nil
			}, a, r)
			mu.Lock()
			defer mu.Unlock()
			switch {
			case err == nil && rc.AccountID == acc:
				wins++
			case errors.Is(err, wxads.ErrCodeUsed):
				used++
			default:
				t.Errorf("redeem %d: %v", i, err)
			}
		}()
	}
	wg.Wait()
	if wins != 1 || used != 7 {
		t.Fatalf("racing redemptions: %d won, %d saw used", wins, used)
	}
	_, err = o.RedeemOAuthCode(f.ctx, hashOf("nope"), t0, nil, a, r)
	f.wantErr(err, wxads.ErrNotFound, "unknown code")

	// A code lives through its 300th second.
	late := wxads.OAuthCode{Hash: hashOf("code2"), ClientID: c.ID, AccountID: acc, Scopes: scopes, IssuedAt: t0, ExpiresAt: t0 + wxads.OAuthCodeTTL}
	f.must(o.IssueOAuthCode(f.ctx, late), "IssueOAuthCode late")
	a, r = tokens(100)
	_, err = o.RedeemOAuthCode(f.ctx, late.Hash, t0+wxads.OAuthCodeTTL+1, nil, a, r)
	f.wantErr(err, wxads.ErrExpired, "expired code")
	a, r = tokens(101)
	rc, err := o.RedeemOAuthCode(f.ctx, late.Hash, t0+wxads.OAuthCodeTTL, nil, a, r)
	f.must(err, "code at its last second")
	if rc.RedirectURI != "" || rc.AccountID != acc {
		t.Fatalf("redeemed %+v", rc)
	}
	at, err := o.LookupOAuthToken(f.ctx, a.Hash)
	f.must(err, "LookupOAuthToken access")
	if at.Kind != wxads.OAuthAccess || at.AccountID != acc || at.ClientID != c.ID || !slices.Equal(at.Scopes, scopes) ||
		at.ExpiresAt != t0+wxads.OAuthAccessTTL || !bytes.Equal(at.Refresh, r.Hash) {
		t.Fatalf("access token %+v", at)
	}
	rt, err := o.LookupOAuthToken(f.ctx, r.Hash)
	f.must(err, "LookupOAuthToken refresh")
	if rt.Kind != wxads.OAuthRefresh || rt.AccountID != acc || rt.ExpiresAt != t0+wxads.OAuthRefreshTTL {
		t.Fatalf("refresh token %+v", rt)
	}

	// Refresh: a new access token, the refresh token's life restarted.
	now := t0 + wxads.OAuthRefreshTTL
	na := wxads.OAuthToken{Hash: hashOf("a-new"), IssuedAt: now, ExpiresAt: now + wxads.OAuthAccessTTL}
	got2, err := o.RefreshOAuth(f.ctx, r.Hash, now, nil, na, now+wxads.OAuthRefreshTTL)
	f.must(err, "RefreshOAuth")
	if got2.AccountID != acc || got2.ExpiresAt != now+wxads.OAuthRefreshTTL {
		t.Fatalf("refreshed %+v", got2)
	}
	nt, err := o.LookupOAuthToken(f.ctx, na.Hash)
	f.must(err, "new access token")
	if nt.Kind != wxads.OAuthAccess || nt.AccountID != acc || !slices.Equal(nt.Scopes, scopes) || nt.ClientID != c.ID {
		t.Fatalf("new access token %+v", nt)
	}
	_, err = o.RefreshOAuth(f.ctx, r.Hash, now, func(*wxads.OAuthToken) error { return refused },
		wxads.OAuthToken{Hash: hashOf("a-refused")}, now)
	f.wantErr(err, refused, "refresh check")
	_, err = o.RefreshOAuth(f.ctx, r.Hash, now+2*wxads.OAuthRefreshTTL, nil, wxads.OAuthToken{Hash: hashOf("a-late")}, 0)
	f.wantErr(err, wxads.ErrExpired, "expired refresh token")
	_, err = o.RefreshOAuth(f.ctx, a.Hash, now, nil, wxads.OAuthToken{Hash: hashOf("a-from-access")}, 0)
	f.wantErr(err, wxads.ErrNotFound, "an access token is no refresh token")
	_, err = o.LookupOAuthToken(f.ctx, hashOf("a-late"))
	f.wantErr(err, wxads.ErrNotFound, "nothing stored by a failed refresh")
}
