package sqlite_test

import (
	"context"
	"database/sql"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wxads/wxads"
	"github.com/wxads/wxads/sqlite"
)

// TestMigrationDeviceIDs: a database made before migration 0007 (its
// columns and table dropped again, its record deleted) migrates on Open:
// earlier ad events are given their app's advertiser, so a device-identified
// action finds their click_id, and earlier actions read back without ids.
func TestMigrationDeviceIDs(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "wxads.db")
	const t0 int64 = 1795406400
	db, err := sqlite.Open(path)
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

	raw, err := sql.Open(sqlite.DriverName, "file:"+path)
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{
		`DROP TABLE ad_event_ids`, `DROP INDEX ad_events_account_click`,
		`ALTER TABLE ad_events DROP COLUMN account_id`, `ALTER TABLE ad_events DROP COLUMN user_ids`,
		`ALTER TABLE actions DROP COLUMN user_ids`, `ALTER TABLE actions DROP COLUMN product_inform`,
		`ALTER TABLE actions DROP COLUMN channel`, `ALTER TABLE actions DROP COLUMN identified_by`,
		`DELETE FROM migrations WHERE name LIKE '%0007_%'`,
		// What 0006's schema held: an event and an action.
		`INSERT INTO ad_events (type, appid, openid, ad_id, campaign_id, click_id, time)
			VALUES ('CLICK', 'wx000000000000000a', 'o000000000000000000000000001', 41, 4, 'old', 1795406000)`,
		`INSERT INTO actions (set_id, outer_action_id, action_time, action_type, custom_action, url, domain, appid,
			openid, click_id, param, claim_type, value, identified, attributed_ad_id, attributed_campaign_id, received_time)
			VALUES (1, 'before', 1795406000, 'REGISTER', '', 'https://a.example/', 'a.example', 'wx000000000000000a',
			'o000000000000000000000000001', '', '{}', 0, 0, 0, 0, 0, 1795406000)`,
	} {
		if _, err := raw.ExecContext(ctx, q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	raw.Close()

	db, err = sqlite.Open(path)
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
		OuterActionID: "after", ClickID: "old", Param: []byte(`{}`), ReceivedTime: t0, UserIDs: []wxads.UserID{oaid}}}); err != nil {
		t.Fatal(err)
	}
	list, _, err := db.ListActions(ctx, set.ID, 0, 10)
	if err != nil || len(list) != 2 {
		t.Fatalf("ListActions: %+v, %v", list, err)
	}
	if a := list[0]; a.IdentifiedBy != oaid.String() || a.AttributedAdID != 41 {
		t.Errorf("after the migration: identified by %q, ad %d; want %s and the earlier event's click_id (ad 41)",
			a.IdentifiedBy, a.AttributedAdID, oaid)
	}
	if a := list[1]; a.OuterActionID != "before" || a.UserIDs != nil || a.ProductInform != nil || a.IdentifiedBy != "" {
		t.Errorf("the earlier action: %+v", a)
	}
	events, _, err := db.ListAdEvents(ctx, "wx000000000000000a", 0, 10)
	if err != nil || len(events) != 1 || events[0].UserIDs != nil {
		t.Errorf("the earlier event: %+v, %v", events, err)
	}
}
