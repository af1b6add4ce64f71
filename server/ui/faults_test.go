package ui_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// The operator sets a fault rule from the dashboard, sees it fire with its
// hit count, gets a bad rule refused with the API's errcode, and clears it.
func TestAdminFaultsPanel(t *testing.T) {
	w := newWorld(t)
	c := w.browser()
	w.signInAdmin(c)
	token := w.csrf(c, "/ui/admin/faults")
	w.post(c, "/ui/admin/faults", url.Values{"csrf": {token}, "op": {"set"}, "route": {"GET /cgi-bin/token"},
		"errcode": {"45011"}, "count": {"1"}})
	status, body := w.get(c, "/ui/admin/faults")
	if status != http.StatusOK || !strings.Contains(body, "GET /cgi-bin/token") || !strings.Contains(body, "45011") {
		t.Fatalf("the rule is not listed: %d\n%s", status, body)
	}
	resp, err := http.Get(w.srv.URL + "/cgi-bin/token?grant_type=client_credential&appid=" + w.appid + "&secret=" + w.secret)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.Header.Get("X-Wxads-Fault") != "1" {
		t.Error("the token call was not faulted")
	}
	if _, body = w.get(c, "/ui/admin/faults"); !strings.Contains(body, "<td>1</td></tr>") {
		t.Errorf("the hit is not counted:\n%s", body)
	}
	w.post(c, "/ui/admin/faults", url.Values{"csrf": {token}, "op": {"set"}, "route": {"GET /cgi-bin/token"}, "errcode": {"-1"}, "rate": {"2"}})
	if _, body = w.get(c, "/ui/admin/faults"); !strings.Contains(body, "errcode 18009") || !strings.Contains(body, "45011") {
		t.Errorf("a bad rule was not refused with its errcode, or replaced the rule:\n%s", body)
	}
	w.post(c, "/ui/admin/faults", url.Values{"csrf": {token}, "op": {"clear"}})
	if _, body = w.get(c, "/ui/admin/faults"); strings.Contains(body, "45011") {
		t.Errorf("the rules are not cleared:\n%s", body)
	}
}
