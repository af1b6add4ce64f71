// Data sources and the actions ingested into them.

package storetest

import (
	"bytes"
	"fmt"
	"reflect"
	"testing"

	"github.com/wxads/wxads"
)

func testActionSets(t *testing.T, f *fixture) {
	acc, other := f.twoAdvertisers(appA, appB)

	s1 := &wxads.ActionSet{AccountID: acc, Type: "WECHAT", Name: "orders", Description: "d1", WechatAppID: appA,
		CreatorAppID: appA, CreatedTime: t0}
	f.must(f.s.CreateActionSet(f.ctx, s1, 10), "CreateActionSet s1")
	s2 := &wxads.ActionSet{AccountID: acc, Type: "WEB", Name: "site", CreatorAppID: appB, CreatedTime: t0 + 1,
		MobileAppID: 1110, EnableConversionClaim: true} // v3.0 fields kept
	f.must(f.s.CreateActionSet(f.ctx, s2, 10), "CreateActionSet s2")
	s3 := &wxads.ActionSet{AccountID: acc, Type: "WECHAT", Name: "leads", WechatAppID: appB, CreatorAppID: appA,
		CreatedTime: t0 + 2}
	f.must(f.s.CreateActionSet(f.ctx, s3, 10), "CreateActionSet s3")
	if s1.ID == 0 || s2.ID == 0 || s3.ID == 0 || s1.ID == s2.ID || s2.ID == s3.ID || s1.ID == s3.ID {
		t.Fatalf("set ids %d %d %d: want distinct and non-zero", s1.ID, s2.ID, s3.ID)
	}

	dup := &wxads.ActionSet{AccountID: acc, Type: "WEB", Name: "orders", CreatorAppID: appB, CreatedTime: t0 + 3}
	f.wantErr(f.s.CreateActionSet(f.ctx, dup, 10), wxads.ErrConflict, "CreateActionSet duplicate name")
	same := &wxads.ActionSet{AccountID: other, Type: "WEB", Name: "orders", CreatorAppID: appO, CreatedTime: t0 + 3}
	f.must(f.s.CreateActionSet(f.ctx, same, 10), "same name for another advertiser")

	listed := func(filter wxads.ActionSetFilter, account int64, want ...*wxads.ActionSet) {
		t.Helper()
		got, err := f.s.ActionSets(f.ctx, account, filter)
		f.must(err, "ActionSets")
		if len(got) != len(want) {
			t.Errorf("ActionSets(%d, %+v): %d sets, want %d", account, filter, len(got), len(want))
			return
		}
		for i := range want {
			if *got[i] != *want[i] {
				t.Errorf("ActionSets(%d, %+v)[%d] = %+v, want %+v", account, filter, i, *got[i], *want[i])
			}
		}
	}
	listed(wxads.ActionSetFilter{}, acc, s1, s2, s3)
	listed(wxads.ActionSetFilter{ID: s2.ID}, acc, s2)
	listed(wxads.ActionSetFilter{WechatAppID: appB}, acc, s3)
	listed(wxads.ActionSetFilter{ID: s1.ID, WechatAppID: appA}, acc, s1)
	listed(wxads.ActionSetFilter{ID: s1.ID, WechatAppID: appB}, acc)
	listed(wxads.ActionSetFilter{ID: same.ID}, acc) // another advertiser's set
	listed(wxads.ActionSetFilter{}, other, same)
	listed(wxads.ActionSetFilter{}, other+acc+100)

	for _, s := range []*wxads.ActionSet{s1, s2, same} {
		if owner, err := f.s.ActionSetOwner(f.ctx, s.ID); err != nil || owner != s.AccountID {
			t.Errorf("ActionSetOwner(%d) = %d, %v; want %d", s.ID, owner, err, s.AccountID)
		}
	}
	_, err := f.s.ActionSetOwner(f.ctx, s1.ID+s2.ID+s3.ID+same.ID)
	f.wantErr(err, wxads.ErrNotFound, "ActionSetOwner unknown")

	// A set becomes active with its first stored action, and only that set.
	f.ingest(acc, action(s2.ID, appA, openID(1), "x", t0))
	s2.ActivateStatus = true
	listed(wxads.ActionSetFilter{}, acc, s1, s2, s3)
}

func testActionSetRateLimit(t *testing.T, f *fixture) {
	acc, other := f.twoAdvertisers(appA, appB)
	const perMinute = 3
	n := 0
	create := func(account int64, creator string, at int64) error {
		n++
		return f.s.CreateActionSet(f.ctx, &wxads.ActionSet{AccountID: account, Type: "WEB",
			Name: fmt.Sprint("set", n), CreatorAppID: creator, CreatedTime: at}, perMinute)
	}
	for i := range perMinute {
		f.must(create(acc, appA, t0+int64(i)*10), "create within the limit")
	}
	f.wantErr(create(acc, appA, t0+30), wxads.ErrTooFrequent, "create over the limit")
	f.wantErr(create(acc, appA, t0+59), wxads.ErrTooFrequent, "create over the limit 59 s after the first")
	// Other creator apps, of the same advertiser or another, count their own.
	f.must(create(acc, appB, t0+30), "another creator app")
	f.must(create(other, appO, t0+30), "another advertiser's app")
	// Refused attempts do not count; the first creation leaves the window.
	f.must(create(acc, appA, t0+61), "create once the first is over 60 s old")
	f.wantErr(create(acc, appA, t0+62), wxads.ErrTooFrequent, "the window moved on by one")
	sets, err := f.s.ActionSets(f.ctx, acc, wxads.ActionSetFilter{})
	f.must(err, "ActionSets")
	if len(sets) != perMinute+2 {
		t.Errorf("%d sets stored, want %d (refused ones are not)", len(sets), perMinute+2)
	}
}

