package sqlite

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
)

// The batched look-ups of lookup.go probe a primary key or unique index per
// key; the only scan is of json_each, the request's own key list.
func TestBatchedLookupsSearchIndexes(t *testing.T) {
	db := mustOpen(t, filepath.Join(t.TempDir(), "x.db"))
	defer db.Close()
	for _, c := range []struct{ query, index string }{
		{qAppOwner, "sqlite_autoindex_apps_1"},
		{qFollowers, "PRIMARY KEY"},
		{qFollower, "PRIMARY KEY"},
		{qExistingKeys, "actions_dedup"},
	} {
		plan, err := db.ExplainQueryPlan(context.Background(), c.query, "wxapp", `["a","b"]`)
		switch c.query {
		case qAppOwner:
			plan, err = db.ExplainQueryPlan(context.Background(), c.query, "wxapp")
		case qFollower:
			plan, err = db.ExplainQueryPlan(context.Background(), c.query, "wxapp", "oA")
		}
		if err != nil {
			t.Fatal(err)
		}
		text := strings.Join(plan, "; ")
		t.Logf("%s → %s", strings.Join(strings.Fields(c.query), " "), text)
		if !strings.Contains(text, c.index) {
			t.Errorf("%s does not use %s: %s", c.query, c.index, text)
		}
		for _, line := range plan {
			if strings.HasPrefix(line, "SCAN") && !strings.Contains(line, "json_each") {
				t.Errorf("%s scans: %s", c.query, line)
			}
		}
	}
}
