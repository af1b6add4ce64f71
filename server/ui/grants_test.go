package ui_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"
)

// accountOf is the advertiser of appid.
func (w *world) accountOf(appid string) int64 {
	w.t.Helper()
	var app struct {
		AccountID int64 `json:"account_id"`
	}
	w.admin("GET", "/admin/v1/apps/"+appid, nil, &app)
	return app.AccountID
}

// oauthGrant registers a developer app called name, has the advertiser of
// appid authorize it (an admin-issued code, traded at /oauth/token) and
// returns the app's client id and its access token.
func (w *world) oauthGrant(appid, name string) (client int64, access string) {
	w.t.Helper()
	var c struct {
		ID     int64  `json:"client_id"`
		Secret string `json:"client_secret"`
	}
	w.admin("POST", "/admin/v1/oauth_clients", map[string]any{"name": name, "redirect_uris": []string{"https://dev.example.com/cb"}}, &c)
	var code struct {
		Code string `json:"authorization_code"`
	}
	w.admin("POST", "/admin/v1/oauth_codes", map[string]any{"client_id": c.ID, "account_id": w.accountOf(appid)}, &code)
	var tok struct {
		AccessToken string `json:"access_token"`
	}
	w.call("GET", "/oauth/token?"+url.Values{"client_id": {strconv.FormatInt(c.ID, 10)}, "client_secret": {c.Secret},
		"grant_type": {"authorization_code"}, "authorization_code": {code.Code}}.Encode(), nil, nil, &tok, true)
	return c.ID, tok.AccessToken
}

// v3Code calls GET /v3.0/user_action_sets/get with an OAuth token for the
// advertiser of appid and returns the answer's code.
func (w *world) v3Code(appid, access string) int {
	w.t.Helper()
	q := url.Values{"access_token": {access}, "timestamp": {strconv.FormatInt(time.Now().Unix(), 10)},
		"nonce": {fmt.Sprint("ui-", time.Now().UnixNano())}, "account_id": {strconv.FormatInt(w.accountOf(appid), 10)}}
	resp, err := http.Get(w.srv.URL + "/v3.0/user_action_sets/get?" + q.Encode())
	if err != nil {
		w.t.Fatal(err)
	}
	defer resp.Body.Close()
	var env struct {
		Code *int `json:"code"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&env); err != nil || env.Code == nil {
		w.t.Fatalf("v3.0 answer without a code: %v", err)
	}
	return *env.Code
}

// Over HTTP: the page lists the advertiser's apps only; a revoke needs the
// session's CSRF token; another advertiser's app cannot be revoked from
// this page; the operator sees and revokes for a chosen advertiser.
func TestGrantsPage(t *testing.T) {
	w := newWorld(t)
	mine, access := w.oauthGrant(w.appid, "Acme 数据助手")
	theirs, otherAccess := w.oauthGrant(w.other.appid, "Other Tool")
	c := w.browser()
	if status := w.signIn(c, w.appid, w.secret); status != http.StatusSeeOther {
		t.Fatalf("sign-in: %d", status)
	}
	status, body := w.get(c, "/ui/grants")
	if status != http.StatusOK || !strings.Contains(body, "Acme 数据助手") || !strings.Contains(body, fmt.Sprintf(`id="grant-%d"`, mine)) ||
		strings.Contains(body, "Other Tool") {
		t.Fatalf("grants page %d: %.2000s", status, body)
	}
	// Without the CSRF token nothing is revoked.
	if status, _, _ := w.post(c, "/ui/grants", url.Values{"client_id": {itoa(mine)}}); status != http.StatusForbidden {
		t.Errorf("revoke without CSRF: %d, want 403", status)
	}
	if code := w.v3Code(w.appid, access); code != 0 {
		t.Fatalf("token after a refused form: code %d", code)
	}
	// Another advertiser's app, named by hand: refused as unknown (31011), nothing revoked.
	token := w.csrf(c, "/ui/grants")
	w.post(c, "/ui/grants", url.Values{"csrf": {token}, "client_id": {itoa(theirs)}})
	if _, body := w.get(c, "/ui/grants"); !strings.Contains(body, "errcode 31011") {
		t.Errorf("revoking another's app: flash missing 31011: %.1500s", body)
	}
	if code := w.v3Code(w.other.appid, otherAccess); code != 0 {
		t.Fatalf("the other advertiser's token: code %d", code)
	}
	if status, _, _ := w.post(c, "/ui/grants", url.Values{"csrf": {token}, "client_id": {"abc"}}); status != http.StatusBadRequest {
		t.Errorf("client_id abc: %d, want 400", status)
	}

	// The operator picks the other advertiser and revokes its app.
	admin := w.browser()
	w.signInAdmin(admin)
	if _, body := w.get(admin, "/ui/grants"); !strings.Contains(body, `name="account"`) {
		t.Errorf("operator without an advertiser: no picker")
	}
	path := "/ui/grants?account=" + itoa(w.accountOf(w.other.appid))
	if _, body := w.get(admin, path); !strings.Contains(body, "Other Tool") || strings.Contains(body, "Acme 数据助手") {
		t.Fatalf("operator's view of the other advertiser: %.1500s", body)
	}
	status, _, resp := w.post(admin, "/ui/grants", url.Values{"csrf": {w.csrf(admin, path)}, "client_id": {itoa(theirs)},
		"client_name": {"Other Tool"}, "account": {itoa(w.accountOf(w.other.appid))}})
	if status != http.StatusSeeOther || resp.Header.Get("Location") != path {
		t.Fatalf("operator revoke: %d to %q", status, resp.Header.Get("Location"))
	}
	if code := w.v3Code(w.other.appid, otherAccess); code != 11002 {
		t.Errorf("revoked by the operator: code %d, want 11002", code)
	}
	if code := w.v3Code(w.appid, access); code != 0 {
		t.Errorf("the first advertiser's token after the operator revoked another's: code %d", code)
	}
}
