package server_test

import (
	"net/http"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/wxads/wxads"
	"github.com/wxads/wxads/server"
)

// Every admin route answers 401 without the right bearer token, before
// looking at anything else, and does nothing.
func TestAdminNeedsBearerToken(t *testing.T) {
	h := newHarness(t)
	tn := h.newTenant()
	routes := []struct{ method, path string }{
		{"POST", "/admin/v1/advertisers"},
		{"PATCH", "/admin/v1/advertisers/" + itoa(tn.AccountID)},
		{"POST", "/admin/v1/apps"},
		{"POST", "/admin/v1/apps/" + tn.AppID + "/reset_secret"},
		{"PUT", "/admin/v1/apps/" + tn.AppID + "/ip_whitelist"},
		{"POST", "/admin/v1/apps/" + tn.AppID + "/followers"},
		{"POST", "/admin/v1/ad_events"},
		{"PUT", "/admin/v1/adcreative_templates"},
		{"POST", "/admin/v1/clock"},
		{"GET", "/admin/v1/advertisers"}, // wrong method
		{"GET", "/admin/v1/nope"},        // unknown path
		{"GET", "/admin/"},
	}
	headers := map[string]http.Header{
		"none":          nil,
		"wrong":         {"Authorization": {"Bearer wrong"}},
		"empty bearer":  {"Authorization": {"Bearer "}},
		"prefix":        {"Authorization": {"Bearer " + adminToken[:len(adminToken)-1]}},
		"suffix":        {"Authorization": {"Bearer " + adminToken + "x"}},
		"no scheme":     {"Authorization": {adminToken}},
		"basic":         {"Authorization": {"Basic " + adminToken}},
		"query instead": {"X-Admin-Token": {adminToken}},
	}
	for _, r := range routes {
		for name, hdr := range headers {
			e := h.do(r.method, r.path, nil, `{"status":"PENDING","ip_whitelist":[]}`, hdr)
			if e.Status != http.StatusUnauthorized || e.Header.Get("WWW-Authenticate") == "" {
				t.Errorf("%s %s, %s: HTTP %d %s, want 401 with WWW-Authenticate", r.method, r.path, name, e.Status, e.Raw)
			}
		}
	}
	mustOK(t, h.useToken(tn.Token))                             // the PATCH to PENDING did not happen
	tokenOf(t, h.getToken(credQuery(tn.AppID, tn.Secret), nil)) // nor the reset or whitelist

	// The scheme is case-insensitive (RFC 9110 §11.1).
	mustOK(t, h.do("POST", "/admin/v1/advertisers", nil, `{"name":"x"}`, http.Header{"Authorization": {"bearer " + adminToken}}))

	// No admin token configured: nobody gets in.
	closed := newHarness(t, func(c *server.Config) { c.AdminToken = "" })
	for _, hdr := range []string{"Bearer ", "Bearer"} {
		if e := closed.do("POST", "/admin/v1/advertisers", nil, `{"name":"x"}`, http.Header{"Authorization": {hdr}}); e.Status != http.StatusUnauthorized {
			t.Errorf("no admin token configured, %q: HTTP %d %s", hdr, e.Status, e.Raw)
		}
	}
}

