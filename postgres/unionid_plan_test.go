package postgres

import (
	"context"
	"strings"
	"testing"

	"github.com/wxads/wxads/postgres/pgtest"
)

// TestUnionIDLookupPlan: the unionid look-up (unionid.go) probes the
// partial index followers_unionid, never a whole table, on many followers
// of few apps.
func TestUnionIDLookupPlan(t *testing.T) {
	ctx := context.Background()
	db, err := Open(ctx, pgtest.FreshSchema(t))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for _, q := range []string{
		`INSERT INTO followers (appid, openid, created_time, unionid)
			SELECT 'wx' || (i % 5), 'o' || i, 0, CASE WHEN i % 2 = 0 THEN 'u' || i ELSE '' END
			FROM generate_series(1, 50000) i`,
		`ANALYZE followers`,
	} {
		if _, err := db.pool.Exec(ctx, q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	rows, err := db.pool.Query(ctx, "EXPLAIN "+qFollowersByUnionID, []string{"wx1", "wx2"}, []string{"u6", "u12"})
	if err != nil {
		t.Fatal(err)
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
	t.Logf("%s\n%s", strings.Join(strings.Fields(qFollowersByUnionID), " "), text)
	if strings.Contains(text, "Seq Scan") || !strings.Contains(text, "followers_unionid") {
		t.Errorf("want a probe of followers_unionid, no scan:\n%s", text)
	}
}
