package server_test

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/wxads/wxads"
	"github.com/wxads/wxads/server"
)

// inspected is one call as GET /ext/v1/requests/get returns it.
type inspected struct {
	Time          string                `json:"time"`
	Method        string                `json:"method"`
	Route         string                `json:"route"`
	RequestID     string                `json:"request_id"`
	AppID         string                `json:"appid"`
	HTTPStatus    int                   `json:"http_status"`
	Errcode       int                   `json:"errcode"`
	Errmsg        string                `json:"errmsg"`
	Explanation   string                `json:"explanation"`
	ExplanationCN string                `json:"explanation_cn"`
	Hint          string                `json:"hint"`
	Query         string                `json:"query"`
	Body          string                `json:"body"`
	BodyBytes     int                   `json:"body_bytes"`
	ActionCount   int                   `json:"action_count"`
	Actions       []wxads.ActionVerdict `json:"actions"`
}

type requestPage struct {
	List     []inspected    `json:"list"`
	PageInfo wxads.PageInfo `json:"page_info"`
}

// inspectorHarness is a harness whose inspector is flushed before each read
// and closed before the database.
func inspectorHarness(t *testing.T, opts ...func(*server.Config)) (*harness, func()) {
	h := newHarness(t, opts...)
	srv := h.srv.Config.Handler.(*server.Server)
	t.Cleanup(func() { srv.Close() })
	return h, func() {
		t.Helper()
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if err := srv.FlushRequests(ctx); err != nil {
			t.Fatal(err)
		}
	}
}

func (h *harness) requests(tn tenant, q url.Values) requestPage {
	h.t.Helper()
	return decodeData[requestPage](h.t, mustOK(h.t, h.api(tn, "GET", "/ext/v1/requests/get", q, nil)))
}

// upload builds a user_actions/add body from action JSON objects.
func uploadBody(actions ...string) string { return `{"actions":[` + strings.Join(actions, ",") + `]}` }

func actionJSON(set int64, appid, openid, outer string, at int64, extra string) string {
	return fmt.Sprintf(`{"user_action_set_id":%d,"url":"https://shop.example.com/p","action_time":%d,"action_type":"COMPLETE_ORDER",`+
		`"outer_action_id":%q,"user_id":{"wechat_app_id":%q,"wechat_openid":%q},"action_param":{"source":"Biz","claim_type":0}%s}`,
		set, at, outer, appid, openid, extra)
}