func TestAdminAdvertisers(t *testing.T) {
	h := newHarness(t)
	create := func(body string) envelope { return h.admin("POST", "/admin/v1/advertisers", body) }
	for body, code := range map[string]int{
		`{}`:                                 wxads.CodeRequired,
		`{"name":""}`:                        wxads.CodeRequired,
		`{"status":"APPROVED"}`:              wxads.CodeRequired,
		`{"name":1}`:                         wxads.CodeWrongType,
		`{"name":"a","status":"approved"}`:   wxads.CodeNotInEnum,
		`{"name":"a","status":"DELETED"}`:    wxads.CodeNotInEnum,
		`{"name":"a","status":1}`:            wxads.CodeWrongType,
		``:                                   wxads.CodeEmptyBody,
		`[]`:                                 wxads.CodeBadJSON,
		`{"name":"a"`:                        wxads.CodeBadJSON,
		`{"name":"a","status":"APPROVED "}`:  wxads.CodeNotInEnum,
		`{"name":"a","status":["APPROVED"]}`: wxads.CodeWrongType,
	} {
		wantCode(t, create(body), code)
	}
	e := create(`{"name":""}`)
	if !strings.Contains(e.Errmsg, "'name'") {
		t.Errorf("18001 does not name the parameter: %s", e.Raw)
	}

	// Default status is APPROVED: its tokens work.
	id := decodeData[struct {
		AccountID int64 `json:"account_id"`
	}](t, mustOK(t, create(`{"name":"default"}`))).AccountID
	appid, secret := h.newApp(id, nil)
	tok := h.token(appid, secret)
	mustOK(t, h.useToken(tok))

	patch := func(id, body string) envelope { return h.admin("PATCH", "/admin/v1/advertisers/"+id, body) }
	got := decodeData[struct {
		AccountID int64  `json:"account_id"`
		Status    string `json:"status"`
	}](t, mustOK(t, patch(itoa(id), `{"status":"PENDING"}`)))
	if got.AccountID != id || got.Status != "PENDING" {
		t.Errorf("PATCH answered %+v", got)
	}
	wantCode(t, h.useToken(tok), wxads.CodeAPIUnauthorized)
	for path, code := range map[string]int{
		"999999":               wxads.CodeNotAccessible,
		"0":                    wxads.CodeNotAccessible,
		"-1":                   wxads.CodeNotAccessible,
		"abc":                  wxads.CodeNotAccessible,
		"99999999999999999999": wxads.CodeNotAccessible,
	} {
		wantCode(t, patch(path, `{"status":"APPROVED"}`), code)
	}
	wantCode(t, patch(itoa(id), `{}`), wxads.CodeRequired)
	wantCode(t, patch(itoa(id), `{"status":"LIMBO"}`), wxads.CodeNotInEnum)
	wantCode(t, patch(itoa(id), ``), wxads.CodeEmptyBody)
	wantCode(t, h.useToken(tok), wxads.CodeAPIUnauthorized) // none of those changed it
	mustOK(t, patch(itoa(id), `{"status":"APPROVED"}`))
	mustOK(t, h.useToken(tok))
}

var (
	appIDShape  = regexp.MustCompile(`^wx[0-9a-f]{16}$`)
	secretShape = regexp.MustCompile(`^[0-9a-f]{32}$`)
)

func TestAdminApps(t *testing.T) {
	h := newHarness(t)
	account := h.newAdvertiser("APPROVED")
	type app struct {
		AppID     string `json:"appid"`
		Secret    string `json:"secret"`
		AccountID int64  `json:"account_id"`
	}
	seen := map[string]bool{}
	for _, id := range []any{account, itoa(account)} {
		a := decodeData[app](t, mustOK(t, h.admin("POST", "/admin/v1/apps", map[string]any{"account_id": id, "name": "oa"})))
		if !appIDShape.MatchString(a.AppID) || !secretShape.MatchString(a.Secret) || a.AccountID != account {
			t.Errorf("account_id %#v: got %+v", id, a)
		}
		if seen[a.AppID] || seen[a.Secret] {
			t.Errorf("appid or secret repeated: %+v", a)
		}
		seen[a.AppID], seen[a.Secret] = true, true
		tokenOf(t, h.getToken(credQuery(a.AppID, a.Secret), nil))
	}
	for body, code := range map[string]int{
		`{"name":"x"}`:                        wxads.CodeRequired,
		`{"account_id":0}`:                    wxads.CodeNotAccessible,
		`{"account_id":999999}`:               wxads.CodeNotAccessible,
		`{"account_id":"999999"}`:             wxads.CodeNotAccessible,
		`{"account_id":"abc"}`:                wxads.CodeWrongType,
		`{"account_id":""}`:                   wxads.CodeWrongType,
		`{"account_id":-5}`:                   wxads.CodeNotAccessible,
		`{"account_id":1.5}`:                  wxads.CodeWrongType,
		`{"account_id":true}`:                 wxads.CodeWrongType,
		`{"account_id":1e400}`:                wxads.CodeWrongType,
		`{"account_id":99999999999999999999}`: wxads.CodeWrongType,
	} {
		wantCode(t, h.admin("POST", "/admin/v1/apps", body), code)
	}
	e := h.admin("POST", "/admin/v1/apps", map[string]any{"account_id": 999999})
	if !strings.Contains(e.Errmsg, "account_id") {
		t.Errorf("31011 does not name account_id: %s", e.Raw)
	}
}

