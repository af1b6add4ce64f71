package server_test

import (
	"fmt"
	"net/url"
	"strings"
	"testing"

	"github.com/wxads/wxads"
)

const (
	hashIMEI = "0123456789abcdef0123456789abcdef"
	sha256ID = hashIMEI + hashIMEI
)

// v3Post calls a POST /v3.0 route as tn with fresh global parameters; the
// body gets tn's account_id unless it has one.
func (h *harness) v3Post(tn tenant, path string, q url.Values, body map[string]any) envelope {
	h.t.Helper()
	if q == nil {
		q = url.Values{}
	}
	q.Set("access_token", tn.Token)
	q.Set("timestamp", fmt.Sprint(h.clock.Now().Unix()))
	q.Set("nonce", fmt.Sprint("v3p-", nonceSeq.Add(1)))
	if _, ok := body["account_id"]; !ok {
		body["account_id"] = tn.AccountID
	}
	e := h.do("POST", "/v3.0/"+path, q, body, nil)
	if !strings.HasPrefix(e.Header.Get("Content-Type"), "application/json") || !strings.Contains(string(e.Raw), `"code":`) {
		h.t.Fatalf("v3.0 answer without code or JSON type: %s %s", e.Header.Get("Content-Type"), e.Raw)
	}
	return e
}

// v3Act is a valid v3.0 action of a WECHAT set of tn's app.
func (h *harness) v3Act(tn tenant, openid string, mutate ...func(map[string]any)) map[string]any {
	a := map[string]any{
		"action_time":  h.clock.Now().Unix(),
		"action_type":  "COMPLETE_ORDER",
		"user_id":      map[string]any{"wechat_app_id": tn.AppID, "wechat_openid": openid},
		"action_param": map[string]any{"value": 4000},
	}
	for _, m := range mutate {
		m(a)
	}
	return a
}

func (h *harness) v3Upload(tn tenant, set int64, q url.Values, actions ...map[string]any) envelope {
	h.t.Helper()
	return h.v3Post(tn, "user_actions/add", q, map[string]any{"user_action_set_id": set, "actions": actions})
}

type batchResult struct {
	Accepted   int `json:"accepted"`
	Duplicates int `json:"duplicates"`
	Valid      int `json:"valid"`
	Failed     []struct {
		Index   int    `json:"index"`
		Errcode int    `json:"errcode"`
		Errmsg  string `json:"errmsg"`
	} `json:"failed"`
}

func TestV3ActionsAdd(t *testing.T) {
	h := newHarness(t)
	tn := h.newTenant()
	set := h.newSet(tn, "shop")
	fs := h.followers(tn.AppID, 2)
	mustOK(t, h.v3Upload(tn, set, nil, h.v3Act(tn, fs[0], outer("v3_1"), func(a map[string]any) {
		a["product_inform"] = map[string]any{"content_type": "EC", "product_id": "p1"}
		a["channel"] = "CHANNEL_NATURAL"
		a["user_id"].(map[string]any)["wechat_unionid"] = "uUnion1"
	})))
	// Dedup across sides: v1.0 resends v3.0's outer_action_id, v3.0 resends v1.0's.
	mustOK(t, h.upload(tn, nil, act(tn, set, fs[1], outer("v1_1"))))
	r := decodeData[batchResult](t, mustOK(t, h.upload(tn, url.Values{"partial_failure": {"true"}}, act(tn, set, fs[0], outer("v3_1")))))
	if r.Accepted != 0 || r.Duplicates != 1 {
		t.Fatalf("v1.0 resending a v3.0 action: %+v", r)
	}
	r = decodeData[batchResult](t, mustOK(t, h.v3Upload(tn, set, url.Values{"partial_failure": {"true"}},
		h.v3Act(tn, fs[1], outer("v1_1")), h.v3Act(tn, fs[1], outer("v3_2")))))
	if r.Accepted != 1 || r.Duplicates != 1 || len(r.Failed) != 0 {
		t.Fatalf("v3.0 resending a v1.0 action: %+v", r)
	}
	if n := h.countActions(tn, set); n != 3 {
		t.Fatalf("%d actions stored, want 3", n)
	}
	// Reports equal across both sides, and they count the v3.0 uploads.
	today := harnessNow.Format(wxads.DateLayout)
	q := url.Values{"user_action_set_id": {fmt.Sprint(set)}, "date_range": {dateRange(today, today)}, "time_granularity": {wxads.Daily}}
	v1 := mustOK(t, h.api(tn, "GET", "/marketing/user_action_set_reports/get", cloneValues(q), nil))
	v3 := mustOK(t, h.v3(tn, "user_action_set_reports/get", cloneValues(q)))
	if string(v1.Data) != string(v3.Data) || !strings.Contains(string(v1.Data), `"raw_action_count":3`) {
		t.Fatalf("v1.0 %s\nv3.0 %s", v1.Data, v3.Data)
	}
}

