package server_test

import (
	"encoding/json"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/wxads/wxads"
)

// attrWindow is the default attribution window (SPEC §6.3: 7 days, inclusive).
const attrWindow = 7 * 86400

// openIDOf makes a valid openid (28 characters, 'o' first) from a readable tag.
func openIDOf(tag string) string {
	s := "o" + tag + strings.Repeat("_", 27)
	return s[:28]
}

// adEventReq is one element of POST /admin/v1/ad_events.
type adEventReq struct {
	Type       string `json:"type"`
	AppID      string `json:"appid"`
	OpenID     string `json:"openid"`
	AdID       int64  `json:"ad_id"`
	CampaignID int64  `json:"campaign_id,omitempty"`
	ClickID    string `json:"click_id,omitempty"`
	Time       int64  `json:"time"`
}

// sendAdEvents posts one batch of ad events and requires success.
func (h *harness) sendAdEvents(evs ...adEventReq) {
	h.t.Helper()
	mustOK(h.t, h.admin("POST", "/admin/v1/ad_events", map[string]any{"events": evs}))
}

// actionReq is one conversion to upload; zero fields get defaults in body.
type actionReq struct {
	Set        int64
	AppID      string
	OpenID     string
	ClickID    string
	Type       string // default COMPLETE_ORDER
	Custom     string
	Claim      any // 0, 1, "0" or "1"
	Value      *int64
	Time       int64
	Outer      string
	ClaimIsStr bool
}

func (a actionReq) body() map[string]any {
	typ := a.Type
	if typ == "" {
		typ = "COMPLETE_ORDER"
	}
	param := map[string]any{"source": "Biz", "claim_type": a.Claim}
	if a.Value != nil {
		param["value"] = *a.Value
	}
	m := map[string]any{
		"user_action_set_id": a.Set, "url": "https://shop.example.com/p", "action_time": a.Time,
		"action_type": typ, "user_id": map[string]any{"wechat_app_id": a.AppID, "wechat_openid": a.OpenID},
		"action_param": param,
	}
	if a.Custom != "" {
		m["custom_action"] = a.Custom
	}
	if a.ClickID != "" {
		m["trace"] = map[string]any{"click_id": a.ClickID}
	}
	if a.Outer != "" {
		m["outer_action_id"] = a.Outer
	}
	return m
}

// sendActions uploads one batch as tn and requires success.
func (h *harness) sendActions(tn tenant, actions ...actionReq) {
	h.t.Helper()
	list := make([]map[string]any, len(actions))
	for i, a := range actions {
		list[i] = a.body()
	}
	mustOK(h.t, h.api(tn, "POST", "/marketing/user_actions/add", nil, map[string]any{"actions": list}))
}

// storedAction is an item of ext/v1/user_actions/get, with its raw JSON.
type storedAction struct {
	OuterActionID string `json:"outer_action_id"`
	ActionTime    int64  `json:"action_time"`
	ActionType    string `json:"action_type"`
	UserID        struct {
		AppID  string `json:"wechat_app_id"`
		OpenID string `json:"wechat_openid"`
	} `json:"user_id"`
	Identified     bool            `json:"identified"`
	AttributedAdID *int64          `json:"attributed_ad_id"`
	Raw            json.RawMessage `json:"-"`
}

// storedActions reads one page of a set's actions, newest first.
func (h *harness) storedActions(tn tenant, set int64, page, size int) (list []storedAction, total int) {
	h.t.Helper()
	e := mustOK(h.t, h.api(tn, "GET", "/ext/v1/user_actions/get", url.Values{"user_action_set_id": {fmt.Sprint(set)},
		"page": {fmt.Sprint(page)}, "page_size": {fmt.Sprint(size)}}, nil))
	d := decodeData[struct {
		List     []json.RawMessage `json:"list"`
		PageInfo struct {
			TotalNumber int `json:"total_number"`
		} `json:"page_info"`
	}](h.t, e)
	for _, raw := range d.List {
		var a storedAction
		if err := json.Unmarshal(raw, &a); err != nil {
			h.t.Fatalf("action %s: %v", raw, err)
		}
		a.Raw = raw
		list = append(list, a)
	}
	return list, d.PageInfo.TotalNumber
}

