package server_test

import (
	"encoding/json"
	"fmt"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/wxads/wxads"
	"github.com/wxads/wxads/server"
)

// Both token endpoints report the same credential errors, in SPEC §4's order.
func TestTokenCredentialErrors(t *testing.T) {
	h := newHarness(t)
	tn := h.newTenant()
	walled, walledSecret := h.newApp(tn.AccountID, []string{"10.0.0.0/8"})
	const cc = "client_credential"
	cases := []struct {
		name                 string
		grant, appid, secret string
		code                 int
	}{
		{"grant_type missing", "", tn.AppID, tn.Secret, wxads.CodeInvalidGrantType},
		{"grant_type wrong", "authorization_code", tn.AppID, tn.Secret, wxads.CodeInvalidGrantType},
		{"grant_type wrong case", "CLIENT_CREDENTIAL", tn.AppID, tn.Secret, wxads.CodeInvalidGrantType},
		{"grant_type checked first", "x", "", "", wxads.CodeInvalidGrantType},
		{"appid missing", cc, "", tn.Secret, wxads.CodeMissingAppID},
		{"appid missing before secret", cc, "", "", wxads.CodeMissingAppID},
		{"appid unknown", cc, "wx0123456789abcdef", tn.Secret, wxads.CodeInvalidAppID},
		{"appid garbage", cc, "not an appid ☃", tn.Secret, wxads.CodeInvalidAppID},
		{"appid unknown before secret", cc, "wx0123456789abcdef", "", wxads.CodeInvalidAppID},
		{"secret missing", cc, tn.AppID, "", wxads.CodeMissingSecret},
		{"secret wrong", cc, tn.AppID, strings.Repeat("0", 32), wxads.CodeInvalidCredential},
		{"secret of another app", cc, tn.AppID, walledSecret, wxads.CodeInvalidCredential},
		{"secret upper case", cc, tn.AppID, strings.ToUpper(tn.Secret), wxads.CodeInvalidCredential},
		{"secret with a suffix", cc, tn.AppID, tn.Secret + "0", wxads.CodeInvalidCredential},
		{"ip not whitelisted", cc, walled, walledSecret, wxads.CodeIPNotWhitelisted},
		{"secret checked before ip", cc, walled, tn.Secret, wxads.CodeInvalidCredential},
	}
	for _, c := range cases {
		t.Run("token/"+c.name, func(t *testing.T) {
			q := url.Values{}
			for k, v := range map[string]string{"grant_type": c.grant, "appid": c.appid, "secret": c.secret} {
				if v != "" {
					q.Set(k, v)
				}
			}
			e := h.getToken(q, nil)
			wantCode(t, e, c.code)
			if e.Errmsg == "" || strings.Contains(string(e.Raw), "access_token") {
				t.Errorf("error reply %s", e.Raw)
			}
		})
		t.Run("stable_token/"+c.name, func(t *testing.T) {
			body := map[string]any{"force_refresh": false}
			for k, v := range map[string]string{"grant_type": c.grant, "appid": c.appid, "secret": c.secret} {
				if v != "" {
					body[k] = v
				}
			}
			e := h.do("POST", "/cgi-bin/stable_token", nil, body, nil)
			wantCode(t, e, c.code)
			if e.Errmsg == "" || strings.Contains(string(e.Raw), "access_token") {
				t.Errorf("error reply %s", e.Raw)
			}
		})
	}
}

// A token reply is exactly {"access_token","expires_in":7200}; each call
// issues a new token.
func TestTokenIssue(t *testing.T) {
	h := newHarness(t)
	tn := h.newTenant()
	e := h.getToken(credQuery(tn.AppID, tn.Secret), nil)
	var fields map[string]any
	if err := json.Unmarshal(e.Raw, &fields); err != nil || len(fields) != 2 {
		t.Fatalf("token reply %s: want exactly access_token and expires_in", e.Raw)
	}
	tok := tokenOf(t, e)
	if tok.ExpiresIn != wxads.TokenTTL {
		t.Errorf("expires_in %d, want %d", tok.ExpiresIn, wxads.TokenTTL)
	}
	if tok.AccessToken == tn.Token {
		t.Error("a second call returned the same token")
	}
	mustOK(t, h.useToken(tok.AccessToken))
	// Unknown JSON fields are ignored by stable_token.
	mustOK(t, h.do("POST", "/cgi-bin/stable_token", nil, map[string]any{"grant_type": "client_credential",
		"appid": tn.AppID, "secret": tn.Secret, "extra": []any{1, "x", nil}}, nil))
}

