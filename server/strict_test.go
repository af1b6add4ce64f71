package server_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/wxads/wxads"
)

// Issue 12 item 9: a leading '+' in an integer parameter is refused, not
// read as the number (strconv would take "+5").
func TestLeadingPlusRefused(t *testing.T) {
	h := newHarness(t)
	tn := h.newTenant()
	set := h.newSet(tn, "s")
	now := h.clock.Now().Unix()
	wantCode(t, h.v11(tn, map[string]string{"timestamp": fmt.Sprint("+", now)}), wxads.CodeBadFormat)
	wantCode(t, h.v11(tn, map[string]string{"account_id": fmt.Sprint("+", tn.AccountID)}), wxads.CodeBadFormat)
	for _, p := range []string{"page", "page_size"} {
		wantCode(t, h.api(tn, "GET", "/ext/v1/user_actions/get", url.Values{
			"user_action_set_id": {fmt.Sprint(set)}, p: {"+1"}}, nil), wxads.CodeWrongType)
	}
	wantCode(t, h.api(tn, "GET", "/ext/v1/user_actions/get", url.Values{
		"user_action_set_id": {fmt.Sprint("+", set)}}, nil), wxads.CodeBadFormat)
	mustOK(t, h.v11(tn, nil))
}

// Issue 12 item 9: invalid UTF-8 in a JSON body is 47001 on every body
// route, the upload included; before, it was replaced by U+FFFD and stored.
func TestInvalidUTF8BodyRefused(t *testing.T) {
	h := newHarness(t)
	tn := h.newTenant()
	set := h.newSet(tn, "s")
	action := fmt.Sprintf(`{"actions":[{"user_action_set_id":%d,"url":"https://a.example/\xff","action_type":"REGISTER",`+
		`"user_id":{"wechat_app_id":%q,"wechat_openid":"o000000000000000000000000001"},`+
		`"action_param":{"source":"Biz","claim_type":0}}]}`, set, tn.AppID)
	wantCode(t, h.api(tn, "POST", "/marketing/user_actions/add", nil, action), wxads.CodeBadJSON)
	wantCode(t, h.api(tn, "POST", "/marketing/user_action_sets/add", nil,
		`{"type":"WEB","name":"caf\xe9"}`), wxads.CodeBadJSON)
	wantCode(t, h.do("POST", "/cgi-bin/stable_token", nil, `{"grant_type":"client_credential","appid":"\xc3"}`, nil),
		wxads.CodeBadJSON)
	e := h.admin("POST", "/admin/v1/advertisers", "{\"name\":\"\xed\xa0\x80\",\"status\":\"APPROVED\"}")
	wantCode(t, e, wxads.CodeBadJSON)
	// Valid UTF-8 beyond ASCII is fine.
	mustOK(t, h.api(tn, "POST", "/marketing/user_action_sets/add", nil, `{"type":"WEB","name":"咖啡 café"}`))
}

// Every response says nosniff, the 404 included, whose message carries the
// path escaped.
func TestNosniffAndEscaped404(t *testing.T) {
	h := newHarness(t)
	for _, path := range []string{"/healthz", "/cgi-bin/token", "/nope/%3Cscript%3E", "/admin/v1/advertisers"} {
		resp, err := http.Get(h.srv.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if got := resp.Header.Get("X-Content-Type-Options"); got != "nosniff" {
			t.Errorf("%s: X-Content-Type-Options %q", path, got)
		}
	}
	e := h.do("GET", "/nope/%3Cscript%3E%0A", nil, nil, nil)
	if e.Status != 404 || strings.Contains(e.Errmsg, "<") || strings.Contains(e.Errmsg, "\n") ||
		!strings.Contains(e.Errmsg, "/nope/%3Cscript%3E%0A") {
		t.Fatalf("404 message: %s", e.Raw)
	}
}
