//go:build unix

package sqlite_test

import (
	"context"
	"fmt"
	"iter"
	"math/rand/v2"
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/wxads/wxads"
	"github.com/wxads/wxads/sqlite"
)

// The report benchmark's data: one set holding n actions spread evenly over
// the 366 GMT+8 days ending on benchToday, built once per size with
// BulkLoad and cached under $WXADS_BENCH_DIR (about 0.5 GB per million).
const (
	benchVersion = "report-bench v1" // change when the generator changes
	benchUsers   = 200_000           // distinct openids acting
	benchFollow  = 120_000           // of which followers (identified)
)

var benchToday = time.Date(2026, 11, 23, 0, 0, 0, 0, wxads.CST).Unix()

var (
	benchDomains = []string{"shop.example.com", "m.example.com", "pay.example.com", "example.cn", "blog.example.org"}
	benchTypes   = []struct{ typ, custom string }{
		{wxads.ActionCompleteOrder, ""}, {wxads.ActionReservation, ""}, {wxads.ActionRegister, ""},
		{wxads.ActionCustom, "add_to_cart"}, {wxads.ActionCustom, "view_content"}, {wxads.ActionCustom, "share"},
	}
)

// BenchmarkReport times reports at 1 M and 10 M stored actions; the rows
// returned are the same at both sizes, and so should the time be. Run:
//
//	WXADS_BENCH_DIR=/var/tmp/wxads-bench go test ./sqlite/ -run '^$' -bench Report -benchtime 2s
func BenchmarkReport(b *testing.B) {
	dir := os.Getenv("WXADS_BENCH_DIR")
	if dir == "" {
		b.Skip("WXADS_BENCH_DIR unset: set it to a directory for the cached 1M and 10M-action databases (~6 GB)")
	}
	queries := []struct {
		gran  string
		days  int64
		agg   string
		label string
	}{
		{wxads.Hourly, 1, wxads.AggNone, "none"}, {wxads.Daily, 30, wxads.AggNone, "none"}, // small: for scale
		{wxads.Hourly, 30, wxads.AggNone, "none"}, {wxads.Hourly, 30, wxads.AggDomain, "DOMAIN"},
		{wxads.Hourly, 30, wxads.AggActionType, "ACTION_TYPE"},
		{wxads.Daily, 366, wxads.AggNone, "none"}, {wxads.Daily, 366, wxads.AggDomain, "DOMAIN"},
		{wxads.Daily, 366, wxads.AggActionType, "ACTION_TYPE"},
	}
	for _, size := range []struct {
		name string
		n    int
	}{{"1M", 1_000_000}, {"10M", 10_000_000}} {
		b.Run(size.name, func(b *testing.B) {
			db, set := openBenchDB(b, dir, size.name, size.n)
			for _, q := range queries {
				name := fmt.Sprintf("%s_%dd/%s", q.gran, q.days, q.label)
				b.Run(name, func(b *testing.B) {
					rq := wxads.ReportQuery{SetID: set, Start: benchToday - (q.days-1)*86400, End: benchToday,
						Granularity: q.gran, Aggregation: q.agg}
					var rows []wxads.ReportRow
					cpu := cpuTime(b)
					b.ReportAllocs()
					for b.Loop() {
						var err error
						if rows, err = db.Report(context.Background(), rq); err != nil {
							b.Fatal(err)
						}
					}
					// CPU time per report: what the report costs when it has
					// the machine to itself, which wall time on a shared one may not show.
					b.ReportMetric(float64(cpuTime(b)-cpu)/float64(b.N), "cpu-ns/op")
					b.ReportMetric(float64(len(rows)), "rows")
				})
			}
		})
	}
}

// openBenchDB opens the cached database of n actions, building it first if
// it is missing or was built by another generator version.
func openBenchDB(b *testing.B, dir, name string, n int) (*sqlite.DB, int64) {
	b.Helper()
	if err := os.MkdirAll(dir, 0o755); err != nil {
		b.Fatal(err)
	}
	path := filepath.Join(dir, "report-"+name+".db")
	marker := path + ".ok"
	want := fmt.Sprintf("%s n=%d set=1\n", benchVersion, n)
	if got, err := os.ReadFile(marker); err != nil || string(got) != want {
		for _, p := range []string{marker, path, path + "-wal", path + "-shm"} {
			os.Remove(p)
		}
		start := time.Now()
		buildBenchDB(b, path, n)
		b.Logf("built %s (%d actions) in %s", path, n, time.Since(start).Round(time.Second))
		if err := os.WriteFile(marker, []byte(want), 0o644); err != nil {
			b.Fatal(err)
		}
	}
	db, err := sqlite.Open(path)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { db.Close() })
	return db, 1
}

func buildBenchDB(b *testing.B, path string, n int) {
	db, err := sqlite.Open(path)
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	ctx := context.Background()
	acct, appid, set := newFixture(b, db)
	if set != 1 {
		b.Fatalf("bench set id %d, want 1", set)
	}
	openids := make([]string, benchUsers)
	for i := range openids {
		openids[i] = openID(i)
	}
	if err := db.AddFollowers(ctx, appid, openids[:benchFollow], benchToday); err != nil {
		b.Fatal(err)
	}
	res, err := db.BulkLoad(ctx, acct, benchActions(n, set, appid, openids))
	if err != nil {
		b.Fatal(err)
	}
	if res.Accepted != n {
		b.Fatalf("bulk load accepted %d of %d", res.Accepted, n)
	}
}

// benchActions generates n actions in time order over the 366 days ending
// on benchToday, with a fixed seed: 6 action types (3 custom), 5 domains,
// benchUsers users, each action with a unique outer_action_id.
func benchActions(n int, set int64, appid string, openids []string) iter.Seq[*wxads.Action] {
	return func(yield func(*wxads.Action) bool) {
		rng := rand.New(rand.NewPCG(1, uint64(n)))
		first := benchToday - 365*86400
		span := int64(366 * 86400)
		param := []byte(`{"source":"Web","claim_type":0}`)
		var a wxads.Action
		for i := range n {
			t := first + int64(i)*span/int64(n)
			t += rng.Int64N(span/int64(n) + 1)
			typ := benchTypes[rng.IntN(len(benchTypes))]
			domain := benchDomains[rng.IntN(len(benchDomains))]
			a = wxads.Action{
				SetID: set, URL: "https://" + domain + "/p/" + fmt.Sprint(rng.IntN(1000)), Domain: domain,
				ActionTime: min(t, benchToday+86400-1), ActionType: typ.typ, CustomAction: typ.custom,
				AppID: appid, OpenID: openids[rng.IntN(len(openids))], OuterActionID: fmt.Sprintf("b%010d", i),
				Param: param, ReceivedTime: t,
			}
			if !yield(&a) {
				return
			}
		}
	}
}

// cpuTime is the process's user plus system CPU time so far.
func cpuTime(b *testing.B) time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		b.Fatal(err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