// lastAction is the newest action of a set.
func (h *harness) lastAction(tn tenant, set int64) storedAction {
	h.t.Helper()
	list, _ := h.storedActions(tn, set, 1, 1)
	if len(list) != 1 {
		h.t.Fatal("set holds no action")
	}
	return list[0]
}

// checkAttribution fails unless a has the wanted identification and
// attributed_ad_id (0: the JSON holds "attributed_ad_id":null).
func checkAttribution(t testing.TB, a storedAction, identified bool, ad int64) {
	t.Helper()
	var got int64
	if a.AttributedAdID != nil {
		got = *a.AttributedAdID
	}
	if a.Identified != identified || got != ad {
		t.Errorf("identified %v, attributed_ad_id %d; want %v, %d (%s)", a.Identified, got, identified, ad, a.Raw)
	}
	if ad == 0 && !strings.Contains(string(a.Raw), `"attributed_ad_id":null`) {
		t.Errorf("unattributed action must carry attributed_ad_id null: %s", a.Raw)
	}
}

// adReportRow is an item of ext/v1/ad_reports/get.
type adReportRow struct {
	Date        string `json:"date"`
	Hour        *int   `json:"hour"`
	AdID        int64  `json:"ad_id"`
	CampaignID  int64  `json:"campaign_id"`
	ActionType  string `json:"action_type"`
	Conversions int64  `json:"conversions"`
	Value       int64  `json:"value"`
}

// adReportQuery builds the query of ext/v1/ad_reports/get; granularity "" leaves it out.
func adReportQuery(start, end, granularity string) url.Values {
	q := url.Values{"date_range": {fmt.Sprintf(`{"start_date":%q,"end_date":%q}`, start, end)}}
	if granularity != "" {
		q.Set("time_granularity", granularity)
	}
	return q
}

// adReport fetches ext/v1/ad_reports/get as tn and requires success.
func (h *harness) adReport(tn tenant, start, end, granularity string) []adReportRow {
	h.t.Helper()
	e := mustOK(h.t, h.api(tn, "GET", "/ext/v1/ad_reports/get", adReportQuery(start, end, granularity), nil))
	if !strings.Contains(string(e.Data), `"list":[`) {
		h.t.Fatalf("ad report data.list must be an array: %s", e.Data)
	}
	return decodeData[struct {
		List []adReportRow `json:"list"`
	}](h.t, e).List
}

// attrWorld is two advertisers: A with two apps and one data source, B
// with one app and one data source.
type attrWorld struct {
	h          *harness
	a, b       tenant
	a2         string // A's second app
	setA, setB int64
}

func newAttrWorld(t *testing.T) *attrWorld {
	h := newHarness(t)
	w := &attrWorld{h: h, a: h.newTenant(), b: h.newTenant()}
	w.a2 = decodeData[struct {
		AppID string `json:"appid"`
	}](t, mustOK(t, h.admin("POST", "/admin/v1/apps", map[string]any{"account_id": w.a.AccountID, "name": "a2"}))).AppID
	w.setA, w.setB = h.newSet(w.a, "a"), h.newSet(w.b, "b")
	return w
}

// app resolves an app name of the tables: "A", "A2", "B", or "unknown".
func (w *attrWorld) app(name string) string {
	switch name {
	case "A":
		return w.a.AppID
	case "A2":
		return w.a2
	case "B":
		return w.b.AppID
	case "unknown":
		return "wx00000000000000ff"
	}
	panic("unknown app " + name)
}

func fenPtr(v int64) *int64 { return &v }