// 2000 /cgi-bin/token issues per appid per GMT+8 day; failed calls and
// stable_token calls do not count; the quota resets at GMT+8 midnight.
func TestTokenDailyQuota(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	// 07:30 GMT+8 is 23:30 UTC of the day before: UTC midnight falls inside
	// the GMT+8 day and must not reset the quota.
	start := time.Date(2026, 11, 23, 7, 30, 0, 0, wxads.CST)
	h.at(start.Unix())
	account := h.newAdvertiser("APPROVED")
	appid, secret := h.newApp(account, nil)
	other, otherSecret := h.newApp(account, nil)
	good := credQuery(appid, secret)
	for range 10 {
		wantCode(t, h.getToken(credQuery(appid, "wrong"), nil), wxads.CodeInvalidCredential)
		wantCode(t, h.getToken(url.Values{"appid": {appid}, "secret": {secret}}, nil), wxads.CodeInvalidGrantType)
		tokenOf(t, h.stableToken(appid, secret, false))
	}
	// All but the last two concurrently: the count is exact under contention.
	var mu sync.Mutex
	codes := map[int]int{}
	parallel(wxads.TokenDailyLimit-2, 4, func(int) {
		code, _, err := h.try("GET", "/cgi-bin/token", good, "")
		if err != nil {
			t.Error(err)
		}
		mu.Lock()
		codes[code]++
		mu.Unlock()
	})
	if codes[0] != wxads.TokenDailyLimit-2 {
		t.Fatalf("concurrent issues answered %v, want %d successes", codes, wxads.TokenDailyLimit-2)
	}
	previous := tokenOf(t, h.getToken(good, nil)).AccessToken
	last := tokenOf(t, h.getToken(good, nil)).AccessToken
	over := h.getToken(good, nil)
	wantCode(t, over, wxads.CodeDailyQuota)
	if over.Errmsg == "" {
		t.Errorf("45009 without errmsg: %s", over.Raw)
	}
	// A refused call supersedes nothing and hides no other error.
	wantCode(t, h.getToken(credQuery(appid, "wrong"), nil), wxads.CodeInvalidCredential)
	h.at(start.Unix() + wxads.SupersedeGrace + 1)
	mustOK(t, h.useToken(last))
	wantCode(t, h.useToken(previous), wxads.CodeInvalidCredential)
	// Per appid; stable tokens are not limited by it.
	tokenOf(t, h.getToken(credQuery(other, otherSecret), nil))
	tokenOf(t, h.stableToken(appid, secret, true))

	for _, at := range []time.Time{
		time.Date(2026, 11, 23, 8, 0, 0, 0, wxads.CST), // UTC midnight
		time.Date(2026, 11, 23, 23, 59, 59, 0, wxads.CST),
	} {
		h.at(at.Unix())
		wantCode(t, h.getToken(good, nil), wxads.CodeDailyQuota)
	}
	h.at(time.Date(2026, 11, 24, 0, 0, 0, 0, wxads.CST).Unix())
	tokenOf(t, h.getToken(good, nil))
}

