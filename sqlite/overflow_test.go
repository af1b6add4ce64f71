package sqlite_test

import (
	"context"
	"fmt"
	"math"
	"path/filepath"
	"testing"

	"github.com/wxads/wxads"
	"github.com/wxads/wxads/sqlite"
)

// TestAdReportSumSaturates: summed action_param.value never wraps. The
// upload bound (1e11 fen) keeps real sums far from int64, so the store is fed
// values at the int64 limit directly: the sums saturate at math.MaxInt64
// instead of wrapping negative (before: -2) or, in SQLite, turning into a
// float that made every later report of the day fail with "integer overflow".
func TestAdReportSumSaturates(t *testing.T) {
	ctx := context.Background()
	db, err := sqlite.Open(filepath.Join(t.TempDir(), "wxads.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	const appid, openid = "wx000000000000000a", "o000000000000000000000000001"
	const day0, hour = int64(1795363200), int64(3600)
	adv := &wxads.Advertiser{Name: "Acme", Status: wxads.StatusApproved, CreatedTime: day0}
	must(t, db.CreateAdvertiser(ctx, adv))
	must(t, db.CreateApp(ctx, &wxads.App{AppID: appid, AccountID: adv.ID, Name: "a", SecretHash: []byte{1},
		IPWhitelist: wxads.DefaultWhitelist(), CreatedTime: day0}))
	set := &wxads.ActionSet{AccountID: adv.ID, Type: "WEB", Name: "s", CreatorAppID: appid, CreatedTime: day0}
	must(t, db.CreateActionSet(ctx, set, 1000))
	must(t, db.AddFollowers(ctx, appid, []string{openid}, day0))
	must(t, db.AddAdEvents(ctx, []wxads.AdEvent{{Type: wxads.EventClick, AppID: appid, OpenID: openid,
		AdID: 101, CampaignID: 7, ClickID: "c1", Time: day0 + hour}}, day0+hour))
	// Several batches (each one group commit) in two hours of one day, so
	// both the ingest-time rollup and the report's daily sum are exercised.
	n := 0
	for batch := range 3 {
		var actions []wxads.Action
		for range 2 { // two in one group commit: the in-memory sum saturates too
			n++
			actions = append(actions, wxads.Action{SetID: set.ID, URL: "https://a.example/p", Domain: "a.example",
				ActionTime: day0 + int64(1+batch%2)*hour + 60, ActionType: wxads.ActionCompleteOrder, AppID: appid,
				OpenID: openid, OuterActionID: fmt.Sprint(n), Param: []byte(`{}`), ClaimType: wxads.ClaimClick,
				Value: math.MaxInt64, ReceivedTime: day0 + 2*hour})
		}
		if _, err := db.Ingest(ctx, adv.ID, actions); err != nil {
			t.Fatal(err)
		}
	}
	for _, gran := range []string{wxads.Daily, wxads.Hourly} {
		rows, err := db.AdReport(ctx, wxads.AdReportQuery{AccountID: adv.ID, Start: day0, End: day0, Granularity: gran})
		if err != nil {
			t.Fatalf("%s: AdReport: %v", gran, err)
		}
		if len(rows) == 0 {
			t.Fatalf("%s: no rows (the actions were not attributed)", gran)
		}
		for _, r := range rows {
			if r.Value != math.MaxInt64 {
				t.Errorf("%s: value %d, want saturated %d", gran, r.Value, int64(math.MaxInt64))
			}
		}
	}
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
