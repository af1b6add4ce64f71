package ui_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"
)

func (w *world) signInAdmin(c *http.Client) {
	w.t.Helper()
	status, _, _ := w.post(c, "/ui/signin", url.Values{"csrf": {w.csrf(c, "/ui/signin")}, "admin_token": {testAdminToken}})
	if status != http.StatusSeeOther {
		w.t.Fatalf("admin sign-in: %d", status)
	}
}

// The operator creates an advertiser and an app, resets the secret (shown
// once) and the new secret signs in; the old one no longer does.
func TestAdminManagesAdvertisersAndApps(t *testing.T) {
	w := newWorld(t)
	c := w.browser()
	w.signInAdmin(c)
	token := w.csrf(c, "/ui/admin/advertisers")
	w.post(c, "/ui/admin/advertisers", url.Values{"csrf": {token}, "op": {"create"}, "name": {"Created In UI"}, "status": {"APPROVED"}})
	_, body := w.get(c, "/ui/admin/advertisers")
	if !strings.Contains(body, "account_id 3") || !strings.Contains(body, "Created In UI") {
		t.Fatalf("the new advertiser is neither announced nor listed:\n%s", body)
	}
	_, _, resp := w.post(c, "/ui/admin/apps", url.Values{"csrf": {token}, "op": {"create"}, "account_id": {"3"}, "name": {"UI App"}})
	loc := resp.Header.Get("Location")
	_, body = w.get(c, loc)
	m := regexp.MustCompile(`appid (wx[0-9a-f]{16}) · [^:]+: ([0-9a-f]{32})`).FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("the new app's appid and secret are not shown once:\n%s", body)
	}
	appid, secret := m[1], m[2]
	if _, again := w.get(c, loc); strings.Contains(again, secret) {
		t.Error("the secret is shown a second time")
	}
	w.post(c, "/ui/admin/apps", url.Values{"csrf": {token}, "op": {"reset"}, "appid": {appid}})
	_, body = w.get(c, "/ui/admin/apps?appid="+appid)
	m2 := regexp.MustCompile(`: ([0-9a-f]{32})`).FindStringSubmatch(body)
	if m2 == nil || m2[1] == secret {
		t.Fatalf("reset showed no new secret:\n%s", body)
	}
	if status := w.signIn(w.browser(), appid, secret); status != http.StatusUnauthorized {
		t.Errorf("the old secret still signs in: %d", status)
	}
	if status := w.signIn(w.browser(), appid, m2[1]); status != http.StatusSeeOther {
		t.Errorf("the new secret does not sign in: %d", status)
	}
	// A bad whitelist entry comes back with the API's errcode, and changes nothing.
	w.post(c, "/ui/admin/apps", url.Values{"csrf": {token}, "op": {"whitelist"}, "appid": {appid}, "ip_whitelist": {"10.0.0.0/8\nnot-an-ip"}})
	_, body = w.get(c, "/ui/admin/apps?appid="+appid)
	if !strings.Contains(body, "errcode") || strings.Contains(body, "10.0.0.0/8") {
		t.Errorf("a bad whitelist was not refused with its errcode:\n%s", body)
	}
	for _, path := range []string{"/ui/admin/followers?appid=" + w.appid, "/ui/admin/ad_events?appid=" + w.appid} {
		if status, body := w.get(c, path); status != http.StatusOK || !strings.Contains(body, "<code>o") {
			t.Errorf("%s: %d, no openid listed", path, status)
		}
	}
}

// Diagnostics count a day's accepted, duplicate and refused actions from
// the inspector; the inspector writes off the request path, so poll.
func TestDiagnosticsCountUploads(t *testing.T) {
	w := newWorld(t)
	token := w.token(w.appid, w.secret)
	dup := map[string]any{"actions": []map[string]any{{"user_action_set_id": w.setID, "url": "https://shop.example.com/order",
		"action_time": time.Now().Unix() - 100, "action_type": "COMPLETE_ORDER", "outer_action_id": "seed_1_1",
		"user_id":      map[string]any{"wechat_app_id": w.appid, "wechat_openid": "oDup000000000000000000000001"},
		"action_param": map[string]any{"source": "Biz", "claim_type": 0}}}}
	if env := w.raw("POST", "/marketing/user_actions/add?access_token="+token, "diag-dup", dup); env.Errcode != 0 {
		t.Fatalf("duplicate upload: %d", env.Errcode)
	}
	bad := map[string]any{"actions": []map[string]any{{"user_action_set_id": w.setID, "url": "ftp://x", "action_type": "COMPLETE_ORDER",
		"user_id": map[string]any{"wechat_app_id": w.appid, "wechat_openid": "oDup000000000000000000000001"}}}}
	if env := w.raw("POST", "/marketing/user_actions/add?access_token="+token, "diag-bad", bad); env.Errcode == 0 {
		t.Fatal("an ftp URL was accepted")
	}
	c := w.browser()
	w.signIn(c, w.appid, w.secret)
	deadline := time.Now().Add(10 * time.Second)
	for {
		_, body := w.get(c, "/ui/diagnostics")
		dups := regexp.MustCompile(`class="num duplicates">(\d+)<`).FindAllStringSubmatch(body, -1)
		refused := regexp.MustCompile(`class="chip">(\d+) × (\d+)<`).FindAllStringSubmatch(body, -1)
		accepted := regexp.MustCompile(`class="num accepted">(\d+)<`).FindAllStringSubmatch(body, -1)
		if len(dups) > 0 && dups[0][1] == "1" && len(refused) > 0 && len(accepted) > 0 && accepted[0][1] != "0" {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("diagnostics never showed the duplicate and the refusal:\n%s", body)
		}
		time.Sleep(100 * time.Millisecond)
	}
}