// TestAttribution drives SPEC §6.3's identification and attribution rules
// through the HTTP API, one case per rule edge. Times are relative to the
// action; each case uses its own openids and click ids.
func TestAttribution(t *testing.T) {
	type ev struct {
		typ, app, who string // who: openid tag
		ad            int64
		click         string
		dt            int64 // event time minus action time
	}
	const h1, d1 = 3600, 86400
	cases := []struct {
		name       string
		events     []ev   // sent in order, one batch
		followOf   string // register the actor as follower of this app via the admin API
		app        string // the action's wechat_app_id, default "A"
		claim      any
		click      string
		identified bool
		ad         int64
	}{
		{name: "FOLLOW exactly window before", events: []ev{{"FOLLOW", "A", "u", 11, "", -attrWindow}},
			claim: 1, identified: true, ad: 11},
		{name: "FOLLOW one second past the window", events: []ev{{"FOLLOW", "A", "u", 12, "", -attrWindow - 1}},
			claim: 1, identified: true},
		{name: "CLICK by openid exactly window before", events: []ev{{"CLICK", "A", "u", 21, "", -attrWindow}},
			followOf: "A", claim: 0, identified: true, ad: 21},
		{name: "CLICK by openid one second past the window", events: []ev{{"CLICK", "A", "u", 22, "", -attrWindow - 1}},
			followOf: "A", claim: 0, identified: true},
		{name: "click_id exactly window before", events: []ev{{"CLICK", "A", "v", 31, "k", -attrWindow}},
			followOf: "A", claim: 0, click: "k", identified: true, ad: 31},
		{name: "click_id one second past the window", events: []ev{{"CLICK", "A", "v", 32, "k", -attrWindow - 1}},
			followOf: "A", claim: 0, click: "k", identified: true},
		{name: "click_id matches another openid's CLICK over the actor's own",
			events:   []ev{{"CLICK", "A", "v", 41, "k", -2 * h1}, {"CLICK", "A", "u", 42, "", -h1}},
			followOf: "A", claim: 0, click: "k", identified: true, ad: 41},
		{name: "claim_type sent as string", events: []ev{{"CLICK", "A", "v", 43, "k", -h1}},
			followOf: "A", claim: "0", click: "k", identified: true, ad: 43},
		{name: "unmatched click_id does not fall back to the openid", events: []ev{{"CLICK", "A", "u", 51, "", -h1}},
			followOf: "A", claim: 0, click: "nomatch", identified: true},
		{name: "click_id of a FOLLOW is not a click", events: []ev{{"FOLLOW", "A", "v", 52, "k", -h1}},
			followOf: "A", claim: 0, click: "k", identified: true},
		{name: "claim 0 takes the latest CLICK of the openid",
			events: []ev{{"CLICK", "A", "u", 61, "", -3 * h1}, {"CLICK", "A", "u", 62, "", -h1},
				{"CLICK", "A", "v", 63, "", -600}, {"FOLLOW", "A", "u", 64, "", -300}},
			claim: 0, identified: true, ad: 62},
		{name: "claim 1 takes the latest FOLLOW of the openid",
			events: []ev{{"FOLLOW", "A", "u", 71, "", -2 * d1}, {"FOLLOW", "A", "u", 72, "", -d1},
				{"CLICK", "A", "u", 73, "", -h1}, {"FOLLOW", "A", "v", 74, "", -600}},
			claim: "1", identified: true, ad: 72},
		{name: "claim 1 ignores clicks", events: []ev{{"CLICK", "A", "u", 81, "", -h1}},
			followOf: "A", claim: 1, identified: true},
		{name: "latest by time, not by sending order",
			events:   []ev{{"CLICK", "A", "u", 92, "", -1800}, {"CLICK", "A", "u", 91, "", -h1}},
			followOf: "A", claim: 0, identified: true, ad: 92},
		{name: "equal times: the later-sent FOLLOW wins",
			events: []ev{{"FOLLOW", "A", "u", 101, "", -h1}, {"FOLLOW", "A", "u", 102, "", -h1}},
			claim:  1, identified: true, ad: 102},
		{name: "equal times: the later-sent CLICK with the click_id wins",
			events:   []ev{{"CLICK", "A", "v", 111, "k", -h1}, {"CLICK", "A", "w", 112, "k", -h1}},
			followOf: "A", claim: 0, click: "k", identified: true, ad: 112},
		{name: "FOLLOW exactly at action_time counts", events: []ev{{"FOLLOW", "A", "u", 121, "", 0}},
			claim: 1, identified: true, ad: 121},
		{name: "FOLLOW one second after action_time does not count", events: []ev{{"FOLLOW", "A", "u", 131, "", 1}},
			claim: 1, identified: true},
		{name: "an event after the action is skipped for an earlier one",
			events: []ev{{"FOLLOW", "A", "u", 141, "", -h1}, {"FOLLOW", "A", "u", 142, "", 1}},
			claim:  1, identified: true, ad: 141},
		{name: "CLICK by openid one second after action_time", events: []ev{{"CLICK", "A", "u", 145, "", 1}},
			followOf: "A", claim: 0, identified: true},
		{name: "click_id one second after action_time", events: []ev{{"CLICK", "A", "v", 151, "k", 1}},
			followOf: "A", claim: 0, click: "k", identified: true},
		{name: "click_id exactly at action_time", events: []ev{{"CLICK", "A", "v", 161, "k", 0}},
			followOf: "A", claim: 0, click: "k", identified: true, ad: 161},
		{name: "unknown openid is never attributed, even by click_id",
			events: []ev{{"CLICK", "A", "v", 171, "k", -h1}, {"CLICK", "A", "u", 172, "", -h1}},
			claim:  0, click: "k"},
		{name: "follower of the advertiser's other app is not identified here",
			events: []ev{{"FOLLOW", "A2", "u", 181, "", -h1}}, claim: 1},
		{name: "click_id of the advertiser's other app does not attribute",
			events:   []ev{{"CLICK", "A2", "v", 191, "k", -h1}},
			followOf: "A", claim: 0, click: "k", identified: true},
		{name: "follower of advertiser B's app does not identify A's action",
			events: []ev{{"FOLLOW", "B", "u", 201, "", -h1}}, claim: 1},
		{name: "B's click_id never attributes A's action", events: []ev{{"CLICK", "B", "v", 211, "k", -h1}},
			followOf: "A", claim: 0, click: "k", identified: true},
		{name: "B's latest FOLLOW never attributes A's follower",
			events:   []ev{{"FOLLOW", "B", "u", 215, "", -h1}},
			followOf: "A", claim: 1, identified: true},
		{name: "A's action naming B's appid: stored, not identified",
			events: []ev{{"FOLLOW", "B", "u", 221, "", -h1}, {"CLICK", "B", "u", 222, "k", -h1}},
			app:    "B", claim: 0, click: "k"},
		{name: "A's action naming an unknown appid: stored, not identified", app: "unknown", claim: 1},
	}
	w := newAttrWorld(t)
	h := w.h
	at := harnessNow.Unix() - 3600
	for i, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			tag := func(s string) string { return fmt.Sprintf("c%02d%s", i, s) }
			var evs []adEventReq
			for _, e := range c.events {
				click := ""
				if e.click != "" {
					click = tag(e.click)
				}
				evs = append(evs, adEventReq{Type: e.typ, AppID: w.app(e.app), OpenID: openIDOf(tag(e.who)),
					AdID: e.ad, CampaignID: e.ad / 10, ClickID: click, Time: at + e.dt})
			}
			if len(evs) > 0 {
				h.sendAdEvents(evs...)
			}
			actor := openIDOf(tag("u"))
			if c.followOf != "" {
				mustOK(t, h.admin("POST", "/admin/v1/apps/"+w.app(c.followOf)+"/followers",
					map[string]any{"openids": []string{actor}}))
			}
			app := c.app
			if app == "" {
				app = "A"
			}
			a := actionReq{Set: w.setA, AppID: w.app(app), OpenID: actor, Claim: c.claim, Time: at, Outer: tag("x")}
			if c.click != "" {
				a.ClickID = tag(c.click)
			}
			h.sendActions(w.a, a)
			got := h.lastAction(w.a, w.setA)
			if got.OuterActionID != a.Outer {
				t.Fatalf("newest action is %q, want %q", got.OuterActionID, a.Outer)
			}
			checkAttribution(t, got, c.identified, c.ad)
		})
	}
	// B saw events and followers above but uploaded nothing: B's report is empty.
	if rows := h.adReport(w.b, "2026-11-01", "2026-11-23", ""); len(rows) != 0 {
		t.Errorf("B's ad report holds A's conversions: %+v", rows)
	}
}