func TestInspectorUploadVerdicts(t *testing.T) {
	h, flush := inspectorHarness(t)
	a, b := h.newTenant(), h.newTenant()
	set := h.newSet(a, "orders")
	fans := h.followers(a.AppID, 3)
	now := h.clock.Now().Unix()
	mustOK(t, h.admin("POST", "/admin/v1/ad_events", map[string]any{"events": []map[string]any{
		{"type": "CLICK", "appid": a.AppID, "openid": fans[0], "ad_id": 11, "campaign_id": 5, "time": now - 3600},
		{"type": "CLICK", "appid": a.AppID, "openid": fans[2], "ad_id": 12, "campaign_id": 5, "click_id": "old_click",
			"time": now - 9*86400},
	}}))
	stranger := "o" + strings.Repeat("x", 27)
	body := uploadBody(
		actionJSON(set, a.AppID, fans[0], "o0", now-60, ""),                                  // attributed
		actionJSON(set, a.AppID, fans[1], "o1", now-60, ""),                                  // identified, no click
		actionJSON(set, a.AppID, stranger, "o2", now-60, ""),                                 // not a follower
		actionJSON(set, a.AppID, fans[0], "o3", 1795970211000, ""),                           // milliseconds
		actionJSON(set, a.AppID, fans[0], "o0", now-60, ""),                                  // duplicate of [0]
		actionJSON(set, b.AppID, fans[0], "o5", now-60, ""),                                  // another advertiser's app
		actionJSON(set, a.AppID, fans[2], "o6", now-60, `,"trace":{"click_id":"old_click"}`), // click too old
	)
	e := mustOK(t, h.api(a, "POST", "/marketing/user_actions/add", url.Values{"partial_failure": {"true"}}, body))
	flush()

	page := h.requests(a, url.Values{"route": {"/marketing/user_actions/add"}})
	if len(page.List) != 1 {
		t.Fatalf("want 1 upload recorded, got %+v", page)
	}
	rec := page.List[0]
	if rec.RequestID != e.Header.Get("X-Request-Id") || rec.Errcode != 0 || rec.ActionCount != 7 || rec.Method != "POST" {
		t.Errorf("record = %+v, want request id %s, errcode 0, 7 actions", rec, e.Header.Get("X-Request-Id"))
	}
	if strings.Contains(rec.Query, a.Token) || !strings.Contains(rec.Query, "access_token=REDACTED") {
		t.Errorf("query %q: the token must be redacted", rec.Query)
	}
	if rec.Body != body {
		t.Errorf("body kept as %q, want it as sent", rec.Body)
	}
	want := []struct {
		verdict    string
		identified bool
		ident      string // substring of Identification
		attr       string // substring of Attribution
		expl       string // substring of Explanation
	}{
		{wxads.VerdictStored, true, "is a follower", "Attributed to ad 11 (campaign 5): the CLICK", ""},
		{wxads.VerdictStored, true, "is a follower", "no CLICK of openid " + fans[1], ""},
		{wxads.VerdictStored, false, "openid " + stranger + " was not a follower of " + a.AppID, "only identified", ""},
		{wxads.VerdictRefused, false, "", "", "action_time 1795970211000 looks like milliseconds"},
		{wxads.VerdictDuplicate, false, "", "", `already holds outer_action_id "o0"`},
		{wxads.VerdictStored, false, "wechat_app_id " + b.AppID + " belongs to no app of this advertiser", "", ""},
		{wxads.VerdictStored, true, "", "outside the attribution window", ""},
	}
	if len(rec.Actions) != len(want) {
		t.Fatalf("%d verdicts, want %d: %+v", len(rec.Actions), len(want), rec.Actions)
	}
	for i, w := range want {
		v := rec.Actions[i]
		if v.Index != i || v.Verdict != w.verdict || v.Identified != w.identified || v.Facts != nil || !strings.Contains(v.Identification, w.ident) ||
			!strings.Contains(v.Attribution, w.attr) || !strings.Contains(v.Explanation, w.expl) {
			t.Errorf("actions[%d] = %+v\nwant verdict %s identified %v, identification ~%q, attribution ~%q, explanation ~%q",
				i, v, w.verdict, w.identified, w.ident, w.attr, w.expl)
		}
	}
	if v := rec.Actions[0]; v.AdID != 11 || v.CampaignID != 5 || v.EventType != "CLICK" || v.EventTime != now-3600 {
		t.Errorf("attributed action: %+v, want ad 11, campaign 5, CLICK at %d", v, now-3600)
	}
	if v := rec.Actions[3]; v.Errcode != 18003 || v.Path != "actions[3].action_time" || v.SetID != set {
		t.Errorf("refused action: %+v, want 18003 on actions[3].action_time of set %d", v, set)
	}
	if v := rec.Actions[2]; v.SetID != set || v.OuterActionID != "o2" {
		t.Errorf("stored action: %+v, want set %d outer o2", v, set)
	}

	// The other advertiser sees none of it, whatever it filters on.
	for _, q := range []url.Values{nil, {"errcode": {"0"}}, {"route": {"/marketing/user_actions/add"}}, {"page_size": {"100"}}} {
		for _, r := range h.requests(b, q).List {
			if r.AppID != b.AppID {
				t.Errorf("advertiser B sees a call of %s: %+v", r.AppID, r)
			}
		}
	}
}

func TestInspectorAtomicRefusal(t *testing.T) {
	h, flush := inspectorHarness(t)
	a := h.newTenant()
	set := h.newSet(a, "orders")
	now := h.clock.Now().Unix()
	bad := strings.Replace(actionJSON(set, a.AppID, "o"+strings.Repeat("a", 27), "x2", now, ""), "https://shop.example.com/p", "shop.example.com/p", 1)
	wantCode(t, h.api(a, "POST", "/marketing/user_actions/add", nil,
		uploadBody(actionJSON(set, a.AppID, "o"+strings.Repeat("a", 27), "x1", now, ""), bad)), 18005)
	flush()
	rec := h.requests(a, url.Values{"errcode": {"18005"}}).List
	if len(rec) != 1 {
		t.Fatalf("want the refused upload, got %+v", rec)
	}
	r := rec[0]
	if !strings.Contains(r.Explanation, `url "shop.example.com/p" has no scheme`) || r.Hint == "" || r.ExplanationCN == "" {
		t.Errorf("explanation %q / %q, hint %q: want the url explained and a hint", r.Explanation, r.ExplanationCN, r.Hint)
	}
	if len(r.Actions) != 2 || r.Actions[0].Verdict != wxads.VerdictRejected || r.Actions[1].Verdict != wxads.VerdictRefused ||
		!strings.Contains(r.Actions[0].Explanation, "partial_failure=true") {
		t.Errorf("verdicts %+v: want [rejected (atomic batch), refused]", r.Actions)
	}
}

