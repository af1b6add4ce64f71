package server_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"
)

// TestAdEventsValidation walks every rule of POST /admin/v1/ad_events: the
// code and the parameter path the errmsg names.
func TestAdEventsValidation(t *testing.T) {
	h := newHarness(t)
	tn := h.newTenant()
	now := harnessNow.Unix()
	event := func(mutate func(map[string]any)) map[string]any {
		e := map[string]any{"type": "CLICK", "appid": tn.AppID, "openid": openIDOf("valid"), "ad_id": 1,
			"campaign_id": 2, "click_id": "k", "time": now - 60}
		if mutate != nil {
			mutate(e)
		}
		return e
	}
	set := func(k string, v any) func(map[string]any) { return func(e map[string]any) { e[k] = v } }
	del := func(k string) func(map[string]any) { return func(e map[string]any) { delete(e, k) } }
	one := func(mutate func(map[string]any)) string {
		b, _ := json.Marshal(map[string]any{"events": []any{event(mutate)}})
		return string(b)
	}
	many := make([]any, 1001)
	for i := range many {
		many[i] = event(nil)
	}
	manyBody, _ := json.Marshal(map[string]any{"events": many})
	thirdBad, _ := json.Marshal(map[string]any{"events": []any{event(nil), event(nil), event(set("openid", "bad"))}})

	for _, c := range []struct {
		name  string
		body  string
		code  int
		param string // "" when the code's message names no parameter
	}{
		{"valid", one(nil), 0, ""},
		{"ad_id and campaign_id as digit strings", one(func(e map[string]any) { e["ad_id"], e["campaign_id"] = "12", "34" }), 0, ""},
		{"campaign_id and click_id optional", one(func(e map[string]any) { delete(e, "campaign_id"); delete(e, "click_id") }), 0, ""},
		{"FOLLOW", one(set("type", "FOLLOW")), 0, ""},
		{"click_id 64 bytes", one(set("click_id", strings.Repeat("c", 64))), 0, ""},
		{"time now+10", one(set("time", now+10)), 0, ""},
		{"unknown fields ignored", one(set("extra", []int{1})), 0, ""},

		{"empty body", "", 44002, ""},
		{"not JSON", "{", 47001, ""},
		{"JSON array", "[]", 47001, ""},
		{"events missing", `{}`, 18001, "events"},
		{"events null", `{"events":null}`, 18001, "events"},
		{"events not an array", `{"events":"x"}`, 18002, "events"},
		{"events empty", `{"events":[]}`, 18012, "events"},
		{"events over 1000", string(manyBody), 18011, "events"},
		{"event not an object", `{"events":[1]}`, 18002, "events[0]"},
		{"event null", `{"events":[null]}`, 18002, "events[0]"},
		{"the failing index is named", string(thirdBad), 18005, "events[2].openid"},

		{"type missing", one(del("type")), 18001, "events[0].type"},
		{"type empty", one(set("type", "")), 18001, "events[0].type"},
		{"type unknown", one(set("type", "VIEW")), 18009, "events[0].type"},
		{"type lower case", one(set("type", "click")), 18009, "events[0].type"},
		{"type not a string", one(set("type", 1)), 18002, "events[0].type"},
		{"appid missing", one(del("appid")), 18001, "events[0].appid"},
		{"appid unknown", one(set("appid", "wx00000000000000ff")), 31011, "events[0].appid"},
		{"appid not a string", one(set("appid", 7)), 18002, "events[0].appid"},
		{"openid missing", one(del("openid")), 18001, "events[0].openid"},
		{"openid empty", one(set("openid", "")), 18001, "events[0].openid"},
		{"openid 27 characters", one(set("openid", openIDOf("x")[:27])), 18005, "events[0].openid"},
		{"openid 29 characters", one(set("openid", openIDOf("x")+"a")), 18005, "events[0].openid"},
		{"openid not starting with o", one(set("openid", "x"+openIDOf("x")[1:])), 18005, "events[0].openid"},
		{"openid bad character", one(set("openid", openIDOf("a.b"))), 18005, "events[0].openid"},
		{"ad_id missing", one(del("ad_id")), 18001, "events[0].ad_id"},
		{"ad_id zero", one(set("ad_id", 0)), 18004, "events[0].ad_id"},
		{"ad_id negative", one(set("ad_id", -3)), 18004, "events[0].ad_id"},
		{"ad_id fraction", one(set("ad_id", 1.5)), 18002, "events[0].ad_id"},
		{"ad_id not digits", one(set("ad_id", "12a")), 18002, "events[0].ad_id"},
		{"campaign_id not digits", one(set("campaign_id", "x")), 18002, "events[0].campaign_id"},
		{"click_id 65 bytes", one(set("click_id", strings.Repeat("c", 65))), 18007, "events[0].click_id"},
		{"click_id not a string", one(set("click_id", 5)), 18002, "events[0].click_id"},
		{"time missing", one(del("time")), 18001, "events[0].time"},
		{"time zero", one(set("time", 0)), 18004, "events[0].time"},
		{"time negative", one(set("time", -1)), 18004, "events[0].time"},
		{"time now+11", one(set("time", now+11)), 18003, "events[0].time"},
		{"time fraction", one(set("time", 1.5)), 18002, "events[0].time"},
		{"time as string", one(set("time", "1700000000")), 18002, "events[0].time"},
	} {
		t.Run(c.name, func(t *testing.T) {
			// The fake clock ticks: restart it on a whole second so that
			// now+10 and now+11 stay on their sides of the limit.
			h.clock.Set(time.Unix(now, 0))
			e := h.admin("POST", "/admin/v1/ad_events", c.body)
			wantCode(t, e, c.code)
			if c.param != "" && !strings.Contains(e.Errmsg, "'"+c.param+"'") {
				t.Errorf("errmsg %q does not name '%s'", e.Errmsg, c.param)
			}
			if strings.Contains(e.Errmsg, "server.") || strings.Contains(e.Errmsg, "flexID") {
				t.Errorf("errmsg leaks a Go type: %q", e.Errmsg)
			}
		})
	}
}

