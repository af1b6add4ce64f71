package bench

import (
	"context"
	"net/url"
	"os"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/wxads/wxads/postgres/pgtest"
)

// TestBaselineHTTP: the HTTP ceiling decodes real batches and every request
// is acknowledged; a body the decoder refuses is counted by its errcode.
func TestBaselineHTTP(t *testing.T) {
	target, stop, err := BaselineHTTP()
	if err != nil {
		t.Fatal(err)
	}
	defer stop()
	client := NewClient(2)
	r := Drive(context.Background(), client, target, Load{Mode: "upload", Clients: 2, Batch: 50, Duration: 300 * time.Millisecond})
	if r.Requests == 0 || r.Actions != 50*r.Requests || len(r.Errors) != 0 {
		t.Fatalf("requests %d actions %d errors %v: want every request acknowledged with 50 actions", r.Requests, r.Actions, r.Errors)
	}
	if code, took := call(client, "POST", target.Base+"/marketing/user_actions/add", []byte(`{"actions":"x"}`)); code == "" || code == "errcode 0" || took <= 0 {
		t.Fatalf("a body that is not a batch answered %q in %v, want a non-zero errcode", code, took)
	}
	for raw, want := range map[string]string{`{"errcode":0,"data":{}}`: "", `{"code":0}`: "", `{"errcode":40001}`: "errcode 40001",
		`{"code":11002}`: "code 11002", `{"errcode":0,"data":[`: "bad JSON"} {
		if got := envelopeCode([]byte(raw)); got != want {
			t.Errorf("envelopeCode(%s) = %q, want %q", raw, got, want)
		}
	}
}

// TestBaselineTemplates: the templates ceiling answers every query of
// --mode templates with code 0.
func TestBaselineTemplates(t *testing.T) {
	target, stop, err := BaselineHTTP()
	if err != nil {
		t.Fatal(err)
	}
	defer stop()
	r := Drive(context.Background(), NewClient(2), target, Load{Mode: "templates", Clients: 2, Duration: 300 * time.Millisecond})
	if r.Requests < int64(len(templateQueries)) || len(r.Errors) != 0 {
		t.Fatalf("requests %d errors %v: want every query answered code 0", r.Requests, r.Errors)
	}
}

// TestBaselineStore: the storage ceiling stores every action it counts.
func TestBaselineStore(t *testing.T) {
	r, err := BaselineStore(context.Background(), t.TempDir(), "", Load{Clients: 2, Duration: 500 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	if r.Actions == 0 || r.Actions != StoreBatch*r.Requests || len(r.Errors) != 0 {
		t.Fatalf("actions %d in %d calls, errors %v: want %d per call", r.Actions, r.Requests, r.Errors, StoreBatch)
	}
}

// TestBaselineStorePostgres: the PostgreSQL ceiling (a fresh schema, the
// backend's COPY-based Ingest) stores every action it counts and drops its
// schema after.
func TestBaselineStorePostgres(t *testing.T) {
	u := pgtest.URL(t)
	r, err := BaselineStore(context.Background(), "", u, Load{Clients: 2, Duration: 500 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	if r.Actions == 0 || r.Actions != StoreBatch*r.Requests || len(r.Errors) != 0 {
		t.Fatalf("actions %d in %d calls, errors %v: want %d per call", r.Actions, r.Requests, r.Errors, StoreBatch)
	}
	conn, err := pgx.Connect(context.Background(), u)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(context.Background())
	var left int
	if err := conn.QueryRow(context.Background(),
		`SELECT count(*) FROM pg_namespace WHERE nspname LIKE 'wxads_ceiling_%'`).Scan(&left); err != nil {
		t.Fatal(err)
	}
	if left != 0 {
		t.Fatalf("%d ceiling schemas left behind", left)
	}
}

// TestServerPID finds this test's own listener and reads its RSS.
func TestServerPID(t *testing.T) {
	target, stop, err := BaselineHTTP()
	if err != nil {
		t.Fatal(err)
	}
	defer stop()
	if pid := ServerPID(target.Base); pid != os.Getpid() {
		t.Fatalf("ServerPID(%s) = %d, want this process %d", target.Base, pid, os.Getpid())
	}
	if rss, err := RSS(os.Getpid()); err != nil || rss < 1<<20 {
		t.Fatalf("RSS = %d, %v", rss, err)
	}
	if pid := ServerPID("http://192.0.2.1:80"); pid != 0 {
		t.Fatalf("a remote server has local pid %d", pid)
	}
}

// TestReportTargetURL: --report-set's reports ask for Days days ending at
// End (GMT+8) of that set, with its token.
func TestReportTargetURL(t *testing.T) {
	end := time.Date(2026, 11, 23, 0, 0, 0, 0, time.FixedZone("GMT+8", 8*3600))
	u, err := url.Parse((&ReportTarget{Set: 7, Token: "tok", End: end, Days: 30}).url(Target{Base: "http://h"}))
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	if q.Get("user_action_set_id") != "7" || q.Get("access_token") != "tok" || q.Get("time_granularity") != "HOURLY" ||
		q.Get("date_range") != `{"start_date":"2026-10-25","end_date":"2026-11-23"}` {
		t.Errorf("report URL %s", u)
	}
	if q.Get("aggregation") != "ACTION_TYPE" {
		t.Errorf("default aggregation %q, want ACTION_TYPE", q.Get("aggregation"))
	}
	// Another shape: DAILY without aggregation sends none.
	u, err = url.Parse((&ReportTarget{Set: 7, Token: "tok", End: end, Days: 366, Granularity: "DAILY", Aggregation: "NONE"}).url(Target{Base: "http://h"}))
	if err != nil {
		t.Fatal(err)
	}
	if q = u.Query(); q.Get("time_granularity") != "DAILY" || q.Has("aggregation") ||
		q.Get("date_range") != `{"start_date":"2025-11-23","end_date":"2026-11-23"}` {
		t.Errorf("DAILY NONE report URL %s", u)
	}
}