func testIngestDedup(t *testing.T, f *fixture) {
	acc := f.advertiser("Acme")
	f.app(acc, appA)
	set, set2 := f.set(acc, "s1", appA), f.set(acc, "s2", appA)
	u := openID(1)
	check := func(what string, got wxads.IngestResult, accepted, dups int) {
		t.Helper()
		if got.Accepted != accepted || got.Duplicates != dups {
			t.Errorf("%s: %+v, want %d accepted, %d duplicates", what, got, accepted, dups)
		}
	}
	// Repeats within one batch; actions without outer_action_id never repeat.
	check("first batch", f.ingest(acc, action(set, appA, u, "o1", t0), action(set, appA, u, "o2", t0),
		action(set, appA, u, "o1", t0+1), action(set, appA, u, "", t0), action(set, appA, u, "", t0)), 4, 1)
	check("second batch", f.ingest(acc, action(set, appA, u, "o2", t0), action(set, appA, u, "o3", t0),
		action(set, appA, u, "", t0)), 2, 1)
	// The key is per set.
	check("other set", f.ingest(acc, action(set2, appA, u, "o1", t0), action(set, appA, u, "o3", t0)), 1, 1)
	check("all repeated", f.ingest(acc, action(set, appA, u, "o1", t0), action(set, appA, u, "o2", t0)), 0, 2)
	for s, want := range map[int64]int{set: 6, set2: 1} {
		if _, total, err := f.s.ListActions(f.ctx, s, 0, 100); err != nil || total != want {
			t.Errorf("set %d holds %d actions (%v), want %d", s, total, err, want)
		}
	}
	// The first of repeated keys is the one kept.
	if a := f.list(set)["o1"]; a.ActionTime != t0 {
		t.Errorf("o1 kept with action_time %d, want the first one's %d", a.ActionTime, t0)
	}
}

func testIngestIdentify(t *testing.T, f *fixture) {
	const appA2 = "wx00000000000000a2"
	acc, _ := f.twoAdvertisers(appA, appA2)
	set := f.set(acc, "s", appA)
	u1, u2, u3 := openID(1), openID(2), openID(3)
	f.follow(appA, u1)
	f.follow(appO, u2)
	f.must(f.s.AddAdEvents(f.ctx, []wxads.AdEvent{{Type: wxads.EventFollow, AppID: appA2, OpenID: u3, AdID: 5,
		CampaignID: 6, Time: t0 - hour}}, t0-hour), "AddAdEvents")
	f.ingest(acc,
		action(set, appA, u1, "own app follower", t0),
		action(set, appA, u2, "not a follower of that app", t0),
		action(set, appO, u2, "follower of another account's app", t0),
		action(set, appA2, u1, "follower of a sibling app", t0),
		action(set, appA2, u3, "follower by FOLLOW event", t0),
		action(set, "wx00000000000000ff", u1, "unknown app", t0),
	)
	// Followers added later identify later actions only.
	f.follow(appA, u2)
	f.ingest(acc, action(set, appA, u2, "follower since", t0))
	want := map[string]bool{"own app follower": true, "not a follower of that app": false,
		"follower of another account's app": false, "follower of a sibling app": false,
		"follower by FOLLOW event": true, "unknown app": false, "follower since": true}
	got := f.list(set)
	for k, w := range want {
		a, ok := got[k]
		if !ok {
			t.Errorf("%q not stored", k)
		} else if a.Identified != w {
			t.Errorf("%q: Identified = %v, want %v", k, a.Identified, w)
		}
	}
}