// TestAdEventsAuth: the admin API needs the bearer token; a wrong method is 43002.
func TestAdEventsAuth(t *testing.T) {
	h := newHarness(t)
	tn := h.newTenant()
	body := map[string]any{"events": []any{map[string]any{"type": "FOLLOW", "appid": tn.AppID,
		"openid": openIDOf("auth"), "ad_id": 1, "time": harnessNow.Unix()}}}
	for name, hdr := range map[string]http.Header{
		"no header":    nil,
		"wrong token":  {"Authorization": {"Bearer nope"}},
		"not a bearer": {"Authorization": {adminToken}},
	} {
		if e := h.do("POST", "/admin/v1/ad_events", nil, body, hdr); e.Status != http.StatusUnauthorized {
			t.Errorf("%s: HTTP %d %s, want 401", name, e.Status, e.Raw)
		}
	}
	if ok, _ := h.db.IsFollower(t.Context(), tn.AppID, openIDOf("auth")); ok {
		t.Error("an unauthorized FOLLOW registered a follower")
	}
	wantCode(t, h.admin("DELETE", "/admin/v1/ad_events", nil), 43002) // GET lists them (admin_read.go)
}

// TestAdEventsAtomic: one bad event rejects the batch and stores nothing —
// no follower registered, no event to attribute to — wherever it stands.
func TestAdEventsAtomic(t *testing.T) {
	w := newAttrWorld(t)
	h := w.h
	at := harnessNow.Unix() - 60
	for i, badAt := range []int{0, 1, 2} {
		u, v := openIDOf("u"+string(rune('a'+i))), openIDOf("v"+string(rune('a'+i)))
		click := "atomic" + string(rune('a'+i))
		evs := []any{
			adEventReq{Type: "FOLLOW", AppID: w.a.AppID, OpenID: u, AdID: 1, Time: at - 60},
			adEventReq{Type: "CLICK", AppID: w.a.AppID, OpenID: v, AdID: 2, ClickID: click, Time: at - 60},
		}
		bad := map[string]any{"type": "FOLLOW", "appid": w.a.AppID, "openid": u, "ad_id": 3, "time": at + 3600}
		evs = append(evs[:badAt], append([]any{bad}, evs[badAt:]...)...)
		e := h.admin("POST", "/admin/v1/ad_events", map[string]any{"events": evs})
		wantCode(t, e, 18003)
		if ok, _ := h.db.IsFollower(t.Context(), w.a.AppID, u); ok {
			t.Fatalf("bad event at %d: the rejected batch registered a follower", badAt)
		}
		// Make u a follower by hand: neither the FOLLOW nor the CLICK of the
		// rejected batch may attribute.
		mustOK(t, h.admin("POST", "/admin/v1/apps/"+w.a.AppID+"/followers", map[string]any{"openids": []string{u}}))
		h.sendActions(w.a, actionReq{Set: w.setA, AppID: w.a.AppID, OpenID: u, Claim: 1, Time: at})
		checkAttribution(t, h.lastAction(w.a, w.setA), true, 0)
		h.sendActions(w.a, actionReq{Set: w.setA, AppID: w.a.AppID, OpenID: u, Claim: 0, ClickID: click, Time: at})
		checkAttribution(t, h.lastAction(w.a, w.setA), true, 0)
	}

	// The same batch without the bad event is stored whole.
	u := openIDOf("ok")
	e := mustOK(t, h.admin("POST", "/admin/v1/ad_events", map[string]any{"events": []adEventReq{
		{Type: "FOLLOW", AppID: w.a.AppID, OpenID: u, AdID: 1, Time: at - 60},
		{Type: "CLICK", AppID: w.a.AppID, OpenID: u, AdID: 2, Time: at - 30},
	}}))
	if got := decodeData[struct {
		Accepted int `json:"accepted"`
	}](t, e).Accepted; got != 2 {
		t.Errorf("accepted %d, want 2", got)
	}
	h.sendActions(w.a, actionReq{Set: w.setA, AppID: w.a.AppID, OpenID: u, Claim: 0, Time: at})
	checkAttribution(t, h.lastAction(w.a, w.setA), true, 2)
}
