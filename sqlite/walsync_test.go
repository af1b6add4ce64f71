package sqlite

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/wxads/wxads"
)

// TestIngestLeavesWriterFull: ingest commits with synchronous=NORMAL on the
// connection it holds, and every other write finds the writer at FULL.
func TestIngestLeavesWriterFull(t *testing.T) {
	db := mustOpen(t, filepath.Join(t.TempDir(), "w.db"))
	defer db.Close()
	account, set := seedSet(t, db)
	if _, err := db.Ingest(context.Background(), account, []wxads.Action{testAction(set, "a1", "https://shop.example.com/x")}); err != nil {
		t.Fatal(err)
	}
	var level int
	if err := db.write.QueryRow(`PRAGMA synchronous`).Scan(&level); err != nil {
		t.Fatal(err)
	}
	if level != 2 {
		t.Fatalf("writer synchronous = %d after an ingest, want 2 (FULL)", level)
	}
}

// TestWALSyncer: the syncer fsyncs the WAL it holds, reopens it when the
// file was replaced (syncing the database too), syncs the database when
// there is no WAL, and says what to do when it cannot sync.
func TestWALSyncer(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "x.db")
	write := func(p string) {
		if err := os.WriteFile(p, []byte("x"), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	write(path)
	write(path + "-wal")
	s := newWALSyncer(path)
	defer s.close()
	if err := s.sync(); err != nil || s.wal == nil {
		t.Fatalf("first sync: %v (holds WAL: %v)", err, s.wal != nil)
	}
	first := s.wal
	if err := s.sync(); err != nil || s.wal != first {
		t.Fatalf("second sync: %v; want the same descriptor", err)
	}
	os.Remove(path + "-wal")
	write(path + "-wal")
	if err := s.sync(); err != nil || s.wal == first {
		t.Fatalf("after the WAL was replaced: %v; want a reopened descriptor", err)
	}
	os.Remove(path + "-wal")
	if err := s.sync(); err != nil || s.wal != nil {
		t.Fatalf("without a WAL: %v (holds WAL: %v); want the database synced", err, s.wal != nil)
	}
	os.Remove(path)
	err := s.sync()
	if err == nil || !strings.Contains(err.Error(), "restart the server") {
		t.Fatalf("nothing to sync: %v; want an error saying to restart", err)
	}
}

// BenchmarkIngestSmall: many concurrent one-action uploads, the case where
// the commit's fsync dominates (issue 14: 185 of 282 µs per action).
//
//	go test -run '^$' -bench IngestSmall -benchtime 20000x ./sqlite/
func BenchmarkIngestSmall(b *testing.B) {
	db := mustOpen(b, filepath.Join(b.TempDir(), "bench.db"))
	defer db.Close()
	account, set := seedSet(b, db)
	var seq atomic.Int64
	b.SetParallelism(32)
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			n := seq.Add(1)
			a := testAction(set, fmt.Sprint("s", n), "https://shop.example.com/x")
			a.ActionTime = 1795420800 + n%86400
			if _, err := db.Ingest(context.Background(), account, []wxads.Action{a}); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "actions/s")
}
