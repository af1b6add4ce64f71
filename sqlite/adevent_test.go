package sqlite_test

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wxads/wxads"
	"github.com/wxads/wxads/sqlite"
)

// GET /admin/v1/ad_events pages one app's events in stored order: its
// count and page are searches of ad_events_app, whose last column (the
// rowid) is that order, so no page sorts or scans the table.
func TestListAdEventsUsesIndex(t *testing.T) {
	db, err := sqlite.Open(filepath.Join(t.TempDir(), "wxads.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var events []wxads.AdEvent
	for i := range 3000 {
		events = append(events, wxads.AdEvent{Type: wxads.EventClick, AppID: fmt.Sprintf("wx%016x", i%3),
			OpenID: fmt.Sprintf("o%027d", i%11), AdID: 1, Time: 1795000000 - int64(i)})
	}
	if err := db.AddAdEvents(t.Context(), events, 1795000000); err != nil {
		t.Fatal(err)
	}
	queries := adEventQueries(t, func(file string) bool { return file == "adevent.go" })
	if len(queries) != 2 {
		t.Fatalf("adevent.go holds %d SELECTs of ad_events, want the count and the page: %q", len(queries), queries)
	}
	for _, q := range queries {
		if !strings.Contains(q, "COUNT(*)") {
			q += " LIMIT 10 OFFSET 20" // as listPage runs a page
		}
		plan, err := db.ExplainQueryPlan(t.Context(), q, "wx0000000000000001")
		if err != nil {
			t.Fatalf("%s: %v", q, err)
		}
		text := strings.Join(plan, "\n")
		if !strings.Contains(text, "INDEX ad_events_app (appid=?)") || strings.Contains(text, "TEMP B-TREE") ||
			strings.Contains(text, "SCAN") {
			t.Errorf("%s\nplan:\n%s\nwant a search of ad_events_app without a sort", q, text)
		}
	}
}
