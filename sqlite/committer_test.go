package sqlite

import (
	"context"
	"fmt"
	"path/filepath"
	"sync"
	"testing"

	"github.com/wxads/wxads"
	"github.com/wxads/wxads/internal/groupcommit"
)

func mustOpen(t testing.TB, path string) *DB {
	t.Helper()
	db, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	return db
}

// seedSet creates an advertiser, an app and a data source, returning the
// account and set ids.
func seedSet(t testing.TB, db *DB) (int64, int64) {
	t.Helper()
	ctx := context.Background()
	adv := &wxads.Advertiser{Name: "a", Status: wxads.StatusApproved, CreatedTime: 1}
	if err := db.CreateAdvertiser(ctx, adv); err != nil {
		t.Fatal(err)
	}
	if err := db.CreateApp(ctx, &wxads.App{AppID: "wxapp", AccountID: adv.ID, SecretHash: []byte{1}, CreatedTime: 1}); err != nil {
		t.Fatal(err)
	}
	set := &wxads.ActionSet{AccountID: adv.ID, Type: "WEB", Name: "s", CreatorAppID: "wxapp", CreatedTime: 1}
	if err := db.CreateActionSet(ctx, set, 10); err != nil {
		t.Fatal(err)
	}
	return adv.ID, set.ID
}

func testAction(set int64, outer, url string) wxads.Action {
	return wxads.Action{SetID: set, URL: url, Domain: "example.com", ActionTime: 1795420800,
		ActionType: wxads.ActionRegister, AppID: "wxapp", OpenID: "oA", OuterActionID: outer,
		Param: []byte(`{"source":"Biz","claim_type":1}`), ClaimType: 1, ReceivedTime: 1795420800}
}

func count(t testing.TB, db *DB, query string, args ...any) int {
	t.Helper()
	var n int
	if err := db.read.QueryRow(query, args...).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// A failed commit fails every request in its group and stores none of them,
// nor any rollup.
func TestCommitGroupFailureStoresNothing(t *testing.T) {
	db := mustOpen(t, filepath.Join(t.TempDir(), "x.db"))
	defer db.Close()
	account, set := seedSet(t, db)
	// A trigger is a real SQLite failure in the middle of the transaction.
	if _, err := db.write.Exec(`CREATE TRIGGER boom BEFORE INSERT ON actions WHEN NEW.url LIKE '%boom%'
		BEGIN SELECT RAISE(ABORT, 'boom'); END`); err != nil {
		t.Fatal(err)
	}
	group := []*groupcommit.Request{
		groupcommit.NewRequest(account, []wxads.Action{testAction(set, "a1", "https://ok/1")}),
		groupcommit.NewRequest(account, []wxads.Action{testAction(set, "b1", "https://ok/2"), testAction(set, "b2", "https://boom/")}),
		groupcommit.NewRequest(account, []wxads.Action{testAction(set, "c1", "https://ok/3")}),
	}
	if err := db.commitGroup(group); err == nil {
		t.Fatal("commitGroup succeeded despite the trigger")
	}
	for _, table := range []string{"actions", "rollup_types", "rollup_domains", "rollup_users", "rollup_user_counts"} {
		if n := count(t, db, `SELECT COUNT(*) FROM `+table); n != 0 {
			t.Errorf("%s holds %d rows after a failed commit", table, n)
		}
	}
	if n := count(t, db, `SELECT COUNT(*) FROM action_sets WHERE activate_status = 1`); n != 0 {
		t.Errorf("set activated by a failed commit")
	}
	// Through the committer: the failing batch gets the error, later ones succeed.
	ctx := context.Background()
	if _, err := db.Ingest(ctx, account, []wxads.Action{testAction(set, "d1", "https://boom/")}); err == nil {
		t.Fatal("Ingest of a failing batch succeeded")
	}
	res, err := db.Ingest(ctx, account, []wxads.Action{testAction(set, "e1", "https://ok/")})
	if err != nil || res.Accepted != 1 {
		t.Fatalf("Ingest after failure: %+v %v", res, err)
	}
}

// Concurrent ingests share transactions, and each caller gets its own result.
func TestGroupCommitConcurrent(t *testing.T) {
	db := mustOpen(t, filepath.Join(t.TempDir(), "x.db"))
	defer db.Close()
	account, set := seedSet(t, db)
	const workers, batches = 8, 40
	var wg sync.WaitGroup
	errs := make(chan error, workers*batches)
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for b := range batches {
				var actions []wxads.Action
				for i := range 10 {
					// Every key is sent twice by two workers: one of them is a duplicate.
					actions = append(actions, testAction(set, fmt.Sprintf("k%d_%d_%d", w/2, b, i), "https://ok/"))
				}
				res, err := db.Ingest(context.Background(), account, actions)
				if err == nil && res.Accepted+res.Duplicates != 10 {
					err = fmt.Errorf("result %+v does not add up to 10", res)
				}
				if err != nil {
					errs <- err
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	want := workers / 2 * batches * 10
	if n := count(t, db, `SELECT COUNT(*) FROM actions`); n != want {
		t.Fatalf("stored %d actions, want %d", n, want)
	}
	if n := count(t, db, `SELECT SUM(raw) FROM rollup_domains WHERE granularity = 1`); n != want {
		t.Fatalf("rollup counts %d, want %d", n, want)
	}
}

// Dedup keys survive a restart.
func TestDedupAcrossRestart(t *testing.T) {
	path := filepath.Join(t.TempDir(), "x.db")
	db := mustOpen(t, path)
	account, set := seedSet(t, db)
	ctx := context.Background()
	if _, err := db.Ingest(ctx, account, []wxads.Action{testAction(set, "same", "https://ok/")}); err != nil {
		t.Fatal(err)
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	db = mustOpen(t, path)
	defer db.Close()
	res, err := db.Ingest(ctx, account, []wxads.Action{testAction(set, "same", "https://ok/"), testAction(set, "new", "https://ok/")})
	if err != nil || res.Accepted != 1 || res.Duplicates != 1 {
		t.Fatalf("after restart: %+v %v", res, err)
	}
	if n := count(t, db, `SELECT SUM(raw) FROM rollup_types WHERE granularity = 0`); n != 2 {
		t.Fatalf("rollup counts %d, want 2", n)
	}
}

// Ingest after Close is refused, not lost silently.
func TestIngestAfterClose(t *testing.T) {
	db := mustOpen(t, filepath.Join(t.TempDir(), "x.db"))
	account, set := seedSet(t, db)
	db.Close()
	if _, err := db.Ingest(context.Background(), account, []wxads.Action{testAction(set, "x", "https://ok/")}); err != ErrClosed {
		t.Fatalf("err = %v, want ErrClosed", err)
	}
}
