package server_test

import (
	"strings"
	"testing"

	"github.com/wxads/wxads"
)

// POST /admin/v1/apps may fix appid and secret so that test fixtures know
// their credentials in advance (SPEC §5).
func TestAdminAppFixedCredentials(t *testing.T) {
	h := newHarness(t)
	account, other := h.newAdvertiser("APPROVED"), h.newAdvertiser("APPROVED")
	const appid, secret = "wx00112233445566ff", "0123456789abcdef0123456789abcdef"
	type reply struct {
		AppID     string `json:"appid"`
		Secret    string `json:"secret"`
		AccountID int64  `json:"account_id"`
	}
	got := decodeData[reply](t, mustOK(t, h.admin("POST", "/admin/v1/apps",
		map[string]any{"account_id": account, "name": "fixed", "appid": appid, "secret": secret})))
	if got != (reply{appid, secret, account}) {
		t.Errorf("created %+v, want the given credentials", got)
	}
	tok := tokenOf(t, h.getToken(credQuery(appid, secret), nil)).AccessToken
	mustOK(t, h.useToken(tok))

	// Only the appid given: a secret is generated, and the other way round.
	only := decodeData[reply](t, mustOK(t, h.admin("POST", "/admin/v1/apps",
		map[string]any{"account_id": account, "appid": "wx00000000000000a1"})))
	if only.AppID != "wx00000000000000a1" || !secretShape.MatchString(only.Secret) {
		t.Errorf("appid only: %+v", only)
	}
	tokenOf(t, h.getToken(credQuery(only.AppID, only.Secret), nil))
	gen := decodeData[reply](t, mustOK(t, h.admin("POST", "/admin/v1/apps",
		map[string]any{"account_id": account, "secret": secret})))
	if !appIDShape.MatchString(gen.AppID) || gen.AppID == appid || gen.Secret != secret {
		t.Errorf("secret only: %+v", gen)
	}
	tokenOf(t, h.getToken(credQuery(gen.AppID, secret), nil))

	// A taken appid is 31013, whoever owns it, and changes nothing.
	for _, acc := range []int64{account, other} {
		e := h.admin("POST", "/admin/v1/apps", map[string]any{"account_id": acc, "appid": appid,
			"secret": strings.Repeat("e", 32)})
		wantCode(t, e, wxads.CodeDuplicateName)
		if !strings.Contains(e.Errmsg, "appid") {
			t.Errorf("31013 does not name appid: %s", e.Raw)
		}
	}
	wantCode(t, h.getToken(credQuery(appid, strings.Repeat("e", 32)), nil), wxads.CodeInvalidCredential)
	tokenOf(t, h.getToken(credQuery(appid, secret), nil))
	if got := decodeData[appReply](t, mustOK(t, h.adminGet("/admin/v1/apps/"+appid, nil))); got.AccountID != account || got.Name != "fixed" {
		t.Errorf("after the refused duplicates: %+v", got)
	}

	for field, values := range map[string][]string{
		"appid": {"wx0011223344556", "wx00112233445566f", "wx00112233445566fff", "WX00112233445566ff",
			"wx00112233445566FF", "xx00112233445566ff", "wx0011223344556g6f", " wx00112233445566f", "wx00112233445566f\x00"},
		"secret": {strings.Repeat("a", 31), strings.Repeat("a", 33), strings.Repeat("A", 32), strings.Repeat("g", 32),
			strings.Repeat("a", 31) + " ", strings.Repeat("é", 16)},
	} {
		for _, v := range values {
			body := map[string]any{"account_id": account, field: v}
			e := h.admin("POST", "/admin/v1/apps", body)
			wantCode(t, e, wxads.CodeBadFormat)
			if !strings.Contains(e.Errmsg, "'"+field+"'") {
				t.Errorf("%s %q: errmsg %q does not name it", field, v, e.Errmsg)
			}
		}
	}
	for _, body := range []string{`{"account_id":1,"appid":1}`, `{"account_id":1,"secret":["x"]}`} {
		wantCode(t, h.admin("POST", "/admin/v1/apps", body), wxads.CodeWrongType)
	}
	// An unknown account creates nothing.
	wantCode(t, h.admin("POST", "/admin/v1/apps", map[string]any{"account_id": 999999, "appid": "wx00000000000000b2"}),
		wxads.CodeNotAccessible)
	wantCode(t, h.adminGet("/admin/v1/apps/wx00000000000000b2", nil), wxads.CodeNotAccessible)
}
