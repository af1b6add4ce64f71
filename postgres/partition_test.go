package postgres_test

import (
	"context"
	"fmt"
	"slices"
	"testing"

	"github.com/wxads/wxads"
)

// Old days are dropped a partition at a time: their actions go, the reports
// (rollups) and the dedup keys stay.
func TestDropActionsBefore(t *testing.T) {
	dbs, acc := nodes(t, 1)
	db, ctx := dbs[0], context.Background()
	set := &wxads.ActionSet{AccountID: acc, Type: "WEB", Name: "s", CreatorAppID: testApp, CreatedTime: t0}
	if err := db.CreateActionSet(ctx, set, 10); err != nil {
		t.Fatal(err)
	}
	day0 := wxads.DayOf(t0)
	for d := range int64(3) {
		a := wxads.Action{SetID: set.ID, URL: "https://a.example/", Domain: "a.example", ActionTime: t0,
			ActionType: wxads.ActionRegister, AppID: testApp, OpenID: openID(1), OuterActionID: fmt.Sprint("d", d),
			Param: []byte(`{}`), ReceivedTime: t0 + d*86400}
		if _, err := db.Ingest(ctx, acc, []wxads.Action{a}); err != nil {
			t.Fatal(err)
		}
	}
	dropped, err := db.DropActionsBefore(ctx, day0+2*86400)
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"actions_20261123", "actions_20261124"}; !slices.Equal(dropped, want) {
		t.Errorf("dropped %v, want %v", dropped, want)
	}
	list, total, err := db.ListActions(ctx, set.ID, 0, 10)
	if err != nil || total != 1 || list[0].OuterActionID != "d2" {
		t.Errorf("after the drop: %d actions (%v), want d2 alone", total, err)
	}
	rows, err := db.Report(ctx, wxads.ReportQuery{SetID: set.ID, Start: day0, End: day0, Granularity: wxads.Daily})
	if err != nil || len(rows) != 1 || rows[0].Raw != 3 {
		t.Errorf("report after the drop: %+v, %v; want raw 3", rows, err)
	}
	// A dropped day's outer_action_id is still known: a retry stays a duplicate.
	again := wxads.Action{SetID: set.ID, URL: "https://a.example/", Domain: "a.example", ActionTime: t0,
		ActionType: wxads.ActionRegister, AppID: testApp, OpenID: openID(1), OuterActionID: "d0",
		Param: []byte(`{}`), ReceivedTime: t0 + 2*86400}
	if res, err := db.Ingest(ctx, acc, []wxads.Action{again}); err != nil || res.Duplicates != 1 {
		t.Errorf("resending a dropped day's action: %+v, %v; want a duplicate", res, err)
	}
}
