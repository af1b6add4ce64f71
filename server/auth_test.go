package server_test

import (
	"net/url"
	"strings"
	"testing"

	"github.com/wxads/wxads"
)

// authRoute is a token-authenticated GET route and the query it needs to
// succeed for tn.
type authRoute struct {
	path  string
	query func(h *harness, tn tenant) url.Values
}

var authRoutes = []authRoute{
	{"/marketing/user_action_sets/get", func(*harness, tenant) url.Values { return url.Values{} }},
	{"/ext/v1/user_actions/get", func(h *harness, tn tenant) url.Values {
		return url.Values{"user_action_set_id": {itoa(h.newSet(tn, "auth"))}}
	}},
}

// call uses token on the route.
func (r authRoute) call(h *harness, q url.Values, token string) envelope {
	h.t.Helper()
	q2 := url.Values{}
	for k, v := range q {
		q2[k] = v
	}
	if token != "" {
		q2.Set("access_token", token)
	}
	return h.do("GET", r.path, q2, nil, nil)
}

// eachAuthRoute runs f per route on a fresh harness, with a tenant whose
// token was issued at harnessNow, which is where the clock stands.
func eachAuthRoute(t *testing.T, f func(t *testing.T, h *harness, route authRoute, tn tenant, q url.Values)) {
	for _, route := range authRoutes {
		t.Run(strings.TrimPrefix(route.path, "/"), func(t *testing.T) {
			h := newHarness(t)
			h.at(harnessNow.Unix())
			tn := h.newTenant()
			q := route.query(h, tn)
			h.at(harnessNow.Unix())
			f(t, h, route, tn, q)
		})
	}
}

// Using a token: 41001 missing, 40014 unknown, 42001 expired (checked
// first), 40001 superseded past its 5 minutes.
func TestTokenUse(t *testing.T) {
	eachAuthRoute(t, func(t *testing.T, h *harness, route authRoute, tn tenant, q url.Values) {
		t0 := harnessNow.Unix()
		mustOK(t, route.call(h, q, tn.Token))

		wantCode(t, route.call(h, q, ""), wxads.CodeMissingAccessToken)
		q2 := url.Values{"access_token": {""}}
		for k, v := range q {
			q2[k] = v
		}
		wantCode(t, h.do("GET", route.path, q2, nil, nil), wxads.CodeMissingAccessToken)
		for _, bad := range []string{"x", tn.Token + "x", tn.Token[1:], strings.ToUpper(tn.Token), strings.Repeat("A", 4096), "☃\x00"} {
			wantCode(t, route.call(h, q, bad), wxads.CodeInvalidAccessToken)
		}
		// A secret is not a token.
		wantCode(t, route.call(h, q, tn.Secret), wxads.CodeInvalidAccessToken)

		// Expiry: older than expires_in — valid through 7200 s, expired at 7201 s.
		h.at(t0 + wxads.TokenTTL)
		mustOK(t, route.call(h, q, tn.Token))
		h.at(t0 + wxads.TokenTTL + 1)
		wantCode(t, route.call(h, q, tn.Token), wxads.CodeAccessTokenExpired)
	})
}

// A superseded token lives exactly 300 s more: valid at +299 and +300, 40001
// at +301; the new token is unaffected.
func TestTokenSupersedeGrace(t *testing.T) {
	eachAuthRoute(t, func(t *testing.T, h *harness, route authRoute, tn tenant, q url.Values) {
		t0 := harnessNow.Unix()
		h.at(t0 + 60)
		newer := h.token(tn.AppID, tn.Secret)
		for _, d := range []int64{0, wxads.SupersedeGrace - 1, wxads.SupersedeGrace} {
			h.at(t0 + 60 + d)
			mustOK(t, route.call(h, q, tn.Token))
		}
		h.at(t0 + 60 + wxads.SupersedeGrace + 1)
		e := route.call(h, q, tn.Token)
		wantCode(t, e, wxads.CodeInvalidCredential)
		if e.Errmsg == "" {
			t.Errorf("40001 without errmsg: %s", e.Raw)
		}
		mustOK(t, route.call(h, q, newer))

		// A chain: only the latest survives past the grace.
		third := h.token(tn.AppID, tn.Secret)
		h.at(t0 + 60 + 2*(wxads.SupersedeGrace+1))
		wantCode(t, route.call(h, q, newer), wxads.CodeInvalidCredential)
		mustOK(t, route.call(h, q, third))
	})
}

// A token both expired and superseded past its grace is 42001: expiry is
// checked first.
func TestTokenExpiryBeforeSupersede(t *testing.T) {
	h := newHarness(t)
	t0 := harnessNow.Unix()
	h.at(t0)
	tn := h.newTenant()
	h.at(t0 + 6000)
	h.token(tn.AppID, tn.Secret) // supersedes tn.Token; its grace ends at +6300
	h.at(t0 + 6500)
	wantCode(t, h.useToken(tn.Token), wxads.CodeInvalidCredential)
	h.at(t0 + wxads.TokenTTL + 1)
	wantCode(t, h.useToken(tn.Token), wxads.CodeAccessTokenExpired)
}

// A PENDING advertiser gets 48001 "api unauthorized" on every call; the same
// token works again once it is APPROVED.
func TestPendingAdvertiser(t *testing.T) {
	eachAuthRoute(t, func(t *testing.T, h *harness, route authRoute, tn tenant, q url.Values) {
		h.setStatus(tn.AccountID, wxads.StatusPending)
		e := route.call(h, q, tn.Token)
		wantCode(t, e, wxads.CodeAPIUnauthorized)
		if e.Errmsg != "api unauthorized" {
			t.Errorf("errmsg %q, want the seed FAQ's literal %q", e.Errmsg, "api unauthorized")
		}
		// Token errors still come first.
		wantCode(t, route.call(h, q, ""), wxads.CodeMissingAccessToken)
		wantCode(t, route.call(h, q, "nope"), wxads.CodeInvalidAccessToken)
		h.setStatus(tn.AccountID, wxads.StatusApproved)
		mustOK(t, route.call(h, q, tn.Token))
	})
}

// An advertiser created PENDING may fetch tokens but not use them; every
// API route says 48001.
func TestPendingAdvertiserFromCreation(t *testing.T) {
	h := newHarness(t)
	account := h.newAdvertiser(wxads.StatusPending)
	appid, secret := h.newApp(account, nil)
	tn := tenant{AccountID: account, AppID: appid, Secret: secret, Token: h.token(appid, secret)}
	stable := tokenOf(t, h.stableToken(appid, secret, false)).AccessToken
	routes := []struct{ method, path string }{
		{"POST", "/marketing/user_action_sets/add"},
		{"GET", "/marketing/user_action_sets/get"},
		{"POST", "/marketing/user_actions/add"},
		{"GET", "/marketing/user_action_set_reports/get"},
		{"GET", "/ext/v1/user_actions/get"},
		{"GET", "/ext/v1/ad_reports/get"},
		{"POST", "/ext/v1/adcreative_templates/validate"},
	}
	for _, r := range routes {
		var body any
		if r.method == "POST" {
			body = map[string]any{}
		}
		wantCode(t, h.api(tn, r.method, r.path, nil, body), wxads.CodeAPIUnauthorized)
		wantCode(t, h.do(r.method, r.path, url.Values{"access_token": {stable}}, body, nil), wxads.CodeAPIUnauthorized)
	}
	h.setStatus(account, wxads.StatusApproved)
	mustOK(t, h.useToken(tn.Token))
	mustOK(t, h.useToken(stable))
}
