package sqlite

import (
	"context"
	"fmt"
	"path/filepath"
	"sync/atomic"
	"testing"

	"github.com/wxads/wxads"
)

// BenchmarkIngest measures the store's durable ingest path: concurrent
// 50-action batches through the group committer, identification included.
//
//	go test -run '^$' -bench Ingest -benchtime 200000x ./sqlite/
func BenchmarkIngest(b *testing.B) {
	db := mustOpen(b, filepath.Join(b.TempDir(), "bench.db"))
	defer db.Close()
	account, set := seedSet(b, db)
	openids := make([]string, 1000)
	for i := range openids {
		openids[i] = fmt.Sprintf("oBench%022d", i)
	}
	if err := db.AddFollowers(context.Background(), "wxapp", openids, 1); err != nil {
		b.Fatal(err)
	}
	var seq atomic.Int64
	b.SetParallelism(8)
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		batch := make([]wxads.Action, 0, 50)
		for pb.Next() {
			n := seq.Add(1)
			a := testAction(set, fmt.Sprint("b", n), "https://shop.example.com/x")
			a.OpenID = openids[n%int64(len(openids))]
			a.ActionTime = 1795420800 + n%86400
			batch = append(batch, a)
			if len(batch) == cap(batch) {
				if _, err := db.Ingest(context.Background(), account, batch); err != nil {
					b.Fatal(err)
				}
				batch = batch[:0]
			}
		}
		if len(batch) > 0 {
			if _, err := db.Ingest(context.Background(), account, batch); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "actions/s")
}
