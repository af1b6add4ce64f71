//go:build cgo

package sqlite

import (
	"context"
	"database/sql/driver"
	"path/filepath"
	"strings"
	"testing"
)

// The unionid look-up (unionid.go) searches the partial index
// followers_unionid per probe, scanning only the request's own list, and is
// compiled once: however its list changes, SQLite never re-prepares it.
func TestUnionIDLookupPlanAndReprepare(t *testing.T) {
	db := mustOpen(t, filepath.Join(t.TempDir(), "wxads.db"))
	defer db.Close()
	plan, err := db.ExplainQueryPlan(context.Background(), qFollowersByUnionID, `[{"a":"wxapp","k":"u1"}]`)
	if err != nil {
		t.Fatal(err)
	}
	text := strings.Join(plan, "; ")
	t.Logf("%s → %s", strings.Join(strings.Fields(qFollowersByUnionID), " "), text)
	if !strings.Contains(text, "USING INDEX followers_unionid (appid=? AND unionid=?)") &&
		!strings.Contains(text, "USING COVERING INDEX followers_unionid (appid=? AND unionid=?)") {
		t.Errorf("does not search followers_unionid: %s", text)
	}
	for _, line := range plan {
		if strings.HasPrefix(line, "SCAN") && !strings.Contains(line, "VIRTUAL TABLE") { // json_each: the list
			t.Errorf("scans: %s", line)
		}
	}

	lists := []string{`[{"a":"wxapp","k":"u1","t":0}]`, `[{"a":"wx2","k":"u2","t":0},{"a":"wx3","k":"","t":0}]`}
	const calls = 20
	n := reprepares(t, db, qFollowersByUnionID, calls, func(i int) []driver.NamedValue {
		return []driver.NamedValue{{Ordinal: 1, Value: lists[i%2]}}
	})
	if n != 0 {
		t.Errorf("re-prepared %d times in %d calls:\n%s", n, calls, qFollowersByUnionID)
	}
}
