// v3.0 identification by wechat_unionid (SPEC §11): a follower may hold a
// unionid, unique in its app; an action naming (wechat_app_id,
// wechat_unionid) of a follower of an app of the advertiser is that
// follower — attributed by its openid's events and counted as its user.

package storetest

import (
	"errors"
	"testing"

	"github.com/wxads/wxads"
)

// unionAction is a v3.0 action of appid naming a unionid and no openid.
func unionAction(set int64, appid, unionid, outer string, claim int, ids ...wxads.UserID) wxads.Action {
	a := action(set, appid, "", outer, t0)
	a.ClaimType = claim
	a.UserIDs = append([]wxads.UserID{{Kind: wxads.KindUnionID, Value: unionid}}, ids...)
	return a
}

func testFollowerUnionIDs(t *testing.T, f *fixture) {
	acc, other := f.twoAdvertisers(appA, appB)
	add := func(appid string, fs ...wxads.Follower) error {
		return f.s.AddFollowersWithUnionIDs(f.ctx, appid, fs, t0-day)
	}
	fl := func(openid, unionid string) wxads.Follower { return wxads.Follower{OpenID: openid, UnionID: unionid} }
	f.must(add(appA, fl(openID(1), "uA1"), fl(openID(2), "uA2"), fl(openID(6), "")), "add appA")
	f.must(add(appB, fl(openID(3), "uA1")), "the same unionid in another app")
	f.must(add(appO, fl(openID(4), "uO")), "add appO")
	f.must(add(appA, fl(openID(1), "uA1")), "the unionid a follower already has")
	f.follow(appA, openID(1)) // AddFollowers keeps the unionid

	// Conflicts store nothing of the call and name the follower.
	for _, c := range []struct {
		name   string
		fs     []wxads.Follower
		index  int
		heldBy string
	}{
		{"held by another openid", []wxads.Follower{fl(openID(7), "uNew"), fl(openID(5), "uA1")}, 1, openID(1)},
		{"twice in one call", []wxads.Follower{fl(openID(7), "uX"), fl(openID(8), "uX")}, 1, openID(7)},
		{"openid keeps its unionid", []wxads.Follower{fl(openID(7), ""), fl(openID(1), "uZ")}, 1, ""},
	} {
		err := add(appA, c.fs...)
		var fc *wxads.FollowerConflict
		if !errors.As(err, &fc) || !errors.Is(err, wxads.ErrConflict) || fc.Index != c.index || fc.HeldBy != c.heldBy {
			t.Errorf("%s: err = %v; want a FollowerConflict at %d held by %q", c.name, err, c.index, c.heldBy)
		}
	}
	list, total, err := f.s.ListFollowers(f.ctx, appA, 0, 10)
	f.must(err, "ListFollowers")
	want := map[string]string{openID(1): "uA1", openID(2): "uA2", openID(6): ""}
	if total != len(want) {
		t.Errorf("ListFollowers(appA): %d followers %+v; want %d (a refused call adds none)", total, list, len(want))
	}
	for _, fw := range list {
		if u, ok := want[fw.OpenID]; !ok || u != fw.UnionID {
			t.Errorf("follower %s has unionid %q; want %q", fw.OpenID, fw.UnionID, u)
		}
	}

	// o1 clicked ad 21 an hour ago, o2 followed through ad 22; a device id
	// of the advertiser's events must not win over the unionid.
	h1 := dev("hash_oaid", "1")
	f.must(f.s.AddAdEvents(f.ctx, []wxads.AdEvent{
		{Type: wxads.EventClick, AppID: appA, OpenID: openID(1), AdID: 21, CampaignID: 1, Time: t0 - hour},
		{Type: wxads.EventFollow, AppID: appA, OpenID: openID(2), AdID: 22, CampaignID: 1, Time: t0 - 2*hour},
		{Type: wxads.EventClick, AppID: appA, OpenID: openID(9), AdID: 23, CampaignID: 1, ClickID: "kc", Time: t0 - 3*hour},
		{Type: wxads.EventClick, AppID: appB, AdID: 24, CampaignID: 1, Time: t0 - hour, UserIDs: []wxads.UserID{h1}},
		{Type: wxads.EventClick, AppID: appO, OpenID: openID(4), AdID: 99, CampaignID: 1, Time: t0 - hour},
	}, t0), "AddAdEvents")
	set := f.set(acc, "union", appA)
	byOpenID := unionAction(set, appA, "uA2", "openid first", 0)
	byOpenID.OpenID = openID(1)
	notFollower := unionAction(set, appA, "uA2", "unionid after openid", 1)
	notFollower.OpenID = openID(9)
	clickID := unionAction(set, appA, "uA1", "click id", 0)
	clickID.ClickID = "kc"
	f.ingest(acc,
		unionAction(set, appA, "uA1", "union click", 0),
		unionAction(set, appA, "uA2", "union follow", 1),
		byOpenID, notFollower, clickID,
		unionAction(set, appA, "uA1", "before device", 0, h1),
		unionAction(set, appB, "uA2", "another app", 0),
		unionAction(set, appO, "uO", "another advertiser", 0),
		unionAction(set, appA, "uNone", "unknown", 0),
		unionAction(set, appA, "uO", "another app's unionid", 0),
	)
	byUnion := func(u string) string { return wxads.UserID{Kind: wxads.KindUnionID, Value: u}.String() }
	wantActions := map[string]struct {
		by string // IdentifiedBy; "-" unidentified
		ad int64
	}{
		"union click": {byUnion("uA1"), 21}, "union follow": {byUnion("uA2"), 22}, "openid first": {"", 21},
		"unionid after openid": {byUnion("uA2"), 22}, "click id": {byUnion("uA1"), 23},
		"before device": {byUnion("uA1"), 21}, "another app": {"-", 0}, "another advertiser": {"-", 0},
		"unknown": {"-", 0}, "another app's unionid": {"-", 0},
	}
	stored := f.list(set)
	for outer, w := range wantActions {
		a, ok := stored[outer]
		switch {
		case !ok:
			t.Errorf("%s: not stored", outer)
		case a.Identified != (w.by != "-") || a.Identified && a.IdentifiedBy != w.by || a.AttributedAdID != w.ad:
			t.Errorf("%s: identified %v by %q, ad %d; want by %q, ad %d", outer, a.Identified, a.IdentifiedBy,
				a.AttributedAdID, w.by, w.ad)
		case outer == "union click" && a.OpenID != "":
			t.Errorf("%s: stored openid %q; want the upload's (none)", outer, a.OpenID)
		}
	}
	// Users: (appA, o1) by openid and by unionid, (appA, o2) by unionid —
	// two, whichever id each upload used.
	rows, err := f.s.Report(f.ctx, wxads.ReportQuery{SetID: set, Start: day0, End: day0, Granularity: wxads.Daily})
	f.must(err, "Report")
	if len(rows) != 1 || rows[0].Raw != 10 || rows[0].Identified != 6 || rows[0].Users != 2 {
		t.Errorf("report %+v; want raw 10, identified 6, users 2", rows)
	}
	f.ingest(acc, unionAction(set, appA, "uA1", "later by unionid", 0), action(set, appA, openID(2), "later by openid", t0))
	rows, err = f.s.Report(f.ctx, wxads.ReportQuery{SetID: set, Start: day0, End: day0, Granularity: wxads.Hourly})
	f.must(err, "Report hourly")
	if len(rows) != 1 || rows[0].Raw != 12 || rows[0].Identified != 8 || rows[0].Users != 2 {
		t.Errorf("hourly report %+v; want raw 12, identified 8, users 2", rows)
	}

	// The other advertiser's unionid identifies its own actions only.
	setO := f.set(other, "other", appO)
	f.ingest(other, unionAction(setO, appO, "uO", "own", 0), unionAction(setO, appA, "uA1", "not mine", 0))
	o := f.list(setO)
	if o["own"].IdentifiedBy != byUnion("uO") || o["own"].AttributedAdID != 99 || o["not mine"].Identified {
		t.Errorf("other advertiser: %+v", o)
	}
}
