package ui_test

import (
	"html"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

func TestExplorerAsAdvertiserAndAsAdmin(t *testing.T) {
	w := newWorld(t)
	c := w.browser()
	w.signIn(c, w.appid, w.secret)
	token := w.csrf(c, "/ui/explorer")
	// An advertiser cannot pick an admin route, nor act as another app.
	if status, _, _ := w.post(c, "/ui/explorer", url.Values{"csrf": {token}, "route": {"adm_advertisers"}}); status != http.StatusNotFound {
		t.Errorf("advertiser sending an admin route: %d, want 404", status)
	}
	_, body, _ := w.post(c, "/ui/explorer", url.Values{"csrf": {token}, "route": {"sets_get"}, "as_app": {w.other.appid}})
	if strings.Contains(body, "Other Advertiser") || !strings.Contains(body, "Demo Advertiser conversions") {
		t.Error("as_app let an advertiser act as another app")
	}
	// A POST route from form fields: the body is built with typed values.
	_, body, _ = w.post(c, "/ui/explorer", url.Values{"csrf": {token}, "route": {"sets_add"}, "p.type": {"WEB"}, "p.name": {"from the explorer"}})
	body = html.UnescapeString(body)
	if !strings.Contains(body, `-d '{"name":"from the explorer","type":"WEB"}'`) || !strings.Contains(body, `"user_action_set_id"`) {
		t.Errorf("sets_add from fields: curl or response wrong:\n%s", body)
	}

	a := w.browser()
	w.signInAdmin(a)
	token = w.csrf(a, "/ui/explorer")
	_, body, _ = w.post(a, "/ui/explorer", url.Values{"csrf": {token}, "route": {"sets_get"}, "as_app": {w.other.appid}})
	if !strings.Contains(body, "Other Advertiser conversions") {
		t.Error("the admin could not act as another app")
	}
	_, body, _ = w.post(a, "/ui/explorer", url.Values{"csrf": {token}, "route": {"adm_advertisers"}, "p.page": {"1"}})
	body = html.UnescapeString(body)
	if !strings.Contains(body, "Other Advertiser") || !strings.Contains(body, `Authorization: Bearer $WXADS_ADMIN_TOKEN`) || strings.Contains(body, testAdminToken) {
		t.Errorf("admin route: listing, curl placeholder or hidden token wrong:\n%s", body)
	}
}
