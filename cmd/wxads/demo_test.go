package main

import (
	"database/sql"
	"errors"
	"path/filepath"
	"reflect"
	"testing"
	"time"

	"github.com/wxads/wxads"
	"github.com/wxads/wxads/sqlite"
)

// demoEvent is an ad_events row as the demo stored it.
type demoEvent struct {
	typ, appid, openid, click string
	ad, campaign, time        int64
}

// TestSeedDemo checks that --demo seeds the world the issue promises, so
// that the reports and the dashboard have something true to show, and that
// a restart on the same data directory reuses it.
func TestSeedDemo(t *testing.T) {
	dir := t.TempDir()
	db, err := sqlite.Open(filepath.Join(dir, "wxads.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	clock := &wxads.FakeClock{}
	clock.Set(time.Date(2026, 11, 23, 12, 0, 0, 0, wxads.CST))
	ctx := t.Context()
	w, err := seedDemo(ctx, db, clock, dir)
	if err != nil {
		t.Fatal(err)
	}
	now := clock.Now().Unix()
	if _, err := db.App(ctx, w.AppID); err != nil {
		t.Fatalf("demo app %s: %v", w.AppID, err)
	}
	// The live traffic's followers hold unionids, for the v3.0 uploads by unionid.
	fl, _, err := db.ListFollowers(ctx, w.AppID, 0, 1000)
	if err != nil {
		t.Fatal(err)
	}
	held := map[string]string{}
	for _, f := range fl {
		held[f.OpenID] = f.UnionID
	}
	if len(w.UnionIDs) != len(w.Followers) || len(w.UnionIDs) == 0 {
		t.Errorf("demo unionids %v for followers %v", w.UnionIDs, w.Followers)
	}
	for i, u := range w.UnionIDs {
		if held[w.Followers[i]] != u || u == "" {
			t.Errorf("follower %s holds unionid %q; want %q", w.Followers[i], held[w.Followers[i]], u)
		}
	}

	// Ad events: campaigns and ads, clicks, and followers arriving through
	// FOLLOW events spread over the past 14 days.
	events := demoEvents(t, db.Path)
	campaigns, ads, followDays := map[int64]bool{}, map[int64]bool{}, map[int64]bool{}
	var clicks, follows, visitors int
	for _, e := range events {
		if e.appid != w.AppID {
			t.Fatalf("event of another app: %+v", e)
		}
		if e.time > now || e.time < now-14*86400-3600 {
			t.Errorf("event outside the past 14 days: %+v", e)
		}
		campaigns[e.campaign], ads[e.ad] = true, true
		switch e.typ {
		case wxads.EventClick:
			clicks++
			if ok, _ := db.IsFollower(ctx, e.appid, e.openid); !ok {
				visitors++
			}
		case wxads.EventFollow:
			follows++
			followDays[wxads.DayOf(e.time)] = true
			if ok, err := db.IsFollower(ctx, e.appid, e.openid); err != nil || !ok {
				t.Fatalf("FOLLOW of %s did not make a follower (%v)", e.openid, err)
			}
		}
	}
	t.Logf("%d events: %d clicks (%d by visitors who did not follow), %d follows on %d days, %d campaigns, %d ads",
		len(events), clicks, visitors, follows, len(followDays), len(campaigns), len(ads))
	if len(campaigns) < 3 || len(ads) <= len(campaigns) {
		t.Errorf("want at least 3 campaigns with several ads, got %d campaigns, %d ads", len(campaigns), len(ads))
	}
	if visitors == 0 || follows < 50 || len(followDays) < 12 {
		t.Errorf("want clicks that led nowhere and followers arriving over 14 days: %d clicks by visitors, %d follows on %d days",
			visitors, follows, len(followDays))
	}

	// Conversions of all three types: attributed, identified but outside
	// the window, and from openids the platform does not know.
	actions := demoActions(t, db, w.SetID)
	type tally struct{ all, attributed, outsideWindow, unidentified, unidentifiedWithClick int }
	byType := map[string]*tally{}
	var total tally
	for _, a := range actions {
		c := byType[a.ActionType]
		if c == nil {
			c = &tally{}
			byType[a.ActionType] = c
		}
		for _, c := range []*tally{c, &total} {
			c.all++
			switch {
			case a.AttributedAdID != 0:
				c.attributed++
			case !a.Identified && a.ClickID != "":
				c.unidentified++
				c.unidentifiedWithClick++ // a visitor's click: never attributed
			case !a.Identified:
				c.unidentified++
			case hasOlderEvent(events, a):
				c.outsideWindow++
			}
		}
		if a.ActionTime > now || a.ActionTime < now-30*86400 {
			t.Errorf("action time %d is outside what user_actions/add accepts", a.ActionTime)
		}
		if a.AttributedAdID != 0 && !ads[a.AttributedAdID] {
			t.Errorf("attributed to ad %d, which no event shows", a.AttributedAdID)
		}
	}
	t.Logf("%d actions: %+v", len(actions), total)
	for _, typ := range []string{wxads.ActionCompleteOrder, wxads.ActionReservation, wxads.ActionRegister} {
		c := byType[typ]
		if c == nil || c.attributed == 0 {
			t.Errorf("no attributed %s conversion: %+v", typ, c)
		}
	}
	if total.outsideWindow == 0 || total.unidentified == 0 || total.unidentifiedWithClick == 0 {
		t.Errorf("want conversions outside the window and from unknown openids, some with a click_id: %+v", total)
	}

	// The reports have rows: the ad report (下单量 = COMPLETE_ORDER with its
	// value, 销售线索量 = RESERVATION) and the data-source report.
	start, end := wxads.DayOf(now-14*86400), wxads.DayOf(now)
	for _, gran := range []string{wxads.Daily, wxads.Hourly} {
		rows, err := db.AdReport(ctx, wxads.AdReportQuery{AccountID: w.AccountID, Start: start, End: end, Granularity: gran})
		if err != nil {
			t.Fatal(err)
		}
		orders, leads, value := 0, 0, int64(0)
		reported := map[int64]bool{}
		for _, r := range rows {
			reported[r.CampaignID] = true
			switch r.ActionType {
			case wxads.ActionCompleteOrder:
				orders += int(r.Conversions)
				value += r.Value
			case wxads.ActionReservation:
				leads += int(r.Conversions)
			}
		}
		if orders == 0 || leads == 0 || value == 0 || len(reported) < 3 {
			t.Errorf("%s ad report: %d orders worth %d fen, %d leads, %d campaigns", gran, orders, value, leads, len(reported))
		}
	}
	rows, err := db.Report(ctx, wxads.ReportQuery{SetID: w.SetID, Start: start, End: end, Granularity: wxads.Daily})
	if err != nil {
		t.Fatal(err)
	}
	var raw, identified int64
	for _, r := range rows {
		raw, identified = raw+r.Raw, identified+r.Identified
	}
	if len(rows) < 10 || raw != int64(len(actions)) || identified == 0 || identified == raw {
		t.Errorf("data-source report: %d days, raw %d of %d actions, identified %d", len(rows), raw, len(actions), identified)
	}

	// A restart on the same data directory reuses the world.
	again, err := seedDemo(ctx, db, clock, dir)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(again, w) {
		t.Errorf("second seed made another world: %+v, first %+v", again, w)
	}
	if _, err := db.Advertiser(ctx, w.AccountID+1); !errors.Is(err, wxads.ErrNotFound) {
		t.Errorf("second seed created another advertiser (%v)", err)
	}
	if n := len(demoActions(t, db, w.SetID)); n != len(actions) {
		t.Errorf("second seed changed the actions: %d, then %d", len(actions), n)
	}
}

// hasOlderEvent reports whether an event of the kind a's claim names, for a's
// user (or click), precedes a by more than the default window.
func hasOlderEvent(events []demoEvent, a wxads.StoredAction) bool {
	for _, e := range events {
		kind := wxads.EventFollow
		if a.ClaimType == wxads.ClaimClick {
			kind = wxads.EventClick
		}
		mine := e.openid == a.OpenID
		if a.ClaimType == wxads.ClaimClick && a.ClickID != "" {
			mine = e.click == a.ClickID
		}
		if e.typ == kind && mine && e.time < a.ActionTime-wxads.DefaultAttributionWindow {
			return true
		}
	}
	return false
}

func demoActions(t *testing.T, db *sqlite.DB, set int64) []wxads.StoredAction {
	t.Helper()
	var all []wxads.StoredAction
	for {
		page, total, err := db.ListActions(t.Context(), set, len(all), 500)
		if err != nil {
			t.Fatal(err)
		}
		all = append(all, page...)
		if len(page) == 0 || len(all) >= total {
			return all
		}
	}
}

// demoEvents reads ad_events directly: no API lists them.
func demoEvents(t *testing.T, path string) []demoEvent {
	t.Helper()
	rdb, err := sql.Open(sqlite.DriverName, "file:"+path+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer rdb.Close()
	rows, err := rdb.QueryContext(t.Context(),
		`SELECT type, appid, openid, click_id, ad_id, campaign_id, time FROM ad_events ORDER BY id`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var list []demoEvent
	for rows.Next() {
		var e demoEvent
		if err := rows.Scan(&e.typ, &e.appid, &e.openid, &e.click, &e.ad, &e.campaign, &e.time); err != nil {
			t.Fatal(err)
		}
		list = append(list, e)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return list
}