// A device id or a click id identifies a v3.0 action of a non-WeChat set;
// a WECHAT set needs its app's openid or unionid.
func TestV3ActionsUserIDs(t *testing.T) {
	h := newHarness(t)
	tn := h.newTenant()
	web := decodeData[struct {
		ID int64 `json:"user_action_set_id"`
	}](t, mustOK(t, h.v3Post(tn, "user_action_sets/add", nil, map[string]any{"type": "ANDROID", "name": "app", "mobile_app_id": 123}))).ID
	device := func(a map[string]any) { a["user_id"] = map[string]any{"hash_imei": hashIMEI, "sha256_phone": sha256ID} }
	click := func(a map[string]any) { delete(a, "user_id"); a["trace"] = map[string]any{"click_id": "c1"} }
	mustOK(t, h.v3Upload(tn, web, nil, h.v3Act(tn, "", device), h.v3Act(tn, "", click)))
	if n := h.countActions(tn, web); n != 2 {
		t.Fatalf("%d actions, want 2", n)
	}
	wechat := h.newSet(tn, "shop")
	e := h.v3Upload(tn, wechat, nil, h.v3Act(tn, "", device))
	wantCode(t, e, wxads.CodeRequired)
	if !strings.Contains(e.Message, "actions[0].user_id.wechat_app_id") {
		t.Fatalf("message without the path: %s", e.Raw)
	}
	unionOnly := func(a map[string]any) {
		a["user_id"] = map[string]any{"wechat_app_id": tn.AppID, "wechat_unionid": "u1"}
	}
	mustOK(t, h.v3Upload(tn, wechat, nil, h.v3Act(tn, "", unionOnly)))
	appOnly := func(a map[string]any) { a["user_id"] = map[string]any{"wechat_app_id": tn.AppID} }
	wantCode(t, h.v3Upload(tn, wechat, nil, h.v3Act(tn, "", appOnly)), wxads.CodeRequired)
}

func TestV3ActionsErrors(t *testing.T) {
	h := newHarness(t)
	tn := h.newTenant()
	set := h.newSet(tn, "shop")
	other := h.newTenant()
	otherSet := h.newSet(other, "theirs")
	fs := h.followers(tn.AppID, 1)
	with := func(k string, v any) func(map[string]any) { return func(a map[string]any) { a[k] = v } }
	ids := func(k, v string) func(map[string]any) {
		return func(a map[string]any) {
			a["user_id"] = map[string]any{"wechat_app_id": tn.AppID, "wechat_openid": fs[0], k: v}
		}
	}
	many := make([]map[string]any, 51)
	for i := range many {
		many[i] = h.v3Act(tn, fs[0])
	}
	for _, tc := range []struct {
		name  string
		body  map[string]any
		code  int
		param string
	}{
		{"no set", map[string]any{"actions": []any{h.v3Act(tn, fs[0])}}, wxads.CodeRequired, "user_action_set_id"},
		{"set of another advertiser", map[string]any{"user_action_set_id": otherSet, "actions": []any{h.v3Act(tn, fs[0])}}, wxads.CodeNotAccessible, "user_action_set_id"},
		{"account of another advertiser", map[string]any{"account_id": other.AccountID, "user_action_set_id": set, "actions": []any{h.v3Act(tn, fs[0])}}, wxads.CodeNotAccessible, "account_id"},
		{"no account", map[string]any{"account_id": nil, "user_action_set_id": set, "actions": []any{h.v3Act(tn, fs[0])}}, wxads.CodeRequired, "account_id"},
		{"no actions", map[string]any{"user_action_set_id": set, "actions": []any{}}, wxads.CodeTooFew, "actions"},
		{"51 actions", map[string]any{"user_action_set_id": set, "actions": many}, wxads.CodeTooMany, "actions"},
		{"action type", map[string]any{"user_action_set_id": set, "actions": []any{h.v3Act(tn, fs[0], with("action_type", "BUY"))}}, wxads.CodeNotInEnum, "actions[0].action_type"},
		{"custom 129", map[string]any{"user_action_set_id": set, "actions": []any{h.v3Act(tn, fs[0], with("action_type", "CUSTOM"), with("custom_action", strings.Repeat("x", 129)))}}, wxads.CodeTooLong, "actions[0].custom_action"},
		{"hash_idfa", map[string]any{"user_action_set_id": set, "actions": []any{h.v3Act(tn, fs[0], ids("hash_idfa", "xyz"))}}, wxads.CodeBadFormat, "actions[0].user_id.hash_idfa"},
		{"md5_sha256_oaid", map[string]any{"user_action_set_id": set, "actions": []any{h.v3Act(tn, fs[0], ids("md5_sha256_oaid", hashIMEI))}}, wxads.CodeBadFormat, "actions[0].user_id.md5_sha256_oaid"},
		{"outer_action_id", map[string]any{"user_action_set_id": set, "actions": []any{h.v3Act(tn, fs[0], outer("a-b"))}}, wxads.CodeBadChars, "actions[0].outer_action_id"},
		{"action_time", map[string]any{"user_action_set_id": set, "actions": []any{h.v3Act(tn, fs[0], with("action_time", nil))}}, wxads.CodeRequired, "actions[0].action_time"},
		{"action_param", map[string]any{"user_action_set_id": set, "actions": []any{h.v3Act(tn, fs[0], with("action_param", map[string]any{"value": "x"}))}}, wxads.CodeWrongType, "actions[0].action_param.value"},
		{"channel", map[string]any{"user_action_set_id": set, "actions": []any{h.v3Act(tn, fs[0], with("channel", 5))}}, wxads.CodeWrongType, "actions[0].channel"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := h.v3Post(tn, "user_actions/add", nil, tc.body)
			wantCode(t, e, tc.code)
			if !strings.Contains(e.Message, tc.param) || e.MessageCN == "" || e.Status != 200 {
				t.Fatalf("message should name %s: %s", tc.param, e.Raw)
			}
		})
	}
	if n := h.countActions(tn, set); n != 0 {
		t.Fatalf("%d actions stored by failed requests", n)
	}
	// Not JSON, and a missing global parameter, in the Tencent envelope.
	bad := h.do("POST", "/v3.0/user_actions/add", url.Values{"access_token": {tn.Token}, "timestamp": {itoa(h.clock.Now().Unix())},
		"nonce": {"bad-json"}}, "{", nil)
	wantCode(t, bad, wxads.CodeBadJSON)
	wantCode(t, h.do("POST", "/v3.0/user_actions/add", url.Values{"access_token": {tn.Token}}, map[string]any{"account_id": tn.AccountID}, nil),
		wxads.CodeV11TokenMissing)
}

