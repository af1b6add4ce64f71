package server_test

import (
	"fmt"
	"net/http/httptest"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/wxads/wxads"
	"github.com/wxads/wxads/server"
)

// heldTokens are the tokens a holder of tn's secret has: both kinds, one of
// each already superseded (inside its grace) and one current.
type heldTokens struct {
	normalOld, normal, stableOld, stable string
}

func (h *harness) holdTokens(tn tenant) heldTokens {
	h.t.Helper()
	var held heldTokens
	held.normalOld = tn.Token
	held.normal = h.token(tn.AppID, tn.Secret)
	held.stableOld = tokenOf(h.t, h.stableToken(tn.AppID, tn.Secret, false)).AccessToken
	held.stable = tokenOf(h.t, h.stableToken(tn.AppID, tn.Secret, true)).AccessToken
	for _, tok := range held.all() {
		mustOK(h.t, h.useToken(tok))
	}
	return held
}

func (k heldTokens) all() []string { return []string{k.normalOld, k.normal, k.stableOld, k.stable} }

// wantRevoked checks every token is refused at once: 40001 on the WeChat
// side, 11002 on /v1.1; no grace.
func (h *harness) wantRevoked(t *testing.T, tn tenant, held heldTokens) {
	t.Helper()
	for _, tok := range held.all() {
		wantCode(t, h.useToken(tok), wxads.CodeInvalidCredential)
		wantCode(t, h.v11(tenant{Token: tok, AccountID: tn.AccountID}, nil), wxads.CodeV11TokenInvalid)
	}
}

// Issue 12 item 1: reset_secret ends every token of the app at once, and the
// next stable_token with the new secret derives a token the old holder never had.
func TestResetSecretRevokesTokens(t *testing.T) {
	h := newHarness(t)
	tn, other := h.newTenant(), h.newTenant()
	held := h.holdTokens(tn)
	otherHeld := h.holdTokens(other)

	secret := decodeData[struct {
		Secret string `json:"secret"`
	}](t, mustOK(t, h.admin("POST", "/admin/v1/apps/"+tn.AppID+"/reset_secret", nil))).Secret
	h.wantRevoked(t, tn, held)

	fresh := tokenOf(t, h.stableToken(tn.AppID, secret, false))
	for _, tok := range held.all() {
		if fresh.AccessToken == tok {
			t.Fatal("stable_token with the new secret handed out a token the old secret's holder has")
		}
	}
	if fresh.ExpiresIn != wxads.TokenTTL {
		t.Errorf("new stable token expires_in %d, want %d", fresh.ExpiresIn, wxads.TokenTTL)
	}
	mustOK(t, h.useToken(fresh.AccessToken))
	mustOK(t, h.useToken(h.token(tn.AppID, secret)))
	if again := tokenOf(t, h.stableToken(tn.AppID, secret, false)); again.AccessToken != fresh.AccessToken {
		t.Error("the new stable token is not reused by the next call")
	}
	for _, tok := range otherHeld.all() { // another app's tokens are untouched
		mustOK(t, h.useToken(tok))
	}
}

// POST /admin/v1/apps/{appid}/revoke_tokens: every token ends at once, the
// secret keeps working and gets new tokens; another app is untouched.
func TestRevokeTokens(t *testing.T) {
	h := newHarness(t)
	tn, other := h.newTenant(), h.newTenant()
	held := h.holdTokens(tn)
	otherHeld := h.holdTokens(other)

	got := decodeData[struct {
		AppID string `json:"appid"`
	}](t, mustOK(t, h.admin("POST", "/admin/v1/apps/"+tn.AppID+"/revoke_tokens", nil)))
	if got.AppID != tn.AppID {
		t.Errorf("revoke_tokens answered appid %q", got.AppID)
	}
	h.wantRevoked(t, tn, held)
	for _, tok := range otherHeld.all() {
		mustOK(t, h.useToken(tok))
	}

	// The same secret still works; the stable token is a new derivation.
	fresh := tokenOf(t, h.stableToken(tn.AppID, tn.Secret, false))
	if fresh.AccessToken == held.stable || fresh.AccessToken == held.stableOld {
		t.Fatal("stable_token after revoke_tokens handed out a revoked token again")
	}
	mustOK(t, h.useToken(fresh.AccessToken))
	mustOK(t, h.useToken(h.token(tn.AppID, tn.Secret)))
	h.wantRevoked(t, tn, held) // the new tokens did not revive the old ones

	// A second revoke, with nothing or little to revoke, is fine.
	mustOK(t, h.admin("POST", "/admin/v1/apps/"+tn.AppID+"/revoke_tokens", nil))
	wantCode(t, h.useToken(fresh.AccessToken), wxads.CodeInvalidCredential)
	mustOK(t, h.admin("POST", "/admin/v1/apps/"+tn.AppID+"/revoke_tokens", ``))

	wantCode(t, h.admin("POST", "/admin/v1/apps/wx0123456789abcdef/revoke_tokens", nil), wxads.CodeInvalidAppID)
	wantCode(t, h.admin("GET", "/admin/v1/apps/"+tn.AppID+"/revoke_tokens", nil), wxads.CodeRequirePOST)
}

