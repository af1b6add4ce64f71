package server_test

import (
	"fmt"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/wxads/wxads"
)

// TestFollowerUnionIDs: POST /admin/v1/apps/{appid}/followers takes
// {"followers":[{openid, unionid}]} with platform codes and paths, and GET
// lists the unionids.
func TestFollowerUnionIDs(t *testing.T) {
	h := newHarness(t)
	tn := h.newTenant()
	path := "/admin/v1/apps/" + tn.AppID + "/followers"
	o1, o2, o3 := openIDOf("one"), openIDOf("two"), openIDOf("three")
	fl := func(pairs ...string) map[string]any {
		var list []map[string]any
		for i := 0; i < len(pairs); i += 2 {
			m := map[string]any{"openid": pairs[i]}
			if pairs[i+1] != "-" {
				m["unionid"] = pairs[i+1]
			}
			list = append(list, m)
		}
		return map[string]any{"followers": list}
	}
	got := decodeData[struct {
		OpenIDs []string `json:"openids"`
	}](t, mustOK(t, h.admin("POST", path, fl(o1, "u1", o2, "-"))))
	if len(got.OpenIDs) != 2 || got.OpenIDs[0] != o1 {
		t.Errorf("openids: %v", got.OpenIDs)
	}
	mustOK(t, h.admin("POST", path, fl(o1, "u1"))) // the unionid it has: fine
	for _, c := range []struct {
		name  string
		body  any
		code  int
		param string
	}{
		{"held by another openid", fl(o3, "u3", o2, "u1"), wxads.CodeDuplicateName, "followers[1].unionid"},
		{"twice in one call", fl(o3, "u9", o2, "u9"), wxads.CodeDuplicateName, "followers[1].unionid"},
		{"openid keeps its unionid", fl(o1, "u2"), wxads.CodeDuplicateName, "followers[0].unionid"},
		{"too long", fl(o3, strings.Repeat("u", 65)), wxads.CodeTooLong, "followers[0].unionid"},
		{"empty", fl(o2, "-", o3, ""), wxads.CodeEmptyString, "followers[1].unionid"},
		{"bad openid", fl(o2, "-", "x", "u5"), wxads.CodeBadFormat, "followers[1].openid"},
		{"no openid", `{"followers":[{"unionid":"u5"}]}`, wxads.CodeRequired, "followers[0].openid"},
		{"empty list", `{"followers":[]}`, wxads.CodeTooFew, "followers"},
		{"with openids", `{"followers":[{"openid":"` + o3 + `"}],"openids":["` + o3 + `"]}`, wxads.CodeBadFormat, "followers"},
		{"unionid not a string", `{"followers":[{"openid":"` + o3 + `","unionid":5}]}`, wxads.CodeWrongType, ""},
	} {
		e := h.admin("POST", path, c.body)
		wantCode(t, e, c.code)
		if !strings.Contains(e.Errmsg, c.param) {
			t.Errorf("%s: errmsg %q does not name %s", c.name, e.Errmsg, c.param)
		}
	}
	list := decodeData[struct {
		List []struct {
			OpenID  string  `json:"openid"`
			UnionID *string `json:"unionid"`
		} `json:"list"`
	}](t, mustOK(t, h.admin("GET", path, nil))).List
	unionids := map[string]string{}
	for _, f := range list {
		if f.UnionID != nil {
			unionids[f.OpenID] = *f.UnionID
		}
	}
	if len(list) != 2 || len(unionids) != 1 || unionids[o1] != "u1" {
		t.Errorf("GET followers: %+v; want o1 with u1, o2 without (a refused call adds nobody)", list)
	}
}