// Atomic by default; partial_failure and validate_only as on the WeChat side.
func TestV3ActionsFlags(t *testing.T) {
	h := newHarness(t)
	tn := h.newTenant()
	set := h.newSet(tn, "shop")
	fs := h.followers(tn.AppID, 2)
	good, bad := h.v3Act(tn, fs[0], outer("g1")), h.v3Act(tn, fs[1], func(a map[string]any) { a["action_type"] = "NOPE" })
	wantCode(t, h.v3Upload(tn, set, nil, good, bad), wxads.CodeNotInEnum)
	r := decodeData[batchResult](t, mustOK(t, h.v3Upload(tn, set, url.Values{"validate_only": {"true"}, "partial_failure": {"true"}}, good, bad)))
	if r.Valid != 1 || len(r.Failed) != 1 || r.Failed[0].Index != 1 || !strings.Contains(r.Failed[0].Errmsg, "actions[1].action_type") {
		t.Fatalf("validate_only: %+v", r)
	}
	if n := h.countActions(tn, set); n != 0 {
		t.Fatalf("%d stored after a failed batch and a dry run", n)
	}
	r = decodeData[batchResult](t, mustOK(t, h.v3Upload(tn, set, url.Values{"partial_failure": {"true"}}, good, bad)))
	if r.Accepted != 1 || len(r.Failed) != 1 || r.Failed[0].Errcode != wxads.CodeNotInEnum {
		t.Fatalf("partial_failure: %+v", r)
	}
	if n := h.countActions(tn, set); n != 1 {
		t.Fatalf("%d stored, want 1", n)
	}
	wantCode(t, h.v3Upload(tn, set, url.Values{"validate_only": {"maybe"}}, good), wxads.CodeNotInEnum)
}

// An OAuth token acts for its advertiser with the user_actions scope; its
// advertiser's sets only.
func TestV3ActionsOAuth(t *testing.T) {
	h := newHarness(t)
	tn := h.newTenant()
	set := h.newSet(tn, "shop")
	fs := h.followers(tn.AppID, 1)
	c := h.newOAuthClient()
	tok := decodeData[oauthTokens](t, mustOK(t, h.exchange(c, h.adminCode(c, tn.AccountID, ""), testRedirect)))
	oa := tenant{AccountID: tn.AccountID, Token: tok.AccessToken}
	mustOK(t, h.v3Upload(oa, set, nil, h.v3Act(tn, fs[0], outer("oa1"))))
	id := decodeData[struct {
		ID int64 `json:"user_action_set_id"`
	}](t, mustOK(t, h.v3Post(oa, "user_action_sets/add", nil, map[string]any{"type": "WEB", "name": "site"}))).ID
	if id == 0 || h.countActions(tn, set) != 1 {
		t.Fatalf("set %d, %d actions", id, h.countActions(tn, set))
	}
	narrow := decodeData[oauthTokens](t, mustOK(t, h.exchange(c, h.adminCode(c, tn.AccountID, "ads_management"), testRedirect)))
	wantCode(t, h.v3Upload(tenant{AccountID: tn.AccountID, Token: narrow.AccessToken}, set, nil, h.v3Act(tn, fs[0])), wxads.CodeOAuthOutOfScope)
	other := h.newTenant()
	wantCode(t, h.v3Upload(other, set, nil, h.v3Act(other, fs[0])), wxads.CodeNotAccessible)
	wantCode(t, h.v3Post(oa, "user_action_sets/add", nil, map[string]any{"account_id": other.AccountID, "type": "WEB", "name": "x"}), wxads.CodeNotAccessible)
}
