// v3.0 identification by hashed device or phone id (SPEC §11): an action
// is identified by a device id an ad event of the same advertiser carried,
// and attributed among that advertiser's apps.

package storetest

import (
	"bytes"
	"reflect"
	"strings"
	"testing"

	"github.com/wxads/wxads"
)

func dev(kind, hexDigit string) wxads.UserID {
	n := 32
	if strings.HasPrefix(kind, "sha256") || strings.HasPrefix(kind, "md5_sha256") {
		n = 64
	}
	return wxads.UserID{Kind: kind, Value: strings.Repeat(hexDigit, n)}
}

// v3action is a device-only action: no WeChat app or openid.
func v3action(set int64, outer string, claim int, clickID string, ids ...wxads.UserID) wxads.Action {
	return wxads.Action{SetID: set, ActionTime: t0, ActionType: "ACTIVATE_APP", OuterActionID: outer,
		ClaimType: claim, ClickID: clickID, Param: []byte(`{}`), ReceivedTime: t0, UserIDs: ids}
}

func testDeviceIDs(t *testing.T, f *fixture) {
	acc, other := f.twoAdvertisers(appA, appB)
	set := f.set(acc, "app", appA)
	h1, h2, h3, h4, h5 := dev("hash_oaid", "1"), dev("hash_imei", "2"), dev("hash_oaid", "3"), dev("hash_idfa", "4"),
		dev("hash_android_id", "5")
	ids := func(u ...wxads.UserID) []wxads.UserID { return u }
	click := func(appid string, ad int64, at int64, clickID string, u ...wxads.UserID) wxads.AdEvent {
		return wxads.AdEvent{Type: wxads.EventClick, AppID: appid, AdID: ad, CampaignID: 1, ClickID: clickID, Time: at, UserIDs: u}
	}
	events := []wxads.AdEvent{
		click(appA, 11, t0-2*hour, "", h1),
		click(appB, 12, t0-hour, "", h1), // another app of the same advertiser: later, wins
		{Type: wxads.EventFollow, AppID: appA, OpenID: openID(1), AdID: 13, CampaignID: 1, Time: t0 - 3*hour, UserIDs: ids(h2)},
		click(appA, 14, t0-8*day, "k1", h4), // outside the window
		{Type: wxads.EventClick, AppID: appB, OpenID: openID(5), AdID: 15, CampaignID: 1, ClickID: "k2", Time: t0 - 30*60},
		click(appA, 16, t0-5*hour, "", h5),
		click(appA, 17, t0-5*hour, "", h5), // same time, stored later: wins
	}
	f.must(f.s.AddAdEvents(f.ctx, events, t0), "AddAdEvents")
	f.must(f.s.AddAdEvents(f.ctx, []wxads.AdEvent{click(appO, 99, t0-hour, "kO", h3, dev("hash_phone", "6"))}, t0),
		"AddAdEvents other advertiser")

	got, _, err := f.s.ListAdEvents(f.ctx, appA, 0, 10)
	f.must(err, "ListAdEvents")
	if len(got) != 5 || !reflect.DeepEqual(got[0].UserIDs, ids(h1)) || got[2].OpenID != "" || got[4].AdID != 17 {
		t.Errorf("ListAdEvents(appA) = %+v; want the events with their device ids", got)
	}

	extra := v3action(set, "fields", 0, "", wxads.UserID{Kind: "wechat_unionid", Value: "u1"},
		wxads.UserID{Kind: "caid", Value: "c1"}, wxads.UserID{Kind: "caid_version", Value: "20230330"})
	extra.ProductInform, extra.Channel = []byte(`{"content_type":"EC","items":[1,2]}`), "CHANNEL_NATURAL"
	follower := action(set, appA, openID(1), "follower first", t0) // FOLLOW made openid(1) a follower of appA
	follower.UserIDs = ids(h1)
	f.ingest(acc,
		v3action(set, "device click", 0, "", h1),
		v3action(set, "cross tenant", 0, "", h3),
		v3action(set, "kind must match", 0, "", wxads.UserID{Kind: "hash_imei", Value: h1.Value}),
		v3action(set, "device follow", 1, "", h2),
		v3action(set, "click id", 0, "k2", h1),
		v3action(set, "foreign click id", 0, "kO", h1),
		v3action(set, "out of window", 0, "", h4),
		v3action(set, "tie", 0, "", h5),
		v3action(set, "first id wins", 0, "", h2, h1),
		follower,
		extra,
	)
	want := map[string]struct {
		by string // IdentifiedBy; "-" unidentified
		ad int64
	}{
		"device click": {h1.String(), 12}, "cross tenant": {"-", 0}, "kind must match": {"-", 0},
		"device follow": {h2.String(), 13}, "click id": {h1.String(), 15}, "foreign click id": {h1.String(), 0},
		"out of window": {h4.String(), 0}, "tie": {h5.String(), 17}, "first id wins": {h2.String(), 0},
		"follower first": {"", 0}, "fields": {"-", 0},
	}
	stored := f.list(set)
	for outer, w := range want {
		a, ok := stored[outer]
		if !ok {
			t.Errorf("%s: not stored", outer)
			continue
		}
		if a.Identified != (w.by != "-") || a.Identified && a.IdentifiedBy != w.by || a.AttributedAdID != w.ad {
			t.Errorf("%s: identified %v by %q, ad %d; want by %q, ad %d", outer, a.Identified, a.IdentifiedBy,
				a.AttributedAdID, w.by, w.ad)
		}
	}
	if a := stored["fields"]; !reflect.DeepEqual(a.UserIDs, extra.UserIDs) || !bytes.Equal(a.ProductInform, extra.ProductInform) ||
		a.Channel != extra.Channel {
		t.Errorf("stored v3.0 fields: ids %v, product_inform %q, channel %q", a.UserIDs, a.ProductInform, a.Channel)
	}
	if a := stored["device click"]; a.ProductInform != nil || a.Channel != "" || !reflect.DeepEqual(a.UserIDs, ids(h1)) {
		t.Errorf("an action without product_inform: %+v", a)
	}
	if a := stored["follower first"]; a.AppID != appA || a.OpenID != openID(1) {
		t.Errorf("the follower's action: %+v", a)
	}

	// Distinct users: hash_oaid 1…, hash_imei 2…, hash_idfa 4…, hash_android_id
	// 5… and the follower (appA, openid 1): five, of eight identified actions.
	rows, err := f.s.Report(f.ctx, wxads.ReportQuery{SetID: set, Start: day0, End: day0, Granularity: wxads.Daily})
	f.must(err, "Report")
	if len(rows) != 1 || rows[0].Raw != 11 || rows[0].Identified != 8 || rows[0].Users != 5 {
		t.Errorf("report %+v; want raw 11, identified 8, users 5", rows)
	}
	// The same device later: a new action, the same user.
	f.ingest(acc, v3action(set, "again", 0, "", h1))
	rows, err = f.s.Report(f.ctx, wxads.ReportQuery{SetID: set, Start: day0, End: day0, Granularity: wxads.Hourly})
	f.must(err, "Report hourly")
	if len(rows) != 1 || rows[0].Raw != 12 || rows[0].Identified != 9 || rows[0].Users != 5 {
		t.Errorf("hourly report %+v; want raw 12, identified 9, users 5", rows)
	}
	ad, err := f.s.AdReport(f.ctx, wxads.AdReportQuery{AccountID: acc, Start: day0, End: day0, Granularity: wxads.Daily})
	f.must(err, "AdReport")
	var conversions int64
	for _, r := range ad {
		conversions += r.Conversions
	}
	if conversions != 5 { // device click, device follow, click id, tie, again
		t.Errorf("ad report %+v; want 5 conversions", ad)
	}

	// The other advertiser's own device matches its own events only.
	setO := f.set(other, "other", appO)
	f.ingest(other, v3action(setO, "own", 0, "kO", h3), v3action(setO, "not mine", 0, "", h1))
	o := f.list(setO)
	if o["own"].IdentifiedBy != h3.String() || o["own"].AttributedAdID != 99 || o["not mine"].Identified {
		t.Errorf("other advertiser: %+v", o)
	}
}