// stable_token returns the current token while it has ≥300 s left, with
// what is left as expires_in; then a new one.
func TestStableTokenReuse(t *testing.T) {
	h := newHarness(t)
	tn := h.newTenant()
	t0 := harnessNow.Unix()
	h.at(t0)
	s1 := tokenOf(t, h.stableToken(tn.AppID, tn.Secret, false))
	if s1.ExpiresIn != wxads.TokenTTL {
		t.Fatalf("first stable token expires_in %d", s1.ExpiresIn)
	}
	for _, c := range []struct{ at, left int64 }{{1, 7199}, {100, 7100}, {6900, 300}} {
		h.at(t0 + c.at)
		got := tokenOf(t, h.stableToken(tn.AppID, tn.Secret, false))
		if got.AccessToken != s1.AccessToken || got.ExpiresIn != c.left {
			t.Errorf("at +%ds: got %+v, want the same token with expires_in %d", c.at, got, c.left)
		}
	}
	h.at(t0 + 6901) // 299 s left: a new one
	s2 := tokenOf(t, h.stableToken(tn.AppID, tn.Secret, false))
	if s2.AccessToken == s1.AccessToken || s2.ExpiresIn != wxads.TokenTTL {
		t.Fatalf("with 299 s left: got %+v, want a new token for 7200 s", s2)
	}
	mustOK(t, h.useToken(s1.AccessToken)) // still within its life and grace
	mustOK(t, h.useToken(s2.AccessToken))
	h.at(t0 + 7000)
	if got := tokenOf(t, h.stableToken(tn.AppID, tn.Secret, false)); got.AccessToken != s2.AccessToken || got.ExpiresIn != 7101 {
		t.Errorf("at +7000s: got %+v, want the second token with 7101 s left", got)
	}
	h.at(t0 + 7201)
	wantCode(t, h.useToken(s1.AccessToken), wxads.CodeAccessTokenExpired)

	// Each app has its own stable token.
	other, otherSecret := h.newApp(tn.AccountID, nil)
	if got := tokenOf(t, h.stableToken(other, otherSecret, false)); got.AccessToken == s2.AccessToken {
		t.Error("two apps share a stable token")
	}
}

// force_refresh: a new token, the old one lives 5 more minutes; at most 20 a
// GMT+8 day, 30 s apart.
func TestStableTokenForceRefresh(t *testing.T) {
	h := newHarness(t)
	tn := h.newTenant()
	t0 := harnessNow.Unix()
	h.at(t0)
	s1 := tokenOf(t, h.stableToken(tn.AppID, tn.Secret, false))
	h.at(t0 + 10)
	s2 := tokenOf(t, h.stableToken(tn.AppID, tn.Secret, true))
	if s2.AccessToken == s1.AccessToken || s2.ExpiresIn != wxads.TokenTTL {
		t.Fatalf("forced refresh: got %+v, want a new token for 7200 s", s2)
	}
	if got := tokenOf(t, h.stableToken(tn.AppID, tn.Secret, false)); got.AccessToken != s2.AccessToken {
		t.Error("after a forced refresh the unforced call does not return the new token")
	}
	h.at(t0 + 10 + wxads.SupersedeGrace)
	mustOK(t, h.useToken(s1.AccessToken))
	h.at(t0 + 10 + wxads.SupersedeGrace + 1)
	wantCode(t, h.useToken(s1.AccessToken), wxads.CodeInvalidCredential)
	mustOK(t, h.useToken(s2.AccessToken))

	// 30 s apart: refused at +29, allowed at +30; refusals do not count.
	last := t0 + 10
	for _, d := range []int64{1, 29} {
		h.at(last + d)
		wantCode(t, h.stableToken(tn.AppID, tn.Secret, true), wxads.CodeTooFrequent)
	}
	for n := 2; n <= wxads.ForceDailyLimit; n++ {
		last += wxads.ForceMinInterval
		h.at(last)
		tokenOf(t, h.stableToken(tn.AppID, tn.Secret, true))
	}
	h.at(last + wxads.ForceMinInterval)
	wantCode(t, h.stableToken(tn.AppID, tn.Secret, true), wxads.CodeDailyQuota)
	current := tokenOf(t, h.stableToken(tn.AppID, tn.Secret, false)) // unforced calls go on
	h.at(time.Date(2026, 11, 24, 0, 0, 0, 0, wxads.CST).Unix())
	if got := tokenOf(t, h.stableToken(tn.AppID, tn.Secret, true)); got.AccessToken == current.AccessToken {
		t.Error("the next day's forced refresh returned the old token")
	}

	// The 30 s interval spans midnight.
	app, secret := h.newApp(tn.AccountID, nil)
	h.at(time.Date(2026, 11, 24, 23, 59, 50, 0, wxads.CST).Unix())
	tokenOf(t, h.stableToken(app, secret, true))
	h.at(time.Date(2026, 11, 25, 0, 0, 10, 0, wxads.CST).Unix())
	wantCode(t, h.stableToken(app, secret, true), wxads.CodeTooFrequent)
	h.at(time.Date(2026, 11, 25, 0, 0, 20, 0, wxads.CST).Unix())
	tokenOf(t, h.stableToken(app, secret, true))
}