// TestAttributionWindowSetting: the store's window replaces the 7-day default.
func TestAttributionWindowSetting(t *testing.T) {
	w := newAttrWorld(t)
	w.h.db.SetAttributionWindow(3600)
	at := harnessNow.Unix() - 600
	in, out := openIDOf("in"), openIDOf("out")
	w.h.sendAdEvents(adEventReq{Type: "FOLLOW", AppID: w.a.AppID, OpenID: in, AdID: 1, Time: at - 3600},
		adEventReq{Type: "FOLLOW", AppID: w.a.AppID, OpenID: out, AdID: 2, Time: at - 3601})
	w.h.sendActions(w.a, actionReq{Set: w.setA, AppID: w.a.AppID, OpenID: in, Claim: 1, Time: at})
	checkAttribution(t, w.h.lastAction(w.a, w.setA), true, 1)
	w.h.sendActions(w.a, actionReq{Set: w.setA, AppID: w.a.AppID, OpenID: out, Claim: 1, Time: at})
	checkAttribution(t, w.h.lastAction(w.a, w.setA), true, 0)
}

// TestFollowEventRegistersFollower: a FOLLOW makes the openid a follower from
// that moment on; a CLICK does not; earlier actions keep what they were given.
func TestFollowEventRegistersFollower(t *testing.T) {
	w := newAttrWorld(t)
	h := w.h
	at := harnessNow.Unix() - 60
	u, v := openIDOf("fresh"), openIDOf("clicker")
	h.sendActions(w.a, actionReq{Set: w.setA, AppID: w.a.AppID, OpenID: u, Claim: 1, Time: at, Outer: "before"})
	checkAttribution(t, h.lastAction(w.a, w.setA), false, 0)

	h.sendAdEvents(adEventReq{Type: "FOLLOW", AppID: w.a.AppID, OpenID: u, AdID: 301, CampaignID: 30, Time: at - 3600},
		adEventReq{Type: "CLICK", AppID: w.a.AppID, OpenID: v, AdID: 302, CampaignID: 30, Time: at - 3600})
	if ok, err := h.db.IsFollower(t.Context(), w.a.AppID, u); err != nil || !ok {
		t.Fatalf("FOLLOW did not register the follower: %v %v", ok, err)
	}
	h.sendActions(w.a, actionReq{Set: w.setA, AppID: w.a.AppID, OpenID: u, Claim: 1, Time: at, Outer: "after"})
	checkAttribution(t, h.lastAction(w.a, w.setA), true, 301)
	h.sendActions(w.a, actionReq{Set: w.setA, AppID: w.a.AppID, OpenID: v, Claim: 0, Time: at, Outer: "clicker"})
	checkAttribution(t, h.lastAction(w.a, w.setA), false, 0)

	// Identification happened at ingest: the first action stays unidentified.
	list, total := h.storedActions(w.a, w.setA, 1, 10)
	if total != 3 || list[2].OuterActionID != "before" {
		t.Fatalf("want 3 actions, oldest %q; got %d", "before", total)
	}
	checkAttribution(t, list[2], false, 0)

	// The follower belongs to A's app only.
	if ok, _ := h.db.IsFollower(t.Context(), w.b.AppID, u); ok {
		t.Error("a FOLLOW of A's app registered a follower of B's app")
	}
}