func testIngestAttribution(t *testing.T, f *fixture) {
	acc, _ := f.twoAdvertisers(appA)
	set := f.set(acc, "s", appA)
	u1, u2, stranger := openID(1), openID(2), openID(9)
	f.follow(appA, u2)
	f.follow(appO, u1)
	ev := func(typ, appid, openid string, ad int64, click string, at int64) wxads.AdEvent {
		return wxads.AdEvent{Type: typ, AppID: appid, OpenID: openid, AdID: ad, CampaignID: ad * 10, ClickID: click, Time: at}
	}
	f.must(f.s.AddAdEvents(f.ctx, []wxads.AdEvent{
		ev(wxads.EventFollow, appA, u1, 11, "", t0-100),
		ev(wxads.EventFollow, appA, u1, 12, "", t0-10),
		ev(wxads.EventClick, appA, u1, 21, "c1", t0-50),
		ev(wxads.EventClick, appA, u2, 22, "c2", t0-40),
		ev(wxads.EventClick, appO, u1, 31, "c3", t0-5), // another app: never credited to appA's actions
	}, t0), "AddAdEvents")
	const w = wxads.DefaultAttributionWindow
	claim := func(outer, openid string, claim int, click string, at int64) wxads.Action {
		a := action(set, appA, openid, outer, at)
		a.ClaimType, a.ClickID = claim, click
		return a
	}
	cases := []struct {
		a  wxads.Action
		ad int64
	}{
		{claim("follow latest", u1, wxads.ClaimFollow, "", t0), 12},
		{claim("follow earlier", u1, wxads.ClaimFollow, "", t0-50), 11},
		{claim("follow at event time", u1, wxads.ClaimFollow, "", t0-100), 11},
		{claim("follow before any", u1, wxads.ClaimFollow, "", t0-101), 0},
		{claim("follow window edge", u1, wxads.ClaimFollow, "", t0-10+w), 12},
		{claim("follow past window", u1, wxads.ClaimFollow, "", t0-10+w+1), 0},
		{claim("click by openid", u1, wxads.ClaimClick, "", t0), 21},
		{claim("click before click", u1, wxads.ClaimClick, "", t0-51), 0},
		{claim("click window edge", u1, wxads.ClaimClick, "", t0-50+w), 21},
		{claim("click past window", u1, wxads.ClaimClick, "", t0-50+w+1), 0},
		{claim("click_id of another openid", u1, wxads.ClaimClick, "c2", t0), 22},
		{claim("click_id before its click", u1, wxads.ClaimClick, "c2", t0-41), 0},
		{claim("click_id unknown", u1, wxads.ClaimClick, "zz", t0), 0},
		{claim("click_id of another app", u1, wxads.ClaimClick, "c3", t0), 0},
		{claim("unidentified", stranger, wxads.ClaimClick, "c2", t0), 0},
	}
	actions := make([]wxads.Action, len(cases))
	for i, c := range cases {
		actions[i] = c.a
	}
	f.ingest(acc, actions...)
	got := f.list(set)
	for _, c := range cases {
		a := got[c.a.OuterActionID]
		if a.AttributedAdID != c.ad || a.AttributedCampaignID != c.ad*10 {
			t.Errorf("%q: attributed to ad %d campaign %d, want %d / %d", c.a.OuterActionID,
				a.AttributedAdID, a.AttributedCampaignID, c.ad, c.ad*10)
		}
	}
}

func testListActions(t *testing.T, f *fixture) {
	acc := f.advertiser("Acme")
	f.app(acc, appA)
	set, empty := f.set(acc, "s", appA), f.set(acc, "e", appA)
	f.follow(appA, openID(1))
	full := wxads.Action{SetID: set, URL: "https://Shop.example:8443/pay?x=1", Domain: "shop.example",
		ActionTime: t0 - 30, ActionType: wxads.ActionCustom, CustomAction: "vip_upgrade", AppID: appA,
		OpenID: openID(1), ClickID: "click-7", OuterActionID: "full", ClaimType: wxads.ClaimClick, Value: 12345,
		Param: []byte(`{"value":12345,"claim_type":0,"ratio":1.125,"name":"\u4e2d"}`), ReceivedTime: t0 + 7}
	f.ingest(acc, action(set, appA, openID(2), "a1", t0), full, action(set, appA, openID(2), "", t0))
	f.ingest(acc, action(set, appA, openID(2), "a4", t0), action(set, appA, openID(2), "a5", t0))
	order := []string{"a5", "a4", "", "full", "a1"} // newest first
	for _, p := range []struct{ offset, limit int }{{0, 3}, {3, 3}, {1, 2}, {5, 3}, {0, 100}} {
		list, total, err := f.s.ListActions(f.ctx, set, p.offset, p.limit)
		f.must(err, "ListActions")
		want := order[min(p.offset, len(order)):min(p.offset+p.limit, len(order))]
		if total != len(order) || len(list) != len(want) {
			t.Errorf("ListActions(%d, %d): %d rows of %d, want %d of %d", p.offset, p.limit, len(list), total,
				len(want), len(order))
			continue
		}
		for i := range want {
			if list[i].OuterActionID != want[i] {
				t.Errorf("ListActions(%d, %d)[%d] = %q, want %q", p.offset, p.limit, i, list[i].OuterActionID, want[i])
			}
		}
	}
	got := f.list(set)["full"]
	want := full
	want.Identified = true
	if got.ID == 0 || !reflect.DeepEqual(got.Action, want) || !bytes.Equal(got.Param, want.Param) {
		t.Errorf("stored action:\n got %+v %s\nwant %+v %s", got, got.Param, want, want.Param)
	}
	if list, total, err := f.s.ListActions(f.ctx, empty, 0, 10); err != nil || total != 0 || len(list) != 0 {
		t.Errorf("empty set: %d rows, total %d, %v", len(list), total, err)
	}
}