// Stable tokens and /cgi-bin/token tokens do not supersede each other.
func TestStableAndNormalTokensIndependent(t *testing.T) {
	h := newHarness(t)
	tn := h.newTenant()
	t0 := harnessNow.Unix()
	h.at(t0)
	n1 := h.token(tn.AppID, tn.Secret)
	s1 := tokenOf(t, h.stableToken(tn.AppID, tn.Secret, false))
	h.at(t0 + 1)
	n2 := h.token(tn.AppID, tn.Secret)
	if got := tokenOf(t, h.stableToken(tn.AppID, tn.Secret, false)); got.AccessToken != s1.AccessToken {
		t.Fatal("a /cgi-bin/token issue replaced the stable token")
	}
	h.at(t0 + 1 + wxads.SupersedeGrace + 1)
	wantCode(t, h.useToken(n1), wxads.CodeInvalidCredential)
	mustOK(t, h.useToken(s1.AccessToken))
	s2 := tokenOf(t, h.stableToken(tn.AppID, tn.Secret, true))
	h.at(t0 + 1 + 2*(wxads.SupersedeGrace+1))
	wantCode(t, h.useToken(s1.AccessToken), wxads.CodeInvalidCredential)
	mustOK(t, h.useToken(n2))
	mustOK(t, h.useToken(s2.AccessToken))
}

func TestTokenEndpointMethods(t *testing.T) {
	h := newHarness(t)
	tn := h.newTenant()
	for _, m := range []string{"POST", "PUT", "DELETE", "PATCH"} {
		wantCode(t, h.do(m, "/cgi-bin/token", credQuery(tn.AppID, tn.Secret), nil, nil), wxads.CodeRequireGET)
	}
	for _, m := range []string{"GET", "PUT", "DELETE"} {
		wantCode(t, h.do(m, "/cgi-bin/stable_token", nil, nil, nil), wxads.CodeRequirePOST)
	}
}

func TestStableTokenBody(t *testing.T) {
	h := newHarness(t)
	tn := h.newTenant()
	cases := []struct {
		name string
		body string
		code int
	}{
		{"empty", "", wxads.CodeEmptyBody},
		{"blank", " \r\n\t", wxads.CodeEmptyBody},
		{"truncated", `{"grant_type":"client_credential"`, wxads.CodeBadJSON},
		{"form encoded", "grant_type=client_credential&appid=" + tn.AppID, wxads.CodeBadJSON},
		{"array", "[]", wxads.CodeBadJSON},
		{"null", "null", wxads.CodeBadJSON},
		{"number", "1", wxads.CodeBadJSON},
		{"string", `"x"`, wxads.CodeBadJSON},
		{"bool", "true", wxads.CodeBadJSON},
		{"two objects", "{}{}", wxads.CodeBadJSON},
		{"empty object", "{}", wxads.CodeInvalidGrantType},
		{"only grant_type", `{"grant_type":"client_credential"}`, wxads.CodeMissingAppID},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			wantCode(t, h.do("POST", "/cgi-bin/stable_token", nil, c.body, nil), c.code)
		})
	}
	// The route's limit is 4 KiB (its body needs a few hundred bytes): a body
	// of exactly that size is read, one byte more is 413.
	creds := `{"grant_type":"client_credential","appid":"` + tn.AppID + `","secret":"` + tn.Secret + `","pad":"`
	pad := func(size int) string { return creds + strings.Repeat("x", size-len(creds)-2) + `"}` }
	tokenOf(t, h.do("POST", "/cgi-bin/stable_token", nil, pad(server.TokenBodyLimit), nil))
	e := h.do("POST", "/cgi-bin/stable_token", nil, pad(server.TokenBodyLimit+1), nil)
	wantCode(t, e, wxads.CodeBodyTooLarge)
	if e.Status != 413 {
		t.Errorf("over the limit: HTTP %d, want 413", e.Status)
	}
}

