package sqlite_test

import (
	"context"
	"database/sql"
	"fmt"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/wxads/wxads"
	"github.com/wxads/wxads/sqlite"
	"github.com/wxads/wxads/storetest"
)

// TestMigrationRollupCubes: a database made before migration 0010 held its
// report counts in rollup_hourly and rollup_daily, keyed by (type, domain).
// Opened, it folds them into the type and domain cubes, and every report
// reads as it did, then goes on counting new actions.
func TestMigrationRollupCubes(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "wxads.db")
	db, err := sqlite.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	acct, appid, set := newFixture(t, db)
	if err := db.AddFollowers(ctx, appid, []string{"o1", "o2"}, cst(2026, 11, 1, 0, 0, 0)); err != nil {
		t.Fatal(err)
	}
	var actions []wxads.Action
	for i := range 60 {
		typ, custom := wxads.ActionRegister, ""
		if i%3 == 1 {
			typ, custom = wxads.ActionCustom, "add_to_cart"
		} else if i%3 == 2 {
			typ = wxads.ActionCompleteOrder
		}
		at := cst(2026, 11, 20+i%3, i%5, 7, 0)
		actions = append(actions, act(set, appid, fmt.Sprint("o", i%4), at, typ, custom,
			[]string{"a.example.com", "b.example.com", ""}[i%3/2+i%2], fmt.Sprint("m", i)))
	}
	if _, err := db.Ingest(ctx, acct, actions); err != nil {
		t.Fatal(err)
	}
	want := storetest.AllReports(t, db, set, cst(2026, 11, 20, 0, 0, 0), cst(2026, 11, 22, 0, 0, 0))
	if len(want[wxads.Hourly+"/"+wxads.AggDomain]) < 10 || len(want[wxads.Daily+"/"+wxads.AggNone]) != 3 {
		t.Fatalf("too few report rows to compare: %v", want)
	}
	db.Close()

	// Back to 0009's schema: the old tables, counted from the actions
	// themselves (GMT+8 hours and days), and no cubes.
	raw, err := sql.Open(sqlite.DriverName, "file:"+path)
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{
		`DROP TABLE rollup_types`, `DROP TABLE rollup_domains`, `DELETE FROM migrations WHERE name LIKE '%0010_%'`,
	} {
		if _, err := raw.ExecContext(ctx, q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	for table, period := range map[string]string{
		"rollup_hourly": "action_time / 3600 * 3600",
		"rollup_daily":  "(action_time + 28800) / 86400 * 86400 - 28800",
	} {
		for _, q := range []string{
			`CREATE TABLE ` + table + ` (set_id INTEGER NOT NULL, period INTEGER NOT NULL, action_type TEXT NOT NULL,
				custom_action TEXT NOT NULL, domain TEXT NOT NULL, raw INTEGER NOT NULL, identified INTEGER NOT NULL,
				PRIMARY KEY (set_id, period, action_type, custom_action, domain)) WITHOUT ROWID`,
			`INSERT INTO ` + table + ` SELECT set_id, ` + period + `, action_type, custom_action, domain, COUNT(*),
				SUM(identified) FROM actions GROUP BY 1, 2, 3, 4, 5`,
		} {
			if _, err := raw.ExecContext(ctx, q); err != nil {
				t.Fatalf("%s: %v", q, err)
			}
		}
	}
	raw.Close()

	db, err = sqlite.Open(path)
	if err != nil {
		t.Fatalf("migrating: %v", err)
	}
	defer db.Close()
	if got := storetest.AllReports(t, db, set, cst(2026, 11, 20, 0, 0, 0), cst(2026, 11, 22, 0, 0, 0)); !reflect.DeepEqual(got, want) {
		t.Fatalf("reports after the migration:\n%v\nbefore:\n%v", got, want)
	}
	// And the cubes go on counting.
	if _, err := db.Ingest(ctx, acct, []wxads.Action{act(set, appid, "o1", cst(2026, 11, 21, 3, 0, 0),
		wxads.ActionRegister, "", "a.example.com", "after")}); err != nil {
		t.Fatal(err)
	}
	rows, err := db.Report(ctx, wxads.ReportQuery{SetID: set, Start: cst(2026, 11, 21, 0, 0, 0), End: cst(2026, 11, 21, 0, 0, 0),
		Granularity: wxads.Daily, Aggregation: wxads.AggNone})
	if err != nil {
		t.Fatal(err)
	}
	before := want[wxads.Daily+"/"+wxads.AggNone]
	if len(rows) != 1 || rows[0].Raw != before[1].Raw+1 {
		t.Fatalf("day after a new action: %+v, before %+v", rows, before)
	}
}