// Two nodes on one database agree at once: a revoke through one is seen by
// the other on the next request (each caches callers; the bus tells the
// other before the revoke is answered, authcache.go).
func TestRevokeSeenByAnotherNode(t *testing.T) {
	net := newBusNet(t)
	h := newHarness(t, net.node(t))
	tn := h.newTenant()
	held := h.holdTokens(tn)
	cfg := h.cfg
	net.node(t)(&cfg)
	other := httptest.NewServer(server.New(cfg))
	defer other.Close()
	h2 := *h
	h2.srv = other
	for _, tok := range held.all() {
		mustOK(t, h2.useToken(tok))
	}
	mustOK(t, h.admin("POST", "/admin/v1/apps/"+tn.AppID+"/revoke_tokens", nil))
	h2.wantRevoked(t, tn, held)
	fresh := tokenOf(t, h2.stableToken(tn.AppID, tn.Secret, false))
	if fresh.AccessToken == held.stable {
		t.Fatal("the other node handed out the revoked stable token")
	}
	mustOK(t, h.useToken(fresh.AccessToken))
}

// A token call that checked the old secret just before a reset_secret must
// not hand out a live token after it: the store issues only under the
// secret hash the caller verified. Callers hammer both token endpoints with
// the old secret across the reset; every token they got is refused after
// it, and none is the token the new secret's holder then receives.
func TestResetSecretRace(t *testing.T) {
	h := newHarness(t)
	tn := h.newTenant()
	secret := tn.Secret
	for round := range 15 {
		old := secret
		var mu sync.Mutex
		var got []string
		stop := make(chan struct{})
		var wg sync.WaitGroup
		for w := range 4 {
			wg.Go(func() {
				body := fmt.Sprintf(`{"grant_type":"client_credential","appid":%q,"secret":%q}`, tn.AppID, old)
				for i := 0; ; i++ {
					select {
					case <-stop:
						return
					default:
					}
					var code int
					var tok string
					var err error
					if w == 0 && i%8 == 0 {
						code, tok, err = h.try("GET", "/cgi-bin/token", credQuery(tn.AppID, old), "")
					} else {
						code, tok, err = h.try("POST", "/cgi-bin/stable_token", nil, body)
					}
					if err == nil && code == 0 {
						mu.Lock()
						got = append(got, tok)
						mu.Unlock()
					}
				}
			})
		}
		time.Sleep(10 * time.Millisecond)
		secret = decodeData[struct {
			Secret string `json:"secret"`
		}](t, mustOK(t, h.admin("POST", "/admin/v1/apps/"+tn.AppID+"/reset_secret", nil))).Secret
		time.Sleep(10 * time.Millisecond)
		close(stop)
		wg.Wait()
		fresh := tokenOf(t, h.stableToken(tn.AppID, secret, false)).AccessToken
		for _, tok := range slices.Compact(slices.Sorted(slices.Values(got))) {
			if tok == fresh {
				t.Fatalf("round %d: a caller with the old secret got the new secret's stable token", round)
			}
			if e := h.useToken(tok); e.Errcode != wxads.CodeInvalidCredential {
				t.Fatalf("round %d: a token got with the old secret works after the reset: %s", round, e.Raw)
			}
		}
	}
}