// Without trusted proxies X-Forwarded-For is never believed: a loopback
// peer claiming a whitelisted address is still a loopback peer.
func TestTokenIgnoresForwardedForFromUntrustedPeer(t *testing.T) {
	h := newHarness(t)
	account := h.newAdvertiser("APPROVED")
	walled, walledSecret := h.newApp(account, []string{"10.0.0.0/8"})
	for _, hdr := range [][]string{{"10.0.0.1"}, {"203.0.113.9, 10.0.0.1"}, {"10.0.0.1", "10.0.0.2"}} {
		wantCode(t, h.getToken(credQuery(walled, walledSecret), xff(hdr...)), wxads.CodeIPNotWhitelisted)
		wantCode(t, h.do("POST", "/cgi-bin/stable_token", nil, map[string]any{"grant_type": "client_credential",
			"appid": walled, "secret": walledSecret}, xff(hdr...)), wxads.CodeIPNotWhitelisted)
	}
	// And a header naming a foreign address does not lock the real peer out.
	loop, loopSecret := h.newApp(account, nil)
	tokenOf(t, h.getToken(credQuery(loop, loopSecret), xff("203.0.113.9")))
	tokenOf(t, h.getToken(credQuery(loop, loopSecret), xff("garbage")))
}

// Concurrent calls: of simultaneous /cgi-bin/token issues exactly one is
// current after the grace; simultaneous stable_token calls share one token;
// of simultaneous forced refreshes exactly one succeeds.
func TestTokenConcurrency(t *testing.T) {
	h := newHarness(t)
	t0 := harnessNow.Unix()
	h.at(t0)
	account := h.newAdvertiser("APPROVED")
	appid, secret := h.newApp(account, nil)
	const n = 8
	tokens := make([]string, n)
	parallel(n, n, func(i int) {
		code, tok, err := h.try("GET", "/cgi-bin/token", credQuery(appid, secret), "")
		if err != nil || code != 0 {
			t.Errorf("issue %d: errcode %d, %v", i, code, err)
		}
		tokens[i] = tok
	})
	h.at(t0 + wxads.SupersedeGrace + 1)
	valid := 0
	for _, tok := range tokens {
		if h.useToken(tok).Errcode == 0 {
			valid++
		}
	}
	if valid != 1 {
		t.Errorf("%d of %d concurrently issued tokens survive the grace, want 1", valid, n)
	}

	body := func(force bool) string {
		return fmt.Sprintf(`{"grant_type":"client_credential","appid":%q,"secret":%q,"force_refresh":%t}`, appid, secret, force)
	}
	stable := make([]string, n)
	parallel(n, n, func(i int) {
		code, tok, err := h.try("POST", "/cgi-bin/stable_token", nil, body(false))
		if err != nil || code != 0 {
			t.Errorf("stable %d: errcode %d, %v", i, code, err)
		}
		stable[i] = tok
	})
	for _, tok := range stable {
		if tok != stable[0] {
			t.Fatalf("concurrent stable_token calls returned different tokens: %q", stable)
		}
	}
	codes := make([]int, n)
	parallel(n, n, func(i int) {
		var err error
		if codes[i], _, err = h.try("POST", "/cgi-bin/stable_token", nil, body(true)); err != nil {
			t.Error(err)
		}
	})
	slices.Sort(codes)
	if codes[0] != 0 || codes[1] != wxads.CodeTooFrequent || codes[n-1] != wxads.CodeTooFrequent {
		t.Errorf("concurrent forced refreshes answered %v, want one 0 and 45011 for the rest", codes)
	}
}

// A node whose server key differs from the one that derived the current
// stable token (a rotated key, a restart without DATA/server.key) cannot
// hand that token out again: it issues the next generation instead of a
// token nobody can use.
func TestStableTokenAfterServerKeyChange(t *testing.T) {
	h := newHarness(t)
	tn := h.newTenant()
	s1 := tokenOf(t, h.stableToken(tn.AppID, tn.Secret, false))
	cfg := h.cfg
	cfg.ServerKey = []byte("another-server-key")
	other := httptest.NewServer(server.New(cfg))
	defer other.Close()
	h2 := *h
	h2.srv = other
	s2 := tokenOf(t, h2.stableToken(tn.AppID, tn.Secret, false))
	if s2.AccessToken == s1.AccessToken {
		t.Fatal("the other key derived the same token")
	}
	mustOK(t, h2.useToken(s2.AccessToken))
	mustOK(t, h.useToken(s1.AccessToken)) // superseded, within its grace
	if got := tokenOf(t, h2.stableToken(tn.AppID, tn.Secret, false)); got.AccessToken != s2.AccessToken {
		t.Error("the new generation is not reused")
	}
}