// reset_secret: the old secret fails at once, the new one works.
func TestAdminResetSecret(t *testing.T) {
	h := newHarness(t)
	tn := h.newTenant()
	reset := func() string {
		return decodeData[struct {
			Secret string `json:"secret"`
		}](t, mustOK(t, h.admin("POST", "/admin/v1/apps/"+tn.AppID+"/reset_secret", nil))).Secret
	}
	s1 := reset()
	if !secretShape.MatchString(s1) || s1 == tn.Secret {
		t.Fatalf("new secret %q", s1)
	}
	wantCode(t, h.getToken(credQuery(tn.AppID, tn.Secret), nil), wxads.CodeInvalidCredential)
	wantCode(t, h.stableToken(tn.AppID, tn.Secret, false), wxads.CodeInvalidCredential)
	tokenOf(t, h.getToken(credQuery(tn.AppID, s1), nil))
	tokenOf(t, h.stableToken(tn.AppID, s1, false))
	s2 := reset()
	wantCode(t, h.getToken(credQuery(tn.AppID, s1), nil), wxads.CodeInvalidCredential)
	tokenOf(t, h.getToken(credQuery(tn.AppID, s2), nil))
	wantCode(t, h.admin("POST", "/admin/v1/apps/wx0123456789abcdef/reset_secret", nil), wxads.CodeInvalidAppID)
}

func TestAdminFollowers(t *testing.T) {
	h := newHarness(t)
	tn := h.newTenant()
	path := "/admin/v1/apps/" + tn.AppID + "/followers"
	type reply struct {
		AppID   string   `json:"appid"`
		OpenIDs []string `json:"openids"`
	}
	given := []string{"o" + strings.Repeat("A", 27), "o_-09azAZ" + strings.Repeat("x", 19)}
	got := decodeData[reply](t, mustOK(t, h.admin("POST", path, map[string]any{"openids": given})))
	if !slices.Equal(got.OpenIDs, given) || got.AppID != tn.AppID {
		t.Errorf("openids: got %+v, want %v", got, given)
	}
	mustOK(t, h.admin("POST", path, map[string]any{"openids": append(given, given[0])})) // repeats are fine

	generated := decodeData[reply](t, mustOK(t, h.admin("POST", path, map[string]any{"count": 5}))).OpenIDs
	if len(generated) != 5 || len(slices.Compact(slices.Sorted(slices.Values(generated)))) != 5 {
		t.Errorf("count 5: got %v", generated)
	}
	for _, o := range generated {
		if !wxads.ValidOpenID(o) {
			t.Errorf("generated openid %q has not the platform's shape", o)
		}
	}

	valid := given[0]
	for _, bad := range []string{"", "o", valid[:27], valid + "A", "O" + valid[1:], "x" + valid[1:],
		valid[:27] + "!", valid[:27] + " ", valid[:26] + "é", valid[:27] + "\x00"} {
		e := h.admin("POST", path, map[string]any{"openids": []string{valid, bad}})
		wantCode(t, e, wxads.CodeBadFormat)
		if !strings.Contains(e.Errmsg, "openids[1]") {
			t.Errorf("openid %q: errmsg %q does not name openids[1]", bad, e.Errmsg)
		}
	}
	for body, code := range map[string]int{
		`{}`:              wxads.CodeRequired,
		`{"count":0}`:     wxads.CodeRequired,
		`{"count":-1}`:    wxads.CodeRequired,
		`{"count":10001}`: wxads.CodeTooBig,
		`{"count":"5"}`:   wxads.CodeWrongType,
		`{"count":1e30}`:  wxads.CodeWrongType,
		`{"openids":[]}`:  wxads.CodeTooFew,
		`{"openids":"o"}`: wxads.CodeWrongType,
		`{"openids":[1]}`: wxads.CodeWrongType,
		`{"openids":["` + valid + `"],"count":2}`: wxads.CodeBadFormat,
	} {
		wantCode(t, h.admin("POST", path, body), code)
	}
	wantCode(t, h.admin("POST", "/admin/v1/apps/wx0123456789abcdef/followers", `{"count":1}`), wxads.CodeInvalidAppID)
}