// TestInspectorExplainers checks the common mistakes are named from the
// value sent, on uploads and on other routes.
func TestInspectorExplainers(t *testing.T) {
	h, flush := inspectorHarness(t)
	a := h.newTenant()
	set := h.newSet(a, "orders")
	now := h.clock.Now().Unix()
	fan := "o" + strings.Repeat("b", 27)
	cases := []struct {
		method, path string
		body         string
		code         int
		want         string
	}{
		{"POST", "/marketing/user_action_sets/add", `{"type":"WEB","name":"双十一大促销活动数据源"}`, 18007,
			"name is 33 bytes: 11 Chinese characters are 33 bytes in UTF-8 (3 each), at most 32"},
		{"POST", "/marketing/user_actions/add", uploadBody(strings.Replace(actionJSON(set, a.AppID, fan, "v", now, ""),
			`"claim_type":0`, `"claim_type":0,"value":12.5`, 1)), 18002, "12.5 yuan is 1250"},
		{"POST", "/marketing/user_actions/add", `[{"actions":[]}]`, 47001, "The body is a JSON array"},
		{"POST", "/marketing/user_actions/add", uploadBody(actionJSON(set, a.AppID, fan, "a-b", now, "")), 18006,
			`outer_action_id "a-b" contains '-'`},
	}
	for _, c := range cases {
		wantCode(t, h.api(a, c.method, c.path, nil, c.body), c.code)
	}
	flush()
	for _, c := range cases {
		list := h.requests(a, url.Values{"errcode": {fmt.Sprint(c.code)}, "route": {c.method + " " + c.path}}).List
		if len(list) != 1 || !strings.Contains(list[0].Explanation, c.want) {
			t.Errorf("%s %s (%d): want explanation ~%q, got %+v", c.method, c.path, c.code, c.want, list)
		}
	}
}

// TestInspectorTokenCalls: token calls are kept for the app's advertiser
// with the secret redacted, failed ones too; an unknown appid is nobody's.
func TestInspectorTokenCalls(t *testing.T) {
	h, flush := inspectorHarness(t)
	a := h.newTenant() // one /cgi-bin/token call
	wantCode(t, h.getToken(url.Values{"grant_type": {"client_credential"}, "appid": {a.AppID}, "secret": {"wrong" + a.Secret}}, nil), 40001)
	stable := h.stableToken(a.AppID, a.Secret, false)
	wantCode(t, h.getToken(url.Values{"grant_type": {"client_credential"}, "appid": {"wx00000000000000ff"}, "secret": {a.Secret}}, nil), 40013)
	flush()
	page := h.requests(a, nil)
	if page.PageInfo.TotalNumber != 3 {
		t.Fatalf("want 3 token calls, got %+v", page)
	}
	routes := []string{"/cgi-bin/stable_token", "/cgi-bin/token", "/cgi-bin/token"}
	codes := []int{0, 40001, 0}
	for i, r := range page.List {
		if r.Route != routes[i] || r.Errcode != codes[i] || r.AppID != a.AppID {
			t.Errorf("list[%d] = %s %d %s, want %s %d %s", i, r.Route, r.Errcode, r.AppID, routes[i], codes[i], a.AppID)
		}
		all := r.Query + r.Body + r.Explanation
		if strings.Contains(all, a.Secret) || strings.Contains(all, a.Token) || strings.Contains(string(stable.Raw), r.Body) && r.Body != "" {
			t.Errorf("list[%d] keeps a secret or token: query %q body %q", i, r.Query, r.Body)
		}
	}
	if !strings.Contains(page.List[0].Body, `"secret":"REDACTED"`) || !strings.Contains(page.List[1].Query, "secret=REDACTED") {
		t.Errorf("want secrets redacted: body %q, query %q", page.List[0].Body, page.List[1].Query)
	}
}

