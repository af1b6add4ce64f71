package server_test

import (
	"fmt"
	"testing"

	"github.com/wxads/wxads"
)

// Every write that changes a token check acts on the very next request of
// the same node, its cache warm.
func TestAuthCacheSameNode(t *testing.T) {
	h := newHarness(t)
	sameNodeChecks(t, h, h)
}

// The same across two nodes sharing PostgreSQL and Redis: the write on one,
// the next request on the other.
func TestAuthCacheTwoNodes(t *testing.T) {
	hs := pgNodes(t, 2)
	sameNodeChecks(t, hs[0], hs[1])
}

// sameNodeChecks writes through w and checks on r (w == r: one node).
func sameNodeChecks(t *testing.T, w, r *harness) {
	t.Run("revoke_tokens", func(t *testing.T) {
		tn := w.newTenant()
		warm(t, r, tn.Token)
		mustOK(t, w.admin("POST", "/admin/v1/apps/"+tn.AppID+"/revoke_tokens", nil))
		wantCode(t, r.useToken(tn.Token), wxads.CodeInvalidCredential)
	})
	t.Run("reset_secret", func(t *testing.T) {
		tn := w.newTenant()
		warm(t, r, tn.Token)
		mustOK(t, w.admin("POST", "/admin/v1/apps/"+tn.AppID+"/reset_secret", nil))
		wantCode(t, r.useToken(tn.Token), wxads.CodeInvalidCredential)
	})
	t.Run("supersede", func(t *testing.T) {
		tn := w.newTenant()
		warm(t, r, tn.Token)
		issued := w.clock.Now().Unix()
		fresh := w.token(tn.AppID, tn.Secret) // supersedes tn.Token: 300 s from now
		mustOK(t, r.useToken(tn.Token))
		w.at(issued + wxads.SupersedeGrace)
		mustOK(t, r.useToken(tn.Token))
		w.at(issued + wxads.SupersedeGrace + 1)
		wantCode(t, r.useToken(tn.Token), wxads.CodeInvalidCredential)
		mustOK(t, r.useToken(fresh))
		w.at(issued)
	})
	t.Run("stable_force_refresh", func(t *testing.T) {
		tn := w.newTenant()
		old := tokenOf(t, w.stableToken(tn.AppID, tn.Secret, false)).AccessToken
		warm(t, r, old)
		issued := w.clock.Now().Unix()
		tokenOf(t, w.stableToken(tn.AppID, tn.Secret, true))
		w.at(issued + wxads.SupersedeGrace + 1)
		wantCode(t, r.useToken(old), wxads.CodeInvalidCredential)
		w.at(issued)
	})
	t.Run("expiry", func(t *testing.T) {
		tn := w.newTenant()
		warm(t, r, tn.Token)
		now := w.clock.Now().Unix()
		w.at(now + wxads.TokenTTL)
		mustOK(t, r.useToken(tn.Token))
		w.at(now + wxads.TokenTTL + 1)
		wantCode(t, r.useToken(tn.Token), wxads.CodeAccessTokenExpired)
		w.at(now)
	})
	t.Run("advertiser_status", func(t *testing.T) {
		tn := w.newTenant()
		warm(t, r, tn.Token)
		w.setStatus(tn.AccountID, wxads.StatusPending)
		wantCode(t, r.useToken(tn.Token), wxads.CodeAPIUnauthorized)
		w.setStatus(tn.AccountID, wxads.StatusApproved)
		mustOK(t, r.useToken(tn.Token))
	})
	t.Run("oauth", func(t *testing.T) {
		tn := w.newTenant()
		c := w.newOAuthClient()
		tok := decodeData[oauthTokens](t, mustOK(t, w.exchange(c, w.adminCode(c, tn.AccountID, ""), testRedirect)))
		oa := tenant{AccountID: tn.AccountID, Token: tok.AccessToken}
		mustOK(t, r.v11(oa, nil))
		if !srvOf(r).AuthCached(oa.Token) {
			t.Fatal("the OAuth token's caller is not cached")
		}
		wantCode(t, r.useToken(oa.Token), wxads.CodeInvalidAccessToken) // Tencent side only, cached or not
		refreshed := decodeData[oauthTokens](t, mustOK(t, w.refresh(c, tok.RefreshToken)))
		mustOK(t, r.v11(tenant{AccountID: tn.AccountID, Token: refreshed.AccessToken}, nil))
		w.setStatus(tn.AccountID, wxads.StatusPending)
		wantCode(t, r.v11(oa, nil), wxads.CodeAPIUnauthorized)
		w.setStatus(tn.AccountID, wxads.StatusApproved)
		mustOK(t, r.v11(oa, nil))
	})
}

// Unknown tokens are never cached, and known ones only up to the capacity.
func TestAuthCacheBounded(t *testing.T) {
	h := newHarness(t)
	s := srvOf(h)
	s.SetAuthCacheMax(8)
	for i := range 2000 {
		wantCode(t, h.useToken(fmt.Sprintf("bad-token-%d", i)), wxads.CodeInvalidAccessToken)
	}
	if n := s.AuthCacheLen(); n != 0 {
		t.Fatalf("%d entries after 2000 unknown tokens; want 0", n)
	}
	tn := h.newTenant()
	for range 30 {
		mustOK(t, h.useToken(h.token(tn.AppID, tn.Secret)))
		if n := s.AuthCacheLen(); n > 8 {
			t.Fatalf("%d entries; the capacity is 8", n)
		}
	}
}
