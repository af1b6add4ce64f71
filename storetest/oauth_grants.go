package storetest

import (
	"errors"
	"fmt"
	"slices"
	"sync"
	"testing"

	"github.com/wxads/wxads"
)

// grantFixture is two advertisers and two developer apps.
type grantFixture struct {
	*fixture
	o          wxads.OAuthStore
	acc, other int64
	c1, c2     int64
}

func newGrantFixture(t *testing.T, f *fixture) *grantFixture {
	o, ok := f.s.(wxads.OAuthStore)
	if !ok {
		t.Fatal("the backend does not implement wxads.OAuthStore")
	}
	g := &grantFixture{fixture: f, o: o, acc: f.advertiser("Acme"), other: f.advertiser("Beta")}
	for i, id := range []*int64{&g.c1, &g.c2} {
		c := &wxads.OAuthClient{Name: fmt.Sprint("Dev ", i+1), SecretHash: hashOf("s"), RedirectURIs: []string{"https://a.example/cb"}, CreatedTime: t0}
		f.must(o.CreateOAuthClient(f.ctx, c), "CreateOAuthClient")
		*id = c.ID
	}
	return g
}

// authorize issues a code for (account, client) at `at` and redeems it,
// returning the access and refresh token hashes.
func (g *grantFixture) authorize(account, client int64, name string, at int64, scopes ...string) (access, refresh []byte) {
	g.t.Helper()
	code := g.code(account, client, name, at, scopes...)
	a := wxads.OAuthToken{Hash: hashOf("a-" + name), IssuedAt: at, ExpiresAt: at + wxads.OAuthAccessTTL}
	r := wxads.OAuthToken{Hash: hashOf("r-" + name), IssuedAt: at, ExpiresAt: at + wxads.OAuthRefreshTTL}
	_, err := g.o.RedeemOAuthCode(g.ctx, code, at, nil, a, r)
	g.must(err, "RedeemOAuthCode "+name)
	return a.Hash, r.Hash
}

// code issues an authorization code and returns its hash.
func (g *grantFixture) code(account, client int64, name string, at int64, scopes ...string) []byte {
	g.t.Helper()
	c := wxads.OAuthCode{Hash: hashOf("code-" + name), ClientID: client, AccountID: account, Scopes: scopes,
		IssuedAt: at, ExpiresAt: at + wxads.OAuthCodeTTL}
	g.must(g.o.IssueOAuthCode(g.ctx, c), "IssueOAuthCode "+name)
	return c.Hash
}

func (g *grantFixture) grants(account, now int64) []wxads.OAuthGrant {
	g.t.Helper()
	list, err := g.o.OAuthGrants(g.ctx, account, now)
	g.must(err, "OAuthGrants")
	return list
}

// testOAuthGrants: an advertiser's authorized apps as its tokens and codes
// show them, last use, revocation of every token and pending code of the
// pair, and another tenant neither seeing nor revoking them.
func testOAuthGrants(t *testing.T, f *fixture) {
	g := newGrantFixture(t, f)
	if list := g.grants(g.acc, t0); len(list) != 0 {
		t.Fatalf("grants before any authorization: %+v", list)
	}
	access, refresh := g.authorize(g.acc, g.c1, "acc-c1", t0, "ads_management", "user_actions")
	g.code(g.acc, g.c2, "acc-c2", t0+10, "user_actions") // approved, not yet traded
	otherAccess, _ := g.authorize(g.other, g.c1, "other-c1", t0+20, "ads_insights")

	// A refresh issues another access token with the grant's scopes.
	na := wxads.OAuthToken{Hash: hashOf("a-acc-c1-2"), IssuedAt: t0 + 100, ExpiresAt: t0 + 100 + wxads.OAuthAccessTTL}
	_, err := g.o.RefreshOAuth(g.ctx, refresh, t0+100, nil, na, t0+100+wxads.OAuthRefreshTTL)
	g.must(err, "RefreshOAuth")
	g.must(g.o.TouchOAuthToken(g.ctx, access, t0+200), "TouchOAuthToken")
	g.must(g.o.TouchOAuthToken(g.ctx, access, t0+150), "TouchOAuthToken earlier") // never moves back

	list := g.grants(g.acc, t0+300)
	want := []wxads.OAuthGrant{
		{ClientID: g.c1, ClientName: "Dev 1", AccountID: g.acc, Scopes: []string{"ads_management", "user_actions"},
			AuthorizedAt: t0, LastIssuedAt: t0 + 100, LastUsedAt: t0 + 200, LiveTokens: 3},
		{ClientID: g.c2, ClientName: "Dev 2", AccountID: g.acc, Scopes: []string{"user_actions"},
			AuthorizedAt: t0 + 10, PendingCodes: 1},
	}
	if !grantsEqual(list, want) {
		t.Fatalf("grants of acc:\n got %+v\nwant %+v", list, want)
	}
	// The first access token has expired a day later; the refreshed one not yet.
	if l := g.grants(g.acc, t0+wxads.OAuthAccessTTL+1); len(l) != 1 || l[0].LiveTokens != 2 {
		t.Errorf("a day later (the code expired, one access token too): %+v", l)
	}
	// Every token past its life: still listed, nothing live, until revoked.
	if l := g.grants(g.acc, t0+2*wxads.OAuthRefreshTTL); len(l) != 1 || l[0].ClientID != g.c1 || l[0].LiveTokens != 0 {
		t.Errorf("after every token expired: %+v", l)
	}
	other := g.grants(g.other, t0+300)
	if len(other) != 1 || other[0].ClientID != g.c1 || other[0].AccountID != g.other || !slices.Equal(other[0].Scopes, []string{"ads_insights"}) ||
		other[0].LiveTokens != 2 || other[0].AuthorizedAt != t0+20 {
		t.Fatalf("grants of the other advertiser: %+v", other)
	}

	// Another tenant cannot revoke what it never authorized, and revoking its
	// own grant of the same app leaves acc's untouched.
	_, err = g.o.RevokeOAuthGrant(g.ctx, g.other, g.c2)
	g.wantErr(err, wxads.ErrNotFound, "other revokes a client it never authorized")
	n, err := g.o.RevokeOAuthGrant(g.ctx, g.other, g.c1)
	g.must(err, "other revokes its own grant")
	if n != 2 {
		t.Errorf("other's revocation removed %d tokens, want 2", n)
	}
	_, err = g.o.LookupOAuthToken(g.ctx, otherAccess)
	g.wantErr(err, wxads.ErrNotFound, "other's token after its revocation")
	if l := g.grants(g.acc, t0+300); !grantsEqual(l, want) {
		t.Fatalf("acc's grants changed by another tenant's revocation: %+v", l)
	}

	// acc revokes c1: every token of the pair fails at once.
	n, err = g.o.RevokeOAuthGrant(g.ctx, g.acc, g.c1)
	g.must(err, "RevokeOAuthGrant")
	if n != 3 {
		t.Errorf("revocation removed %d tokens, want 3", n)
	}
	for _, h := range [][]byte{access, refresh, na.Hash} {
		_, err = g.o.LookupOAuthToken(g.ctx, h)
		g.wantErr(err, wxads.ErrNotFound, "token after revocation")
	}
	_, err = g.o.RefreshOAuth(g.ctx, refresh, t0+400, nil, wxads.OAuthToken{Hash: hashOf("a-after")}, t0+400)
	g.wantErr(err, wxads.ErrNotFound, "refresh after revocation")
	_, err = g.o.RevokeOAuthGrant(g.ctx, g.acc, g.c1)
	g.wantErr(err, wxads.ErrNotFound, "revoking twice")

	// Revoking c2 makes its pending code unusable.
	_, err = g.o.RevokeOAuthGrant(g.ctx, g.acc, g.c2)
	g.must(err, "revoke the pending grant")
	_, err = g.o.RedeemOAuthCode(g.ctx, hashOf("code-acc-c2"), t0+30, nil,
		wxads.OAuthToken{Hash: hashOf("a-late")}, wxads.OAuthToken{Hash: hashOf("r-late")})
	g.wantErr(err, wxads.ErrNotFound, "code after revocation")
	if l := g.grants(g.acc, t0+300); len(l) != 0 {
		t.Fatalf("grants after revoking both: %+v", l)
	}
	// Authorizing again starts a new grant.
	g.authorize(g.acc, g.c1, "acc-c1-again", t0+500)
	if l := g.grants(g.acc, t0+600); len(l) != 1 || l[0].AuthorizedAt != t0+500 || l[0].LastUsedAt != 0 {
		t.Fatalf("grant after authorizing again: %+v", l)
	}
}

