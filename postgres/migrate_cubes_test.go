package postgres_test

import (
	"context"
	"fmt"
	"reflect"
	"testing"

	"github.com/wxads/wxads"
	"github.com/wxads/wxads/postgres"
	"github.com/wxads/wxads/postgres/pgtest"
	"github.com/wxads/wxads/storetest"
)

// TestMigrationRollupCubes: a database made before migration 0008 held its
// report counts in rollup_hourly and rollup_daily, keyed by (type, domain).
// Opened, it folds them into the type and domain cubes and every report
// reads as it did.
func TestMigrationRollupCubes(t *testing.T) {
	ctx := context.Background()
	url := pgtest.FreshSchema(t)
	const t0 int64 = 1795406400 // 2026-11-23 12:00 GMT+8
	db, err := postgres.Open(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	adv := &wxads.Advertiser{Name: "Acme", Status: wxads.StatusApproved, CreatedTime: t0}
	if err := db.CreateAdvertiser(ctx, adv); err != nil {
		t.Fatal(err)
	}
	const appid = "wx000000000000000a"
	if err := db.CreateApp(ctx, &wxads.App{AppID: appid, AccountID: adv.ID, Name: "a", SecretHash: []byte{1},
		IPWhitelist: wxads.DefaultWhitelist(), CreatedTime: t0}); err != nil {
		t.Fatal(err)
	}
	set := &wxads.ActionSet{AccountID: adv.ID, Type: "WEB", Name: "web", CreatorAppID: appid, CreatedTime: t0}
	if err := db.CreateActionSet(ctx, set, 10); err != nil {
		t.Fatal(err)
	}
	if err := db.AddFollowers(ctx, appid, []string{"o1", "o2"}, t0); err != nil {
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
		domain := []string{"a.example.com", "b.example.com", ""}[i%3/2+i%2]
		at := t0 + int64(i%3)*86400 + int64(i%5)*3600 + 420
		actions = append(actions, wxads.Action{SetID: set.ID, URL: "https://" + domain + "/", Domain: domain, ActionTime: at,
			ActionType: typ, CustomAction: custom, AppID: appid, OpenID: fmt.Sprint("o", i%4),
			OuterActionID: fmt.Sprint("m", i), Param: []byte(`{}`), ReceivedTime: at})
	}
	if _, err := db.Ingest(ctx, adv.ID, actions); err != nil {
		t.Fatal(err)
	}
	want := storetest.AllReports(t, db, set.ID, wxads.DayOf(t0), wxads.DayOf(t0)+2*86400)
	if len(want[wxads.Hourly+"/"+wxads.AggDomain]) < 10 || len(want[wxads.Daily+"/"+wxads.AggNone]) != 3 {
		t.Fatalf("too few report rows to compare: %v", want)
	}
	db.Close()

	// Back to 0007's schema: the old tables, counted from the actions
	// themselves (GMT+8 hours and days), and no cubes.
	qs := []string{`DROP TABLE rollup_types`, `DROP TABLE rollup_domains`,
		`DELETE FROM schema_migrations WHERE name LIKE '%0008_%'`}
	for table, period := range map[string]string{
		"rollup_hourly": "action_time / 3600 * 3600",
		"rollup_daily":  "(action_time + 28800) / 86400 * 86400 - 28800",
	} {
		qs = append(qs, `CREATE TABLE `+table+` (set_id bigint NOT NULL, period bigint NOT NULL,
				action_type text NOT NULL, custom_action text NOT NULL, domain text NOT NULL, raw bigint NOT NULL,
				identified bigint NOT NULL, PRIMARY KEY (set_id, period, action_type, custom_action, domain))`,
			`INSERT INTO `+table+` SELECT set_id, `+period+`, action_type, custom_action, domain, COUNT(*),
				SUM(identified::int) FROM actions GROUP BY 1, 2, 3, 4, 5`)
	}
	for _, q := range qs {
		if err := pgtest.Exec(url, q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	db, err = postgres.Open(ctx, url)
	if err != nil {
		t.Fatalf("migrating: %v", err)
	}
	defer db.Close()
	if got := storetest.AllReports(t, db, set.ID, wxads.DayOf(t0), wxads.DayOf(t0)+2*86400); !reflect.DeepEqual(got, want) {
		t.Fatalf("reports after the migration:\n%v\nbefore:\n%v", got, want)
	}
}
