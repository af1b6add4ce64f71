package postgres_test

import (
	"context"
	"strings"
	"testing"

	"github.com/wxads/wxads"
	"github.com/wxads/wxads/postgres"
	"github.com/wxads/wxads/postgres/pgtest"
)

// TestMigrationDeviceIDs: a database made before migration 0005 (its
// columns and table dropped again, its record deleted) migrates on Open:
// earlier ad events are given their app's advertiser, so a device-identified
// action finds their click_id.
func TestMigrationDeviceIDs(t *testing.T) {
	ctx := context.Background()
	url := pgtest.FreshSchema(t)
	const t0 int64 = 1795406400
	db, err := postgres.Open(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	adv := &wxads.Advertiser{Name: "Acme", Status: wxads.StatusApproved, CreatedTime: t0}
	if err := db.CreateAdvertiser(ctx, adv); err != nil {
		t.Fatal(err)
	}
	for _, appid := range []string{"wx000000000000000a", "wx000000000000000b"} {
		if err := db.CreateApp(ctx, &wxads.App{AppID: appid, AccountID: adv.ID, Name: appid, SecretHash: []byte{1},
			IPWhitelist: wxads.DefaultWhitelist(), CreatedTime: t0}); err != nil {
			t.Fatal(err)
		}
	}
	set := &wxads.ActionSet{AccountID: adv.ID, Type: "ANDROID", Name: "app", CreatorAppID: "wx000000000000000a", CreatedTime: t0}
	if err := db.CreateActionSet(ctx, set, 10); err != nil {
		t.Fatal(err)
	}
	db.Close()
	for _, q := range []string{
		`DROP TABLE ad_event_ids`, `DROP INDEX ad_events_account_click`,
		`ALTER TABLE ad_events DROP COLUMN account_id, DROP COLUMN user_ids`,
		`ALTER TABLE actions DROP COLUMN user_ids, DROP COLUMN product_inform, DROP COLUMN channel, DROP COLUMN identified_by`,
		`DELETE FROM schema_migrations WHERE name LIKE '%0005_%'`,
		`INSERT INTO ad_events (type, appid, openid, ad_id, campaign_id, click_id, time)
			VALUES ('CLICK', 'wx000000000000000a', 'o000000000000000000000000001', 41, 4, 'old', 1795406000)`,
	} {
		if err := pgtest.Exec(url, q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	db, err = postgres.Open(ctx, url)
	if err != nil {
		t.Fatalf("migrating: %v", err)
	}
	defer db.Close()
	oaid := wxads.UserID{Kind: "hash_oaid", Value: strings.Repeat("a", 32)}
	if err := db.AddAdEvents(ctx, []wxads.AdEvent{{Type: wxads.EventClick, AppID: "wx000000000000000b", AdID: 42,
		Time: t0 - 60, UserIDs: []wxads.UserID{oaid}}}, t0); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Ingest(ctx, adv.ID, []wxads.Action{{SetID: set.ID, ActionTime: t0, ActionType: "ACTIVATE_APP",
		ClickID: "old", Param: []byte(`{}`), ReceivedTime: t0, UserIDs: []wxads.UserID{oaid}}}); err != nil {
		t.Fatal(err)
	}
	list, _, err := db.ListActions(ctx, set.ID, 0, 10)
	if err != nil || len(list) != 1 || list[0].IdentifiedBy != oaid.String() || list[0].AttributedAdID != 41 {
		t.Errorf("after the migration: %+v, %v; want identified by %s, the earlier event's click_id (ad 41)", list, err, oaid)
	}
	events, _, err := db.ListAdEvents(ctx, "wx000000000000000a", 0, 10)
	if err != nil || len(events) != 1 || events[0].UserIDs != nil {
		t.Errorf("the earlier event: %+v, %v", events, err)
	}
}