// testOAuthGrantRevokeRace: refreshes and redemptions racing with a
// revocation either fail or leave tokens the revocation deleted; nothing of
// the pair survives it.
func testOAuthGrantRevokeRace(t *testing.T, f *fixture) {
	g := newGrantFixture(t, f)
	_, refresh := g.authorize(g.acc, g.c1, "base", t0)
	codes := make([][]byte, 4)
	for i := range codes {
		codes[i] = g.code(g.acc, g.c1, fmt.Sprint("race-", i), t0)
	}
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			a := wxads.OAuthToken{Hash: hashOf(fmt.Sprint("a-race-", i)), IssuedAt: t0 + 1, ExpiresAt: t0 + wxads.OAuthAccessTTL}
			var err error
			if i < len(codes) {
				r := wxads.OAuthToken{Hash: hashOf(fmt.Sprint("r-race-", i)), IssuedAt: t0 + 1, ExpiresAt: t0 + wxads.OAuthRefreshTTL}
				_, err = g.o.RedeemOAuthCode(g.ctx, codes[i], t0+1, nil, a, r)
			} else {
				_, err = g.o.RefreshOAuth(g.ctx, refresh, t0+1, nil, a, t0+wxads.OAuthRefreshTTL)
			}
			if err != nil && !errors.Is(err, wxads.ErrNotFound) {
				t.Errorf("racing call %d: %v", i, err)
			}
		}()
	}
	wg.Add(1)
	go func() {
		defer wg.Done()
		<-start
		if _, err := g.o.RevokeOAuthGrant(g.ctx, g.acc, g.c1); err != nil {
			t.Errorf("RevokeOAuthGrant: %v", err)
		}
	}()
	close(start)
	wg.Wait()
	for i := range 8 {
		if _, err := g.o.LookupOAuthToken(g.ctx, hashOf(fmt.Sprint("a-race-", i))); !errors.Is(err, wxads.ErrNotFound) {
			t.Errorf("access token %d survived the revocation (err %v)", i, err)
		}
	}
	if l := g.grants(g.acc, t0+10); len(l) != 0 {
		t.Errorf("grants after the race: %+v", l)
	}
}

func grantsEqual(a, b []wxads.OAuthGrant) bool {
	return slices.EqualFunc(a, b, func(x, y wxads.OAuthGrant) bool {
		return x.ClientID == y.ClientID && x.ClientName == y.ClientName && x.AccountID == y.AccountID &&
			slices.Equal(x.Scopes, y.Scopes) && x.AuthorizedAt == y.AuthorizedAt && x.LastIssuedAt == y.LastIssuedAt &&
			x.LastUsedAt == y.LastUsedAt && x.LiveTokens == y.LiveTokens && x.PendingCodes == y.PendingCodes
	})
}
