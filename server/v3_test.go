package server_test

import (
	"encoding/json"
	"fmt"
	"net/url"
	"strings"
	"testing"

	"github.com/wxads/wxads"
)

// v3 calls a GET /v3.0 route as tn with fresh global parameters.
func (h *harness) v3(tn tenant, path string, q url.Values) envelope {
	h.t.Helper()
	if q == nil {
		q = url.Values{}
	}
	q.Set("access_token", tn.Token)
	q.Set("timestamp", fmt.Sprint(h.clock.Now().Unix()))
	q.Set("nonce", fmt.Sprint("v3-", nonceSeq.Add(1)))
	if !q.Has("account_id") {
		q.Set("account_id", fmt.Sprint(tn.AccountID))
	}
	e := h.do("GET", "/v3.0/"+path, q, nil, nil)
	if !strings.HasPrefix(e.Header.Get("Content-Type"), "application/json") || !strings.Contains(string(e.Raw), `"code":`) {
		h.t.Fatalf("v3.0 answer without code or JSON type: %s %s", e.Header.Get("Content-Type"), e.Raw)
	}
	return e
}

// A report is the same whichever side asks, with an app token or an OAuth one.
func TestV3ReportEqualsV1(t *testing.T) {
	h := newHarness(t)
	tn := h.newTenant()
	set := h.newSet(tn, "shop")
	fs := h.followers(tn.AppID, 3)
	mustOK(t, h.upload(tn, nil, act(tn, set, fs[0], outer("o1")), act(tn, set, fs[1], outer("o2")),
		act(tn, set, "oUnknownUser0000000000000000", outer("o3"))))
	c := h.newOAuthClient()
	tok := decodeData[oauthTokens](t, mustOK(t, h.exchange(c, h.adminCode(c, tn.AccountID, ""), testRedirect)))
	oa := tenant{AccountID: tn.AccountID, Token: tok.AccessToken}
	today := harnessNow.Format(wxads.DateLayout)
	for _, agg := range []string{"", wxads.AggDomain, wxads.AggActionType} {
		for _, gran := range []string{wxads.Hourly, wxads.Daily} {
			q := url.Values{"user_action_set_id": {fmt.Sprint(set)}, "date_range": {dateRange(today, today)}, "time_granularity": {gran}}
			if agg != "" {
				q.Set("aggregation", agg)
			}
			v1 := mustOK(t, h.api(tn, "GET", "/marketing/user_action_set_reports/get", cloneValues(q), nil))
			for _, who := range []tenant{tn, oa} {
				v3 := mustOK(t, h.v3(who, "user_action_set_reports/get", cloneValues(q)))
				if string(v3.Data) != string(v1.Data) || !strings.Contains(string(v1.Data), `"raw_action_count":`) {
					t.Fatalf("%s %s: v3.0 %s\nv1.0 %s", gran, agg, v3.Data, v1.Data)
				}
			}
		}
	}
	// Errors in the Tencent envelope, named as on the WeChat side.
	wantCode(t, h.v3(tn, "user_action_set_reports/get", url.Values{"date_range": {dateRange(today, today)}}), wxads.CodeRequired)
	other := h.newTenant()
	wantCode(t, h.v3(other, "user_action_set_reports/get", url.Values{"user_action_set_id": {fmt.Sprint(set)},
		"date_range": {dateRange(today, today)}}), wxads.CodeNotAccessible)
	wantCode(t, h.v3(tn, "user_action_set_reports/get", url.Values{"account_id": {fmt.Sprint(other.AccountID)}}), wxads.CodeNotAccessible)
	if e := h.v3(tn, "no_such/get", nil); e.Status != 404 || e.Code == 0 {
		t.Fatalf("unknown v3.0 path: %d %s", e.Status, e.Raw)
	}
}

func cloneValues(q url.Values) url.Values {
	out := url.Values{}
	for k, v := range q {
		out[k] = append([]string(nil), v...)
	}
	return out
}

// A set made on the WeChat side is listed on v3.0 in the v3.0 model's shape.
func TestV3ActionSetsGet(t *testing.T) {
	h := newHarness(t)
	tn := h.newTenant()
	set := h.newSet(tn, "shop")
	web := decodeData[struct {
		ID int64 `json:"user_action_set_id"`
	}](t, mustOK(t, h.api(tn, "POST", "/marketing/user_action_sets/add", nil, map[string]any{"type": "WEB", "name": "site"}))).ID
	type item struct {
		ID          int64           `json:"user_action_set_id"`
		Type        string          `json:"type"`
		WechatAppID string          `json:"wechat_app_id"`
		CreatedTime string          `json:"created_time"`
		Usages      []string        `json:"usages"`
		Permission  json.RawMessage `json:"permission"`
	}
	list := func(q url.Values) []item {
		t.Helper()
		return decodeData[struct {
			List []item `json:"list"`
		}](t, mustOK(t, h.v3(tn, "user_action_sets/get", q))).List
	}
	all := list(nil)
	if len(all) != 2 || all[0].ID != set || all[0].WechatAppID != tn.AppID || all[0].CreatedTime != harnessNow.Format(wxads.TimeLayout) ||
		all[0].Usages == nil || all[0].Permission != nil {
		t.Fatalf("list %+v", all)
	}
	if got := list(url.Values{"type": {`["WEB","HARMONY"]`}, "include_permission": {"true"}}); len(got) != 1 || got[0].ID != web ||
		!strings.Contains(string(got[0].Permission), `"can_create_audience":true`) {
		t.Fatalf("filtered %+v", got)
	}
	if got := list(url.Values{"user_action_set_id": {fmt.Sprint(set)}}); len(got) != 1 || got[0].ID != set {
		t.Fatalf("by id %+v", got)
	}
	wantCode(t, h.v3(tn, "user_action_sets/get", url.Values{"type": {`["PAPER"]`}}), wxads.CodeNotInEnum)
	wantCode(t, h.v3(tn, "user_action_sets/get", url.Values{"type": {`WEB`}}), wxads.CodeWrongType)
	wantCode(t, h.v3(h.newTenant(), "user_action_sets/get", url.Values{"user_action_set_id": {fmt.Sprint(set)}}), wxads.CodeNotAccessible)
	// An OAuth token without the user_actions scope is out of scope.
	c := h.newOAuthClient()
	tok := decodeData[oauthTokens](t, mustOK(t, h.exchange(c, h.adminCode(c, tn.AccountID, "ads_management"), testRedirect)))
	wantCode(t, h.v3(tenant{AccountID: tn.AccountID, Token: tok.AccessToken}, "user_action_sets/get", nil), wxads.CodeOAuthOutOfScope)
}
