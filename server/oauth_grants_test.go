package server_test

import (
	"net/url"
	"testing"

	"github.com/wxads/wxads"
)

type grantJSON struct {
	ClientID         int64    `json:"client_id"`
	ClientName       string   `json:"client_name"`
	ScopeList        []string `json:"scope_list"`
	AuthorizedTime   string   `json:"authorized_time"`
	LastIssuedTime   string   `json:"last_issued_time"`
	LastUsedTime     string   `json:"last_used_time"`
	LiveTokenCount   int64    `json:"live_token_count"`
	PendingCodeCount int64    `json:"pending_code_count"`
}

func grantList(t *testing.T, e envelope) []grantJSON {
	t.Helper()
	return decodeData[struct {
		List []grantJSON `json:"list"`
	}](t, mustOK(t, e)).List
}

// authorizeOAuth trades an admin-issued code for tn and returns tn acting
// with the OAuth access token, and the refresh token.
func (h *harness) authorizeOAuth(c oauthClient, tn tenant, scope string) (tenant, string) {
	h.t.Helper()
	tok := decodeData[oauthTokens](h.t, mustOK(h.t, h.exchange(c, h.adminCode(c, tn.AccountID, scope), testRedirect)))
	return tenant{AccountID: tn.AccountID, Token: tok.AccessToken}, tok.RefreshToken
}

// An advertiser lists the apps it authorized and revokes one: every token
// of the pair fails at once (11002), even one whose check was cached by the
// call just before, and pending codes stop working. Another advertiser
// neither sees nor revokes them.
func TestOAuthGrantsListAndRevoke(t *testing.T) {
	h := newHarness(t)
	tn, other := h.newTenant(), h.newTenant()
	c1, c2 := h.newOAuthClient(), h.newOAuthClient()
	oa, refresh := h.authorizeOAuth(c1, tn, "user_actions,ads_management")
	otherOA, _ := h.authorizeOAuth(c1, other, "")
	pending := h.adminCode(c2, tn.AccountID, "user_actions")
	mustOK(t, h.v3(oa, "user_action_sets/get", nil)) // a use, and a cached token check

	now := harnessNow.In(wxads.CST).Format(wxads.TimeLayout)
	list := grantList(t, h.api(tn, "GET", "/ext/v1/oauth_grants/get", nil, nil))
	if len(list) != 2 {
		t.Fatalf("grants %+v", list)
	}
	g := list[0]
	if g.ClientID != c1.ID || g.ClientName != "Dev Tool" || len(g.ScopeList) != 2 || g.AuthorizedTime != now ||
		g.LastIssuedTime != now || g.LastUsedTime != now || g.LiveTokenCount != 2 || g.PendingCodeCount != 0 {
		t.Errorf("grant of c1 %+v", g)
	}
	if g := list[1]; g.ClientID != c2.ID || g.LastIssuedTime != "" || g.LastUsedTime != "" || g.LiveTokenCount != 0 || g.PendingCodeCount != 1 {
		t.Errorf("pending grant of c2 %+v", g)
	}
	if l := grantList(t, h.api(other, "GET", "/ext/v1/oauth_grants/get", nil, nil)); len(l) != 1 || l[0].ClientID != c1.ID || l[0].LastUsedTime != "" {
		t.Errorf("other's grants %+v", l)
	}
	// The admin read shows the same; it needs a known account.
	if l := grantList(t, h.admin("GET", "/admin/v1/oauth_grants?account_id="+itoa(tn.AccountID), nil)); len(l) != 2 {
		t.Errorf("admin read %+v", l)
	}
	wantCode(t, h.admin("GET", "/admin/v1/oauth_grants", nil), wxads.CodeRequired)
	wantCode(t, h.admin("GET", "/admin/v1/oauth_grants?account_id=99999", nil), wxads.CodeNotAccessible)
	// An OAuth token does nothing on the WeChat side, this route included.
	wantCode(t, h.api(oa, "GET", "/ext/v1/oauth_grants/get", nil, nil), wxads.CodeInvalidAccessToken)

	// Another advertiser cannot revoke tn's grant, only its own of the same app.
	wantCode(t, h.api(other, "POST", "/ext/v1/oauth_grants/revoke", nil, map[string]any{"client_id": c2.ID}), wxads.CodeNotAccessible)
	e := mustOK(t, h.api(other, "POST", "/ext/v1/oauth_grants/revoke", nil, map[string]any{"client_id": itoa(c1.ID)}))
	if d := decodeData[map[string]int64](t, e); d["client_id"] != c1.ID || d["revoked_token_count"] != 2 {
		t.Errorf("other's revocation %s", e.Data)
	}
	wantCode(t, h.v3(otherOA, "user_action_sets/get", nil), wxads.CodeV11TokenInvalid)
	mustOK(t, h.v3(oa, "user_action_sets/get", nil))

	// Bad input is a platform error, never a 5xx.
	wantCode(t, h.api(tn, "POST", "/ext/v1/oauth_grants/revoke", nil, map[string]any{}), wxads.CodeRequired)
	if e := h.api(tn, "POST", "/ext/v1/oauth_grants/revoke", nil, `{"client_id":"abc"}`); e.Errcode != wxads.CodeWrongType {
		t.Errorf("client_id abc: %s", e.Raw)
	}
	wantCode(t, h.api(tn, "POST", "/ext/v1/oauth_grants/revoke", nil, map[string]any{"client_id": 1}), wxads.CodeNotAccessible)

	// tn revokes c1: the token that passed a moment ago (its check cached) is refused.
	e = mustOK(t, h.api(tn, "POST", "/ext/v1/oauth_grants/revoke", nil, map[string]any{"client_id": c1.ID}))
	if d := decodeData[map[string]int64](t, e); d["revoked_token_count"] != 2 {
		t.Errorf("revocation %s", e.Data)
	}
	wantCode(t, h.v3(oa, "user_action_sets/get", nil), wxads.CodeV11TokenInvalid)
	wantCode(t, h.v11(oa, nil), wxads.CodeV11TokenInvalid)
	wantCode(t, h.refresh(c1, refresh), wxads.CodeV11TokenInvalid)
	wantCode(t, h.api(tn, "POST", "/ext/v1/oauth_grants/revoke", nil, map[string]any{"client_id": c1.ID}), wxads.CodeNotAccessible)

	// The operator revokes the pending one; its code no longer trades.
	wantCode(t, h.admin("POST", "/admin/v1/oauth_grants/revoke", map[string]any{"client_id": c2.ID}), wxads.CodeRequired)
	wantCode(t, h.admin("POST", "/admin/v1/oauth_grants/revoke", map[string]any{"account_id": 99999, "client_id": c2.ID}), wxads.CodeNotAccessible)
	mustOK(t, h.admin("POST", "/admin/v1/oauth_grants/revoke", map[string]any{"account_id": tn.AccountID, "client_id": c2.ID}))
	wantCode(t, h.exchange(c2, pending, testRedirect), wxads.CodeV11TokenInvalid)
	if l := grantList(t, h.api(tn, "GET", "/ext/v1/oauth_grants/get", url.Values{}, nil)); len(l) != 0 {
		t.Errorf("grants after revoking both: %+v", l)
	}
	// Authorizing again works and makes a new grant.
	again, _ := h.authorizeOAuth(c1, tn, "")
	mustOK(t, h.v3(again, "user_action_sets/get", nil))
}