// TestAdReport checks ext/v1/ad_reports/get: attributed conversions and
// summed value per date (and hour), ad, campaign and action type, for the
// caller's advertiser only, with SPEC §6.4's date_range rules.
func TestAdReport(t *testing.T) {
	w := newAttrWorld(t)
	h := w.h
	ts := func(s string) int64 {
		tm, err := time.ParseInLocation(wxads.TimeLayout, s, wxads.CST)
		if err != nil {
			t.Fatal(err)
		}
		return tm.Unix()
	}
	u1, u2, u3, u4, stranger := openIDOf("u1"), openIDOf("u2"), openIDOf("u3"), openIDOf("u4"), openIDOf("x")
	h.sendAdEvents(
		adEventReq{Type: "FOLLOW", AppID: w.a.AppID, OpenID: u1, AdID: 11, CampaignID: 1, Time: ts("2026-11-21 09:00:00")},
		adEventReq{Type: "CLICK", AppID: w.a.AppID, OpenID: u1, AdID: 11, CampaignID: 1, Time: ts("2026-11-21 10:00:00")},
		adEventReq{Type: "FOLLOW", AppID: w.a.AppID, OpenID: u2, AdID: 12, CampaignID: 1, Time: ts("2026-11-21 10:00:00")},
		adEventReq{Type: "FOLLOW", AppID: w.a.AppID, OpenID: u3, AdID: 21, CampaignID: 2, Time: ts("2026-11-20 10:00:00")},
		adEventReq{Type: "CLICK", AppID: w.a.AppID, OpenID: stranger, AdID: 31, CampaignID: 3, ClickID: "kx",
			Time: ts("2026-11-20 10:00:00")},
		// B uses the same ad id; its conversions stay in B's report.
		adEventReq{Type: "FOLLOW", AppID: w.b.AppID, OpenID: u1, AdID: 11, CampaignID: 1, Time: ts("2026-11-21 10:00:00")},
	)
	mustOK(t, h.admin("POST", "/admin/v1/apps/"+w.a.AppID+"/followers", map[string]any{"openids": []string{u4}}))
	act := func(openid, typ string, claim int, value int64, at string) actionReq {
		a := actionReq{Set: w.setA, AppID: w.a.AppID, OpenID: openid, Type: typ, Claim: claim, Time: ts(at)}
		if value >= 0 {
			a.Value = fenPtr(value)
		}
		if typ == "CUSTOM" {
			a.Custom = "add_to_cart"
		}
		return a
	}
	h.sendActions(w.a,
		act(u1, "COMPLETE_ORDER", 0, 1990, "2026-11-22 09:15:00"),
		act(u1, "COMPLETE_ORDER", 0, 500, "2026-11-22 09:45:00"),
		act(u1, "COMPLETE_ORDER", 0, -1, "2026-11-22 23:59:59"),
		act(u2, "RESERVATION", 1, -1, "2026-11-23 00:00:00"),
		act(u3, "REGISTER", 1, 0, "2026-11-23 08:00:00"),
		act(u3, "CUSTOM", 1, 7, "2026-11-23 08:30:00"),
		act(u4, "COMPLETE_ORDER", 1, 999, "2026-11-23 08:30:00"),      // follower, no FOLLOW event
		act(u1, "COMPLETE_ORDER", 1, 50, "2026-11-20 08:00:00"),       // before u1's FOLLOW
		act(stranger, "COMPLETE_ORDER", 0, 70, "2026-11-23 09:00:00"), // unknown openid
	)
	bAct := act(u1, "COMPLETE_ORDER", 1, 100000, "2026-11-22 09:30:00")
	bAct.Set, bAct.AppID = w.setB, w.b.AppID
	h.sendActions(w.b, bAct)

	hour := func(n int) *int { return &n }
	daily := []adReportRow{
		{Date: "2026-11-22", AdID: 11, CampaignID: 1, ActionType: "COMPLETE_ORDER", Conversions: 3, Value: 2490},
		{Date: "2026-11-23", AdID: 12, CampaignID: 1, ActionType: "RESERVATION", Conversions: 1},
		{Date: "2026-11-23", AdID: 21, CampaignID: 2, ActionType: "CUSTOM", Conversions: 1, Value: 7},
		{Date: "2026-11-23", AdID: 21, CampaignID: 2, ActionType: "REGISTER", Conversions: 1},
	}
	hourly := []adReportRow{
		{Date: "2026-11-22", Hour: hour(9), AdID: 11, CampaignID: 1, ActionType: "COMPLETE_ORDER", Conversions: 2, Value: 2490},
		{Date: "2026-11-22", Hour: hour(23), AdID: 11, CampaignID: 1, ActionType: "COMPLETE_ORDER", Conversions: 1},
		{Date: "2026-11-23", Hour: hour(0), AdID: 12, CampaignID: 1, ActionType: "RESERVATION", Conversions: 1},
		{Date: "2026-11-23", Hour: hour(8), AdID: 21, CampaignID: 2, ActionType: "CUSTOM", Conversions: 1, Value: 7},
		{Date: "2026-11-23", Hour: hour(8), AdID: 21, CampaignID: 2, ActionType: "REGISTER", Conversions: 1},
	}
	for _, c := range []struct {
		name             string
		tn               tenant
		start, end, gran string
		want             []adReportRow
	}{
		{"daily is the default", w.a, "2026-11-01", "2026-11-23", "", daily},
		{"daily", w.a, "2026-11-01", "2026-11-23", "DAILY", daily},
		{"hourly", w.a, "2026-11-01", "2026-11-23", "HOURLY", hourly},
		{"one day", w.a, "2026-11-23", "2026-11-23", "DAILY", daily[1:]},
		{"one day hourly", w.a, "2026-11-22", "2026-11-22", "HOURLY", hourly[:2]},
		{"no conversions in range", w.a, "2026-10-01", "2026-11-21", "DAILY", nil},
		{"366 days", w.a, "2025-11-23", "2026-11-23", "DAILY", daily},
		{"31 days hourly", w.a, "2026-10-24", "2026-11-23", "HOURLY", hourly},
		{"B sees only its own", w.b, "2026-11-01", "2026-11-23", "", []adReportRow{
			{Date: "2026-11-22", AdID: 11, CampaignID: 1, ActionType: "COMPLETE_ORDER", Conversions: 1, Value: 100000}}},
	} {
		t.Run(c.name, func(t *testing.T) {
			diffAdRows(t, h.adReport(c.tn, c.start, c.end, c.gran), c.want)
		})
	}

	// The stored actions carry what the report counted.
	list, _ := h.storedActions(w.a, w.setA, 1, 100)
	want := []int64{0, 0, 0, 21, 21, 12, 11, 11, 11} // newest first
	if len(list) != len(want) {
		t.Fatalf("A's set holds %d actions, want %d", len(list), len(want))
	}
	for i, a := range list {
		ident := i != 0
		checkAttribution(t, a, ident, want[i])
	}

	for _, c := range []struct {
		name  string
		q     url.Values
		code  int
		param string
	}{
		{"date_range missing", url.Values{}, 18001, "date_range"},
		{"date_range not JSON", url.Values{"date_range": {"2026-11-01"}}, 18005, "date_range"},
		{"bad date", adReportQuery("2026-11-1", "2026-11-23", ""), 18005, "date_range.start_date"},
		{"start after end", adReportQuery("2026-11-23", "2026-11-22", ""), 18004, "date_range.end_date"},
		{"end after today", adReportQuery("2026-11-01", "2026-11-24", ""), 18003, "date_range.end_date"},
		{"367 days", adReportQuery("2025-11-22", "2026-11-23", "DAILY"), 32108, ""},
		{"32 days hourly", adReportQuery("2026-10-23", "2026-11-23", "HOURLY"), 32108, ""},
		{"granularity", adReportQuery("2026-11-01", "2026-11-23", "WEEKLY"), 18009, "time_granularity"},
	} {
		t.Run(c.name, func(t *testing.T) {
			e := h.api(w.a, "GET", "/ext/v1/ad_reports/get", c.q, nil)
			wantCode(t, e, c.code)
			if c.param != "" && !strings.Contains(e.Errmsg, "'"+c.param+"'") {
				t.Errorf("errmsg %q does not name %s", e.Errmsg, c.param)
			}
		})
	}
}

func (r adReportRow) String() string {
	hour := ""
	if r.Hour != nil {
		hour = fmt.Sprintf(" %02dh", *r.Hour)
	}
	return fmt.Sprintf("%s%s ad=%d campaign=%d %s conversions=%d value=%d",
		r.Date, hour, r.AdID, r.CampaignID, r.ActionType, r.Conversions, r.Value)
}

// diffAdRows fails unless got and want hold the same rows in the same order.
func diffAdRows(t testing.TB, got, want []adReportRow) {
	t.Helper()
	g, w := make([]string, len(got)), make([]string, len(want))
	for i := range got {
		g[i] = got[i].String()
	}
	for i := range want {
		w[i] = want[i].String()
	}
	if !slices.Equal(g, w) {
		t.Errorf("ad report rows:\n got  %s\n want %s", strings.Join(g, "\n      "), strings.Join(w, "\n      "))
	}
}
