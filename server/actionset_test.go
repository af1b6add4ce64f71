package server_test

import (
	"fmt"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/wxads/wxads"
)

func TestActionSetAddRules(t *testing.T) {
	h := newHarness(t)
	tn, other := h.newTenant(), h.newTenant()
	long := strings.Repeat("n", 33)
	for _, c := range []struct {
		name  string
		body  string
		code  int
		param string
	}{
		{"ok", `{"type":"WECHAT","name":"a","wechat_app_id":"APP","description":""}`, 0, ""},
		{"ok web without app", `{"type":"WEB","name":"web"}`, 0, ""},
		{"ok 32 bytes", `{"type":"WEB","name":"` + strings.Repeat("n", 32) + `"}`, 0, ""},
		{"type missing", `{"name":"b","wechat_app_id":"APP"}`, wxads.CodeRequired, "type"},
		{"type enum", `{"type":"SMS","name":"b","wechat_app_id":"APP"}`, wxads.CodeNotInEnum, "type"},
		{"type wrong JSON type", `{"type":1,"name":"b"}`, wxads.CodeWrongType, "type"},
		{"name missing", `{"type":"WEB"}`, wxads.CodeRequired, "name"},
		{"name empty", `{"type":"WEB","name":""}`, wxads.CodeEmptyString, "name"},
		{"name long", `{"type":"WEB","name":"` + long + `"}`, wxads.CodeTooLong, "name"},
		{"description long", `{"type":"WEB","name":"d","description":"` + strings.Repeat("x", 129) + `"}`, wxads.CodeTooLong, "description"},
		{"app required for WECHAT", `{"type":"WECHAT_MINI_PROGRAM","name":"c"}`, wxads.CodeRequired, "wechat_app_id"},
		{"app of another advertiser", `{"type":"WECHAT","name":"c","wechat_app_id":"OTHER"}`, wxads.CodeNotAccessible, "wechat_app_id"},
		{"app unknown", `{"type":"WECHAT","name":"c","wechat_app_id":"wx0000000000000000"}`, wxads.CodeNotAccessible, "wechat_app_id"},
		{"duplicate name", `{"type":"WEB","name":"a"}`, wxads.CodeDuplicateName, "name"},
		{"not an object", `[]`, wxads.CodeBadJSON, ""},
		{"empty body", ``, wxads.CodeEmptyBody, ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			body := strings.NewReplacer("OTHER", other.AppID, "APP", tn.AppID).Replace(c.body)
			e := h.api(tn, "POST", "/marketing/user_action_sets/add", nil, body)
			wantCode(t, e, c.code)
			if c.param != "" && !strings.Contains(e.Errmsg, c.param) {
				t.Errorf("errmsg %q does not name %s", e.Errmsg, c.param)
			}
		})
	}
}

func TestActionSetCreationRateLimit(t *testing.T) {
	h := newHarness(t)
	tn := h.newTenant()
	create := func(name string) envelope {
		return h.api(tn, "POST", "/marketing/user_action_sets/add", nil, map[string]any{"type": "WEB", "name": name})
	}
	for i := range 10 {
		if i > 0 {
			// Failed creations do not count.
			wantCode(t, create(fmt.Sprint("s", i-1)), wxads.CodeDuplicateName)
		}
		mustOK(t, create(fmt.Sprint("s", i)))
	}
	e := create("s10")
	wantCode(t, e, wxads.CodeActionSetRateLimit)
	if e.Errmsg != "actionSet create request too frequently" {
		t.Fatalf("errmsg %q", e.Errmsg)
	}
	h.clock.Advance(61 * time.Second)
	mustOK(t, create("s10"))
}

