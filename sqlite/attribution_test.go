package sqlite_test

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/wxads/wxads"
	"github.com/wxads/wxads/sqlite"
)

// adEventQueries returns every SELECT of ad_events in the package's
// sources whose file name include accepts — the attribution look-ups ingest
// prepares (groupwriter.go), or adevent.go's admin list — read from the
// source so that the test plans exactly what runs.
func adEventQueries(t *testing.T, include func(file string) bool) []string {
	t.Helper()
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	var queries []string
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") || !include(name) {
			continue
		}
		f, err := parser.ParseFile(token.NewFileSet(), name, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(f, func(n ast.Node) bool {
			if lit, ok := n.(*ast.BasicLit); ok && lit.Kind == token.STRING {
				s, err := strconv.Unquote(lit.Value)
				if err == nil && strings.HasPrefix(strings.TrimSpace(s), "SELECT") &&
					(strings.Contains(s, "FROM ad_events") || strings.Contains(s, "FROM ad_event_ids")) {
					queries = append(queries, s)
				}
			}
			return true
		})
	}
	return queries
}

// TestAttributionLookupUsesIndexes: identification and attribution at ingest
// must not scan. Each look-up of ad_events is a SEARCH of its index whose
// order already answers "latest first" (no temporary B-tree), on an empty
// table and on one holding many events.
func TestAttributionLookupUsesIndexes(t *testing.T) {
	db, err := sqlite.Open(filepath.Join(t.TempDir(), "wxads.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	queries := adEventQueries(t, func(file string) bool { return file != "adevent.go" })
	check := func(t *testing.T) {
		adEvents := map[string]bool{}
		for _, q := range queries {
			args := make([]any, strings.Count(q, "?"))
			for i := range args {
				args[i] = "x"
			}
			plan, err := db.ExplainQueryPlan(t.Context(), q, args...)
			if err != nil {
				t.Fatalf("%s: %v", q, err)
			}
			text := strings.Join(plan, "\n")
			t.Logf("%s\n  → %s", strings.Join(strings.Fields(q), " "), strings.Join(plan, "; "))
			for _, line := range plan {
				// The only scan allowed is of the request's own probe list (json_each).
				if strings.HasPrefix(line, "SCAN") && !strings.Contains(line, "VIRTUAL TABLE") ||
					strings.Contains(line, "TEMP B-TREE") {
					t.Errorf("query scans or sorts:\n%s\nplan:\n%s", q, text)
				}
			}
			table, index := "ad_events", "ad_events_user"
			switch {
			case strings.Contains(q, "FROM ad_event_ids"):
				// The device ids' look-ups (devices.go): a WITHOUT ROWID table
				// searched by its primary key, advertiser first.
				table, index = "ad_event_ids", "PRIMARY KEY"
			case strings.Contains(q, "account_id = j.value ->> 'c' AND click_id = "):
				index = "ad_events_account_click"
			case strings.Contains(q, "click_id = "):
				index = "ad_events_click"
			}
			adEvents[index] = true
			if !strings.Contains(text, "SEARCH "+table+" USING INDEX "+index+" (") &&
				!strings.Contains(text, "SEARCH "+table+" USING COVERING INDEX "+index+" (") &&
				!(table == "ad_event_ids" && strings.Contains(text, "SEARCH ad_event_ids ") &&
					strings.Contains(text, "USING PRIMARY KEY (account_id=? AND kind=? AND value=?")) {
				t.Errorf("query does not search %s:\n%s\nplan:\n%s", index, q, text)
			}
		}
		if !adEvents["ad_events_user"] || !adEvents["ad_events_click"] || !adEvents["ad_events_account_click"] ||
			!adEvents["PRIMARY KEY"] {
			t.Fatalf("the package no longer holds both attribution look-ups; found %v in %d queries", adEvents, len(queries))
		}
	}
	t.Run("empty", check)

	// Many events of few users and click ids: an index with poor
	// selectivity must still be chosen over a scan.
	now := int64(1795000000)
	var events []wxads.AdEvent
	for i := range 5000 {
		typ := wxads.EventClick
		if i%3 == 0 {
			typ = wxads.EventFollow
		}
		events = append(events, wxads.AdEvent{Type: typ, AppID: fmt.Sprintf("wx%016x", i%2),
			OpenID: fmt.Sprintf("o%027d", i%7), AdID: int64(1 + i%5), ClickID: fmt.Sprintf("k%d", i%4),
			Time: now - int64(i)})
	}
	if err := db.AddAdEvents(t.Context(), events, now); err != nil {
		t.Fatal(err)
	}
	t.Run("loaded", check)
}