// TestV3UnionIDIdentification: a v3.0 action naming (wechat_app_id,
// wechat_unionid) of a follower is identified as that follower, attributed
// by its openid's CLICK and counted once with the openid's own uploads;
// another advertiser's follower never identifies. The inspector says so.
func TestV3UnionIDIdentification(t *testing.T) {
	h, flush := inspectorHarness(t)
	a, b := h.newTenant(), h.newTenant()
	o1, o2 := openIDOf("uone"), openIDOf("utwo")
	mustOK(t, h.admin("POST", "/admin/v1/apps/"+a.AppID+"/followers", map[string]any{
		"followers": []map[string]any{{"openid": o1, "unionid": "oUnion1"}, {"openid": o2, "unionid": "oUnion2"}}}))
	mustOK(t, h.admin("POST", "/admin/v1/apps/"+b.AppID+"/followers", map[string]any{
		"followers": []map[string]any{{"openid": openIDOf("bee"), "unionid": "oUnionB"}}}))
	now := h.clock.Now().Unix()
	mustOK(t, h.admin("POST", "/admin/v1/ad_events", map[string]any{"events": []map[string]any{
		{"type": "CLICK", "appid": a.AppID, "openid": o1, "ad_id": 7, "campaign_id": 3, "time": now - 600}}}))
	set := h.newSet(a, "shop")
	byUnion := func(appid, unionid, outer string) map[string]any {
		return h.v3Act(a, "", func(m map[string]any) {
			m["user_id"] = map[string]any{"wechat_app_id": appid, "wechat_unionid": unionid}
			m["outer_action_id"] = outer
		})
	}
	mustOK(t, h.v3Upload(a, set, nil,
		byUnion(a.AppID, "oUnion1", "by_unionid"),
		h.v3Act(a, o1, func(m map[string]any) { m["outer_action_id"] = "by_openid" }),
		byUnion(a.AppID, "oUnknown", "unknown"),
		byUnion(b.AppID, "oUnionB", "other_tenant"),
		byUnion(a.AppID, "oUnion2", "no_event"),
	))
	flush()
	got := h.v3Stored(a, set)
	for outer, w := range map[string]struct {
		by string
		ad int64
	}{
		"by_unionid": {"wechat_unionid:oUnion1", 7}, "by_openid": {"", 7}, "unknown": {"-", 0}, "other_tenant": {"-", 0},
		"no_event": {"wechat_unionid:oUnion2", 0},
	} {
		s := got[outer]
		ad := int64(0)
		if s.AttributedAdID != nil {
			ad = *s.AttributedAdID
		}
		if s.IdentifiedBy != strings.TrimPrefix(w.by, "-") || s.Identified != (w.by != "-") || ad != w.ad {
			t.Errorf("%s: identified %v by %q, ad %d; want by %q, ad %d", outer, s.Identified, s.IdentifiedBy, ad, w.by, w.ad)
		}
	}
	day := time.Unix(now, 0).In(time.FixedZone("CST", 8*3600)).Format("2006-01-02")
	rep := decodeData[struct {
		List []struct {
			Raw        int `json:"raw_action_count"`
			Identified int `json:"identified_action_count"`
			Users      int `json:"identified_user_count"`
		} `json:"list"`
	}](t, mustOK(t, h.api(a, "GET", "/marketing/user_action_set_reports/get", url.Values{
		"user_action_set_id": {fmt.Sprint(set)}, "time_granularity": {"DAILY"},
		"date_range": {`{"start_date":"` + day + `","end_date":"` + day + `"}`}}, nil)))
	if len(rep.List) != 1 || rep.List[0].Raw != 5 || rep.List[0].Identified != 3 || rep.List[0].Users != 2 {
		t.Errorf("report %+v; want raw 5, identified 3, users 2 (o1 by both ids, o2)", rep.List)
	}

	page := h.requests(a, url.Values{"route": {"/v3.0/user_actions/add"}})
	if len(page.List) != 1 || len(page.List[0].Actions) != 5 {
		t.Fatalf("inspector: %+v", page)
	}
	vs := page.List[0].Actions
	for i, w := range []struct{ ident, identCN, attr string }{
		{"Identified by wechat_unionid oUnion1, a follower of " + a.AppID, "wechat_unionid oUnion1 是 " + a.AppID + " 的粉丝", "Attributed to ad 7"},
		{"is a follower of", "的粉丝", "Attributed to ad 7"},
		{"wechat_unionid oUnknown was a follower of " + a.AppID, "followers[].unionid", "only identified"},
		{"belongs to no app of this advertiser", "不是本广告主的公众号", "only identified"},
		{"Identified by wechat_unionid oUnion2", "的粉丝", "no CLICK of openid " + o2},
	} {
		v := vs[i]
		if !strings.Contains(v.Identification, w.ident) || !strings.Contains(v.IdentificationCN, w.identCN) ||
			!strings.Contains(v.Attribution, w.attr) || v.AttributionCN == "" {
			t.Errorf("actions[%d]: %q / %q / %q; want ~%q / ~%q / ~%q", i, v.Identification, v.IdentificationCN,
				v.Attribution, w.ident, w.identCN, w.attr)
		}
	}
}