func TestActionSetGet(t *testing.T) {
	h := newHarness(t)
	tn, other := h.newTenant(), h.newTenant()
	s1 := h.newSet(tn, "one")
	mustOK(t, h.api(tn, "POST", "/marketing/user_action_sets/add", nil, map[string]any{"type": "WEB", "name": "two"}))
	s3 := h.newSet(other, "theirs")
	mustOK(t, h.upload(tn, nil, act(tn, s1, "oA")))

	type item struct {
		ID             int64  `json:"user_action_set_id"`
		Type           string `json:"type"`
		Name           string `json:"name"`
		Description    string `json:"description"`
		WechatAppID    string `json:"wechat_app_id"`
		ActivateStatus bool   `json:"activate_status"`
		CreatedTime    string `json:"created_time"`
	}
	list := func(q url.Values) []item {
		return decodeData[struct{ List []item }](t, mustOK(t, h.api(tn, "GET", "/marketing/user_action_sets/get", q, nil))).List
	}
	all := list(nil)
	if len(all) != 2 || all[0].ID != s1 || !all[0].ActivateStatus || all[1].ActivateStatus {
		t.Fatalf("all: %+v", all)
	}
	if all[0].CreatedTime != "2026-11-23 12:00:00" || all[0].WechatAppID != tn.AppID || all[0].Type != "WECHAT" {
		t.Fatalf("fields: %+v", all[0])
	}
	if got := list(url.Values{"user_action_set_id": {fmt.Sprint(s1)}}); len(got) != 1 || got[0].Name != "one" {
		t.Fatalf("by id: %+v", got)
	}
	if got := list(url.Values{"wechat_app_id": {tn.AppID}}); len(got) != 1 || got[0].ID != s1 {
		t.Fatalf("by app: %+v", got)
	}
	wantCode(t, h.api(tn, "GET", "/marketing/user_action_sets/get", url.Values{"user_action_set_id": {fmt.Sprint(s3)}}, nil), wxads.CodeNotAccessible)
	wantCode(t, h.api(tn, "GET", "/marketing/user_action_sets/get", url.Values{"wechat_app_id": {other.AppID}}, nil), wxads.CodeNotAccessible)
	wantCode(t, h.api(tn, "GET", "/marketing/user_action_sets/get", url.Values{"user_action_set_id": {"1x"}}, nil), wxads.CodeBadFormat)
	wantCode(t, h.api(tn, "POST", "/marketing/user_action_sets/get", nil, nil), wxads.CodeRequireGET)
	wantCode(t, h.api(tn, "GET", "/marketing/user_action_sets/add", nil, nil), wxads.CodeRequirePOST)
}

// Member names match exactly: "NAME" is an unknown field, ignored.
func TestBodyMemberNamesAreCaseSensitive(t *testing.T) {
	h := newHarness(t)
	tn := h.newTenant()
	mustOK(t, h.api(tn, "POST", "/marketing/user_action_sets/add", nil, `{"type":"WEB","name":"real","NAME":"shadow"}`))
	wantCode(t, h.api(tn, "POST", "/marketing/user_action_sets/add", nil, `{"TYPE":"WEB","Name":"x"}`), wxads.CodeRequired)
	e := mustOK(t, h.api(tn, "GET", "/marketing/user_action_sets/get", nil, nil))
	if !strings.Contains(string(e.Data), `"name":"real"`) || strings.Contains(string(e.Data), "shadow") {
		t.Fatalf("sets: %s", e.Data)
	}
	wantCode(t, h.do("POST", "/cgi-bin/stable_token", nil,
		`{"GRANT_TYPE":"client_credential","APPID":"`+tn.AppID+`","SECRET":"`+tn.Secret+`"}`, nil), wxads.CodeInvalidGrantType)
}

// Parameter order follows the SPEC's list: a missing date_range is reported
// before a bad time_granularity; a foreign set id is 31011 even with a
// wechat_app_id filter.
func TestParameterOrder(t *testing.T) {
	h := newHarness(t)
	tn, other := h.newTenant(), h.newTenant()
	set, theirs := h.newSet(tn, "mine"), h.newSet(other, "theirs")
	wantCode(t, h.api(tn, "GET", "/marketing/user_action_set_reports/get",
		url.Values{"user_action_set_id": {fmt.Sprint(set)}, "time_granularity": {"BAD"}}, nil), wxads.CodeRequired)
	wantCode(t, h.api(tn, "GET", "/marketing/user_action_sets/get",
		url.Values{"user_action_set_id": {fmt.Sprint(theirs)}, "wechat_app_id": {tn.AppID}}, nil), wxads.CodeNotAccessible)
}
