package postgres

import (
	"context"
	"strings"
	"testing"

	"github.com/wxads/wxads/postgres/pgtest"
)

// TestDeviceLookupPlans: the device-id look-ups (devices.go) read index
// ranges, never a whole table and never a sort, on a table of many events
// of few advertisers — the plan SQLite's attribution_test.go checks.
func TestDeviceLookupPlans(t *testing.T) {
	ctx := context.Background()
	db, err := Open(ctx, pgtest.FreshSchema(t))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for _, q := range []string{
		`INSERT INTO ad_events (type, appid, openid, ad_id, campaign_id, click_id, time, account_id)
			SELECT CASE WHEN i % 3 = 0 THEN 'FOLLOW' ELSE 'CLICK' END, 'wx' || (i % 5), '', i % 7, 1, 'k' || (i % 1000),
			1795000000 - i, i % 4 FROM generate_series(1, 50000) i`,
		`INSERT INTO ad_event_ids SELECT account_id, 'hash_oaid', md5(id::text), type, time, id FROM ad_events`,
		`ANALYZE ad_events`, `ANALYZE ad_event_ids`,
	} {
		if _, err := db.pool.Exec(ctx, q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	for _, c := range []struct {
		query string
		args  []any
		index string
	}{
		{qDeviceIDs, []any{[]string{"hash_oaid"}, []string{"x"}, int64(1)}, "ad_event_ids_pkey"},
		{qAttributeDevice, []any{[]string{"hash_oaid"}, []string{"x"}, []int64{1795000000}, int64(1), "CLICK", int64(604800)},
			"ad_event_ids_pkey"},
		{qAttributeAccountClickID, []any{[]string{""}, []string{"k5"}, []int64{1795000000}, int64(1), int64(604800)},
			"ad_events_account_click"},
	} {
		rows, err := db.pool.Query(ctx, "EXPLAIN "+c.query, c.args...)
		if err != nil {
			t.Fatalf("%s: %v", c.query, err)
		}
		var plan []string
		for rows.Next() {
			var line string
			if err := rows.Scan(&line); err != nil {
				t.Fatal(err)
			}
			plan = append(plan, line)
		}
		rows.Close()
		text := strings.Join(plan, "\n")
		t.Logf("%s\n%s", strings.Join(strings.Fields(c.query), " "), text)
		if strings.Contains(text, "Seq Scan") || strings.Contains(text, "Sort") || !strings.Contains(text, c.index) {
			t.Errorf("want an index range of %s, no scan or sort:\n%s", c.index, text)
		}
	}
}
