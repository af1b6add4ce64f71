package postgres_test

import (
	"context"
	"io"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/wxads/wxads"
	"github.com/wxads/wxads/metrics"
)

// The group commit reports what it stored and deduplicated, its size and
// its wait, as the SQLite one does (server/metrics_test.go).
func TestMetricsGroupCommit(t *testing.T) {
	db := openTestDB(t)
	m := metrics.New()
	db.SetMetrics(m)
	ctx := context.Background()
	a := &wxads.Advertiser{Name: "Acme", Status: wxads.StatusApproved, CreatedTime: t0}
	if err := db.CreateAdvertiser(ctx, a); err != nil {
		t.Fatal(err)
	}
	set := &wxads.ActionSet{AccountID: a.ID, Type: "WEB", Name: "s", CreatorAppID: testApp, CreatedTime: t0}
	if err := db.CreateActionSet(ctx, set, 10); err != nil {
		t.Fatal(err)
	}
	action := func(outer string) wxads.Action {
		return wxads.Action{SetID: set.ID, URL: "https://a.example/p", Domain: "a.example", ActionTime: t0,
			ActionType: wxads.ActionCompleteOrder, AppID: testApp, OpenID: openID(1), OuterActionID: outer,
			Param: []byte(`{}`), ReceivedTime: t0}
	}
	for _, batch := range [][]wxads.Action{{action("a"), action("b")}, {action("a"), action("c")}} {
		if _, err := db.Ingest(ctx, a.ID, batch); err != nil {
			t.Fatal(err)
		}
	}
	rr := httptest.NewRecorder()
	m.Handler().ServeHTTP(rr, httptest.NewRequest("GET", "/metrics", nil))
	body, _ := io.ReadAll(rr.Body)
	for _, want := range []string{
		`wxads_ingest_actions_total{result="stored"} 3`,
		`wxads_ingest_actions_total{result="duplicate"} 1`,
		`wxads_ingest_group_actions_sum 4`,
		`wxads_ingest_queue_wait_seconds_count 2`,
		`wxads_ingest_commit_seconds_count 2`,
	} {
		if !strings.Contains(string(body), want) {
			t.Errorf("scrape lacks %q", want)
		}
	}
}