func TestInspectorPagingAndFilters(t *testing.T) {
	h, flush := inspectorHarness(t)
	a := h.newTenant()
	set := h.newSet(a, "orders")
	for range 3 {
		wantCode(t, h.api(a, "POST", "/marketing/user_actions/add", nil, `{"actions":[]}`), 18012)
	}
	h.api(a, "GET", "/ext/v1/user_actions/get", url.Values{"user_action_set_id": {fmt.Sprint(set)}}, nil)
	flush()
	// token, set add, 3 refused uploads, 1 list; requests/get itself is never kept.
	for _, c := range []struct {
		q           url.Values
		total, size int
	}{
		{nil, 6, 6},
		{url.Values{"page_size": {"4"}, "page": {"2"}}, 6, 2},
		{url.Values{"errcode": {"18012"}}, 3, 3},
		{url.Values{"errcode": {"0"}}, 3, 3},
		{url.Values{"errcode": {"-1"}}, 0, 0},
		{url.Values{"route": {"ext/v1/user_actions/get"}}, 1, 1},
		{url.Values{"route": {"POST /ext/v1/user_actions/get"}}, 0, 0},
		{url.Values{"route": {"/marketing/user_actions/add"}, "errcode": {"18012"}, "page_size": {"2"}}, 3, 2},
	} {
		p := h.requests(a, c.q)
		if p.PageInfo.TotalNumber != c.total || len(p.List) != c.size {
			t.Errorf("%v: total %d, %d listed; want %d, %d", c.q, p.PageInfo.TotalNumber, len(p.List), c.total, c.size)
		}
	}
	newest := h.requests(a, url.Values{"page_size": {"1"}})
	if newest.List[0].Route != "/ext/v1/user_actions/get" || newest.PageInfo.TotalPage != 6 {
		t.Errorf("newest first: got %+v", newest)
	}
	for q, code := range map[string]int{"page=0": 18004, "page_size=101": 18003, "errcode=abc": 18002, "page=x": 18002} {
		v, _ := url.ParseQuery(q)
		wantCode(t, h.api(a, "GET", "/ext/v1/requests/get", v, nil), code)
	}
}

func TestInspectorDiagnostics(t *testing.T) {
	h, flush := inspectorHarness(t)
	a, b := h.newTenant(), h.newTenant()
	set := h.newSet(a, "orders")
	fans := h.followers(a.AppID, 2)
	now := h.clock.Now().Unix()
	q := url.Values{"partial_failure": {"true"}}
	mustOK(t, h.api(a, "POST", "/marketing/user_actions/add", q, uploadBody(
		actionJSON(set, a.AppID, fans[0], "d1", now, ""),
		actionJSON(set, a.AppID, fans[1], "d2", now, ""),
		actionJSON(set, a.AppID, "o"+strings.Repeat("z", 27), "d3", now, ""),
		actionJSON(set, a.AppID, fans[0], "d1", now, ""),
		actionJSON(set, a.AppID, fans[0], "d4", now*1000, ""),
	)))
	wantCode(t, h.api(a, "POST", "/marketing/user_actions/add", nil, "[]"), 47001)
	mustOK(t, h.api(a, "POST", "/marketing/user_actions/add", url.Values{"validate_only": {"true"}},
		uploadBody(actionJSON(set, a.AppID, fans[0], "d9", now, ""))))
	flush()
	dr := url.Values{"date_range": {`{"start_date":"2026-11-23","end_date":"2026-11-23"}`}}
	type row struct {
		Date               string  `json:"date"`
		SetID              int64   `json:"user_action_set_id"`
		Accepted           int64   `json:"accepted"`
		Duplicates         int64   `json:"duplicates"`
		Refused            int64   `json:"refused"`
		Identified         int64   `json:"identified"`
		IdentificationRate float64 `json:"identification_rate"`
		RefusedBy          []struct {
			Errcode int   `json:"errcode"`
			Count   int64 `json:"count"`
		} `json:"refused_by_errcode"`
	}
	list := decodeData[struct{ List []row }](t, mustOK(t, h.api(a, "GET", "/ext/v1/diagnostics/get", dr, nil))).List
	if len(list) != 2 {
		t.Fatalf("want a row for the set and one for the body refused whole, got %+v", list)
	}
	whole, r := list[0], list[1]
	if whole.SetID != 0 || whole.Refused != 1 || whole.RefusedBy[0].Errcode != 47001 {
		t.Errorf("body refused whole: %+v", whole)
	}
	if r.Date != "2026-11-23" || r.SetID != set || r.Accepted != 3 || r.Duplicates != 1 || r.Refused != 1 ||
		r.RefusedBy[0].Errcode != 18003 || r.Identified != 2 || r.IdentificationRate < 0.66 || r.IdentificationRate > 0.67 {
		t.Errorf("set row %+v: want 3 accepted, 1 duplicate, 1 refused 18003, 2 identified", r)
	}
	if other := decodeData[struct{ List []row }](t, mustOK(t, h.api(b, "GET", "/ext/v1/diagnostics/get", dr, nil))).List; len(other) != 0 {
		t.Errorf("advertiser B sees A's diagnostics: %+v", other)
	}
	dr.Set("user_action_set_id", fmt.Sprint(set))
	wantCode(t, h.api(b, "GET", "/ext/v1/diagnostics/get", dr, nil), 31011)
}

