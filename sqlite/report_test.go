package sqlite_test

import (
	"context"
	"fmt"
	"path/filepath"
	"reflect"
	"sync/atomic"
	"testing"
	"time"

	"github.com/wxads/wxads"
	"github.com/wxads/wxads/sqlite"
)

func openDB(tb testing.TB) *sqlite.DB {
	tb.Helper()
	db, err := sqlite.Open(filepath.Join(tb.TempDir(), "wxads.db"))
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { db.Close() })
	return db
}

var fixtureSeq atomic.Int64

const fixtureTime = 1795363200 // 2026-11-23 00:00 GMT+8

func openID(i int) string { return fmt.Sprintf("o%027d", i) }

// newFixture creates an approved advertiser, one app and one WEB set.
func newFixture(tb testing.TB, db *sqlite.DB) (account int64, appid string, set int64) {
	tb.Helper()
	ctx := context.Background()
	k := fixtureSeq.Add(1)
	adv := &wxads.Advertiser{Name: fmt.Sprint("adv", k), Status: wxads.StatusApproved, CreatedTime: fixtureTime}
	if err := db.CreateAdvertiser(ctx, adv); err != nil {
		tb.Fatal(err)
	}
	appid = fmt.Sprintf("wx%016x", k)
	if err := db.CreateApp(ctx, &wxads.App{AppID: appid, AccountID: adv.ID, Name: "app", SecretHash: []byte{1},
		CreatedTime: fixtureTime}); err != nil {
		tb.Fatal(err)
	}
	s := &wxads.ActionSet{AccountID: adv.ID, Type: "WEB", Name: fmt.Sprint("set", k), CreatorAppID: appid,
		CreatedTime: fixtureTime}
	if err := db.CreateActionSet(ctx, s, 1000); err != nil {
		tb.Fatal(err)
	}
	return adv.ID, appid, s.ID
}

func cst(y int, m time.Month, d, h, min, s int) int64 {
	return time.Date(y, m, d, h, min, s, 0, wxads.CST).Unix()
}

func act(set int64, appid, openid string, t int64, typ, custom, domain, outer string) wxads.Action {
	return wxads.Action{SetID: set, URL: "https://" + domain + "/", Domain: domain, ActionTime: t, ActionType: typ,
		CustomAction: custom, AppID: appid, OpenID: openid, OuterActionID: outer,
		Param: []byte(`{"source":"Web","claim_type":0}`), ReceivedTime: t}
}

// TestReportStore checks the store's rows at GMT+8 day and hour edges, per
// set, with dedup, and the distinct-user counts.
func TestReportStore(t *testing.T) {
	db := openDB(t)
	ctx := context.Background()
	acct, appid, set := newFixture(t, db)
	_, _, other := newFixture(t, db)
	u1, u2 := openID(1), openID(2)
	if err := db.AddFollowers(ctx, appid, []string{u1, u2}, 0); err != nil {
		t.Fatal(err)
	}
	late := cst(2026, 11, 20, 23, 59, 59) // 15:59:59 UTC
	early := cst(2026, 11, 21, 0, 0, 0)   // 16:00:00 UTC
	if late != time.Date(2026, 11, 20, 15, 59, 59, 0, time.UTC).Unix() || early != late+1 {
		t.Fatal("GMT+8 arithmetic")
	}
	batch := []wxads.Action{
		act(set, appid, u1, late, wxads.ActionRegister, "", "a.example", "k1"),
		act(set, appid, u1, late, wxads.ActionRegister, "", "a.example", "k1"), // duplicate in batch
		act(set, appid, u2, late-3600, wxads.ActionCustom, "share", "b.example", ""),
		act(set, appid, "o_unknown", late, wxads.ActionCustom, "share", "a.example", ""),
		act(set, appid, u1, early, wxads.ActionCompleteOrder, "", "b.example", "k2"),
		act(set, "wx00000000000000ff", u1, early, wxads.ActionCompleteOrder, "", "b.example", ""),
		act(other, appid, u1, early, wxads.ActionCompleteOrder, "", "b.example", "k1"), // other set, same key
	}
	res, err := db.Ingest(ctx, acct, batch)
	if err != nil {
		t.Fatal(err)
	}
	if res != (wxads.IngestResult{Accepted: 6, Duplicates: 1}) {
		t.Fatalf("ingest %+v", res)
	}
	// A repeat of the whole batch is all duplicates except the keyless actions.
	if res, err = db.Ingest(ctx, acct, batch[:2]); err != nil || res != (wxads.IngestResult{Duplicates: 2}) {
		t.Fatalf("repeat: %+v %v", res, err)
	}
	d20, d21 := cst(2026, 11, 20, 0, 0, 0), cst(2026, 11, 21, 0, 0, 0)
	h22, h23 := cst(2026, 11, 20, 22, 0, 0), cst(2026, 11, 20, 23, 0, 0)
	tests := []struct {
		gran, agg string
		start     int64
		end       int64
		want      []wxads.ReportRow
	}{
		{wxads.Daily, wxads.AggNone, d20, d21, []wxads.ReportRow{
			{Period: d20, Raw: 3, Identified: 2, Users: 2},
			{Period: d21, Raw: 2, Identified: 1, Users: 1},
		}},
		{wxads.Daily, wxads.AggNone, d21, d21, []wxads.ReportRow{{Period: d21, Raw: 2, Identified: 1, Users: 1}}},
		{wxads.Daily, wxads.AggNone, d20 - 86400, d20 - 86400, nil},
		{wxads.Hourly, wxads.AggNone, d20, d21, []wxads.ReportRow{
			{Period: h22, Raw: 1, Identified: 1, Users: 1},
			{Period: h23, Raw: 2, Identified: 1, Users: 1},
			{Period: d21, Raw: 2, Identified: 1, Users: 1},
		}},
		{wxads.Hourly, wxads.AggDomain, d20, d20, []wxads.ReportRow{
			{Period: h22, Domain: "b.example", Raw: 1, Identified: 1},
			{Period: h23, Domain: "a.example", Raw: 2, Identified: 1},
		}},
		{wxads.Daily, wxads.AggActionType, d20, d21, []wxads.ReportRow{
			{Period: d20, ActionType: wxads.ActionCustom, CustomAction: "share", Raw: 2, Identified: 1},
			{Period: d20, ActionType: wxads.ActionRegister, Raw: 1, Identified: 1},
			{Period: d21, ActionType: wxads.ActionCompleteOrder, Raw: 2, Identified: 1},
		}},
	}
	for _, tc := range tests {
		got, err := db.Report(ctx, wxads.ReportQuery{SetID: set, Start: tc.start, End: tc.end,
			Granularity: tc.gran, Aggregation: tc.agg})
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got, tc.want) {
			t.Errorf("%s %s %d..%d:\n got %+v\nwant %+v", tc.gran, tc.agg, tc.start, tc.end, got, tc.want)
		}
	}
	got, err := db.Report(ctx, wxads.ReportQuery{SetID: other, Start: d20, End: d21, Granularity: wxads.Daily})
	if want := []wxads.ReportRow{{Period: d21, Raw: 1, Identified: 1, Users: 1}}; err != nil || !reflect.DeepEqual(got, want) {
		t.Errorf("other set: %+v %v", got, err)
	}
	if _, err := db.Report(ctx, wxads.ReportQuery{SetID: set, Start: d20, End: d20, Aggregation: "USER"}); err == nil {
		t.Error("unknown aggregation: no error")
	}
}