// fromIP asks both token endpoints for a token as a client at ip (through a
// trusted loopback proxy; "" is the loopback peer itself) and wants code.
func (h *harness) fromIP(t *testing.T, appid, secret, ip string, code int) {
	t.Helper()
	var hdr http.Header
	if ip != "" {
		hdr = xff(ip)
	}
	wantCode(t, h.getToken(credQuery(appid, secret), hdr), code)
	wantCode(t, h.do("POST", "/cgi-bin/stable_token", nil, map[string]any{
		"grant_type": "client_credential", "appid": appid, "secret": secret}, hdr), code)
}

// The whitelist holds CIDRs, IPv4 and IPv6; a bare address is one host; []
// admits nobody; left out, loopback only.
func TestAppIPWhitelist(t *testing.T) {
	h := newHarness(t, trustProxies("127.0.0.0/8", "::1/128"))
	account := h.newAdvertiser("APPROVED")
	const ok, refused = 0, wxads.CodeIPNotWhitelisted
	cases := []struct {
		whitelist []string
		ip        map[string]int
	}{
		{[]string{"10.1.0.0/16"}, map[string]int{"10.1.2.3": ok, "10.1.255.255": ok, "::ffff:10.1.0.9": ok,
			"10.2.0.1": refused, "10.0.255.255": refused, "": refused}},
		{[]string{"2001:db8::/32"}, map[string]int{"2001:db8::1": ok, "2001:db8:ffff::5": ok,
			"2001:db9::1": refused, "2001:db7:ffff::1": refused, "10.1.2.3": refused, "": refused}},
		{[]string{"10.9.9.9", "2001:db8::7"}, map[string]int{"10.9.9.9": ok, "2001:db8::7": ok,
			"10.9.9.8": refused, "10.9.9.10": refused, "2001:db8::8": refused}},
		{[]string{}, map[string]int{"": refused, "127.0.0.2": refused, "::1": refused, "10.1.2.3": refused}},
		{nil, map[string]int{"": ok, "127.0.0.2": ok, "::1": ok,
			"10.0.0.1": refused, "192.168.1.1": refused, "2001:db8::1": refused}},
		{[]string{"0.0.0.0/0"}, map[string]int{"203.0.113.1": ok, "2001:db8::1": refused}},
	}
	for _, c := range cases {
		appid, secret := h.newApp(account, c.whitelist)
		for ip, code := range c.ip {
			t.Run(strings.Join(c.whitelist, ",")+"/"+ip, func(t *testing.T) {
				h.fromIP(t, appid, secret, ip, code)
			})
		}
	}
	// A garbled forwarded hop is no client at all, not the loopback proxy.
	appid, secret := h.newApp(account, nil)
	h.fromIP(t, appid, secret, "unknown", refused)

	for i, list := range [][]string{{"bad"}, {"10.0.0.0/8", "10.0.0.0/33"}, {"::1", "", "x"}} {
		e := h.admin("POST", "/admin/v1/apps", map[string]any{"account_id": account, "ip_whitelist": list})
		wantCode(t, e, wxads.CodeBadFormat)
		if want := []string{"'ip_whitelist[0]'", "'ip_whitelist[1]'", "'ip_whitelist[1]'"}[i]; !strings.Contains(e.Errmsg, want) {
			t.Errorf("%q: errmsg %q does not name %s", list, e.Errmsg, want)
		}
	}
	wantCode(t, h.admin("POST", "/admin/v1/apps", `{"account_id":1,"ip_whitelist":"10.0.0.0/8"}`), wxads.CodeWrongType)
}