// requestLines returns the "request" lines of a JSON log.
func requestLines(log string) []map[string]any {
	var out []map[string]any
	for line := range strings.SplitSeq(strings.TrimSpace(log), "\n") {
		var m map[string]any
		if json.Unmarshal([]byte(line), &m) == nil && m["msg"] == "request" {
			out = append(out, m)
		}
	}
	return out
}

// TestRequestLogLine: SPEC §3's line for an upload, a refused call and a
// token call, and never a secret or a token in the log.
func TestRequestLogLine(t *testing.T) {
	var logs syncBuffer
	h, _ := inspectorHarness(t, func(c *server.Config) { c.Logger = slog.New(slog.NewJSONHandler(&logs, nil)) })
	a := h.newTenant()
	set := h.newSet(a, "orders")
	now := h.clock.Now().Unix()
	fan := "o" + strings.Repeat("c", 27)
	up := mustOK(t, h.api(a, "POST", "/marketing/user_actions/add", nil,
		uploadBody(actionJSON(set, a.AppID, fan, "l1", now, ""), actionJSON(set, a.AppID, fan, "l2", now, ""))))
	bad := h.api(a, "POST", "/marketing/user_actions/add", nil, uploadBody(actionJSON(set, a.AppID, fan, "l3", now*1000, "")))
	wantCode(t, bad, 18003)

	byID := map[string]map[string]any{}
	for _, l := range requestLines(logs.String()) {
		byID[fmt.Sprint(l["request_id"])] = l
	}
	for _, c := range []struct {
		e       envelope
		errcode float64
	}{{up, 0}, {bad, 18003}} {
		l := byID[c.e.Header.Get("X-Request-Id")]
		if l == nil {
			t.Fatalf("no log line for request %s", c.e.Header.Get("X-Request-Id"))
		}
		_, hasDuration := l["duration_ms"].(float64)
		if l["route"] != "/marketing/user_actions/add" || l["status"] != 200.0 || l["errcode"] != c.errcode ||
			l["appid"] != a.AppID || l["account_id"] != float64(a.AccountID) || !hasDuration {
			t.Errorf("log line %v: want route, status 200, errcode %v, appid, account_id, duration_ms", l, c.errcode)
		}
	}
	if n := byID[up.Header.Get("X-Request-Id")]["actions"]; n != 2.0 {
		t.Errorf("upload log line: actions = %v, want 2", n)
	}
	for _, l := range requestLines(logs.String()) {
		if l["route"] == "/cgi-bin/token" && l["appid"] != a.AppID {
			t.Errorf("token log line %v: want appid %s", l, a.AppID)
		}
	}
	all := logs.String()
	if strings.Contains(all, a.Secret) || strings.Contains(all, a.Token) {
		t.Errorf("the log holds a secret or a token:\n%s", all)
	}
}

// TestInspectorV11: a /v1.1 call refused after its token was recognized is
// kept for the token's advertiser, with the Tencent envelope's code.
func TestInspectorV11(t *testing.T) {
	h, flush := inspectorHarness(t)
	a := h.newTenant()
	wantCode(t, h.v11(a, map[string]string{"timestamp": fmt.Sprint(h.clock.Now().Unix() - 301)}), wxads.CodeBadFormat)
	mustOK(t, h.v11(a, nil))
	flush()
	list := h.requests(a, url.Values{"route": {"/v1.1/adcreative_templates/get"}}).List
	if len(list) != 2 || list[0].Errcode != 0 || list[1].Errcode != wxads.CodeBadFormat || list[1].Hint == "" ||
		strings.Contains(list[1].Query, a.Token) {
		t.Errorf("v1.1 calls: %+v; want [ok, 18005 with a hint], token redacted", list)
	}
}