// PUT ip_whitelist replaces the list at once; a bad one changes nothing.
func TestPutIPWhitelist(t *testing.T) {
	h := newHarness(t, trustProxies("127.0.0.0/8", "::1/128"))
	tn := h.newTenant()
	path := "/admin/v1/apps/" + tn.AppID + "/ip_whitelist"
	put := func(body any) envelope { return h.admin("PUT", path, body) }
	got := decodeData[struct {
		AppID       string   `json:"appid"`
		IPWhitelist []string `json:"ip_whitelist"`
	}](t, mustOK(t, put(map[string]any{"ip_whitelist": []string{"10.1.2.3/16", " 10.9.9.9", "::ffff:10.8.0.0/112", "2001:db8::1/32"}})))
	if want := []string{"10.1.0.0/16", "10.9.9.9/32", "10.8.0.0/16", "2001:db8::/32"}; got.AppID != tn.AppID || !slices.Equal(got.IPWhitelist, want) {
		t.Errorf("PUT answered %+v, want %v", got, want)
	}
	const refused = wxads.CodeIPNotWhitelisted
	h.fromIP(t, tn.AppID, tn.Secret, "", refused)
	h.fromIP(t, tn.AppID, tn.Secret, "10.1.2.3", 0)
	h.fromIP(t, tn.AppID, tn.Secret, "10.8.200.1", 0)

	e := put(map[string]any{"ip_whitelist": []string{"127.0.0.1", "10.0.0.0/8", "nope"}})
	wantCode(t, e, wxads.CodeBadFormat)
	if !strings.Contains(e.Errmsg, "'ip_whitelist[2]'") {
		t.Errorf("errmsg %q does not name ip_whitelist[2]", e.Errmsg)
	}
	for body, code := range map[string]int{
		`{}`:                          wxads.CodeRequired,
		`{"ip_whitelist":null}`:       wxads.CodeRequired,
		`{"ip_whitelist":"10.0.0.1"}`: wxads.CodeWrongType,
		`{"ip_whitelist":[1]}`:        wxads.CodeWrongType,
		``:                            wxads.CodeEmptyBody,
		`[]`:                          wxads.CodeBadJSON,
	} {
		wantCode(t, put(body), code)
	}
	h.fromIP(t, tn.AppID, tn.Secret, "", refused) // unchanged by the failures
	h.fromIP(t, tn.AppID, tn.Secret, "10.1.2.3", 0)

	mustOK(t, put(`{"ip_whitelist":[]}`))
	h.fromIP(t, tn.AppID, tn.Secret, "10.1.2.3", refused)
	h.fromIP(t, tn.AppID, tn.Secret, "", refused)
	mustOK(t, put(`{"ip_whitelist":["127.0.0.0/8"]}`))
	h.fromIP(t, tn.AppID, tn.Secret, "", 0)
	wantCode(t, h.admin("PUT", "/admin/v1/apps/wx0123456789abcdef/ip_whitelist", `{"ip_whitelist":[]}`), wxads.CodeInvalidAppID)
}

// POST /admin/v1/clock (fake clock only) sets or advances the platform clock;
// an advance a time.Duration cannot hold is refused, not wrapped around.
func TestAdminClock(t *testing.T) {
	h := newHarness(t)
	type now struct {
		Now  int64  `json:"now"`
		Time string `json:"time"`
	}
	got := decodeData[now](t, mustOK(t, h.admin("POST", "/admin/v1/clock", `{"now":1800000000}`)))
	if got.Now != 1800000000 || got.Time != "2027-01-15 16:00:00" {
		t.Errorf("set: %+v", got)
	}
	if got := decodeData[now](t, mustOK(t, h.admin("POST", "/admin/v1/clock", `{"advance_seconds":-60}`))); got.Now != 1800000000-60 {
		t.Errorf("advance: %+v", got)
	}
	wantCode(t, h.admin("POST", "/admin/v1/clock", `{"advance_seconds":9223372036854775807}`), wxads.CodeTooBig)
	wantCode(t, h.admin("POST", "/admin/v1/clock", `{"advance_seconds":-9223372036854775808}`), wxads.CodeTooSmall)
	wantCode(t, h.admin("POST", "/admin/v1/clock", `{}`), wxads.CodeRequired)
	if got := h.clock.Now().Unix(); got != 1800000000-60 {
		t.Errorf("refused advances moved the clock to %d", got)
	}
	// Without a fake clock the route does not exist.
	real := newHarness(t, func(c *server.Config) { c.FakeClock, c.Clock = nil, wxads.SystemClock{} })
	if e := real.admin("POST", "/admin/v1/clock", `{"now":1}`); e.Status != http.StatusNotFound {
		t.Errorf("clock route without a fake clock: HTTP %d %s", e.Status, e.Raw)
	}
}
