package postgres_test

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/wxads/wxads"
	"github.com/wxads/wxads/postgres"
	"github.com/wxads/wxads/postgres/pgtest"
)

// Several DBs on one schema are several nodes: each runs its own group
// committer and its own transactions, meeting only in the database.

const (
	t0      int64 = 1795406400 // 2026-11-23 12:00:00 GMT+8
	testApp       = "wx000000000000000a"
)

// nodes opens n DBs on one fresh schema with an advertiser and its app.
func nodes(t *testing.T, n int) ([]*postgres.DB, int64) {
	url := pgtest.FreshSchema(t)
	dbs := make([]*postgres.DB, n)
	for i := range dbs {
		dbs[i] = openURL(t, url)
	}
	ctx := context.Background()
	a := &wxads.Advertiser{Name: "Acme", Status: wxads.StatusApproved, CreatedTime: t0}
	if err := dbs[0].CreateAdvertiser(ctx, a); err != nil {
		t.Fatal(err)
	}
	if err := dbs[0].CreateApp(ctx, &wxads.App{AppID: testApp, AccountID: a.ID, Name: "a", SecretHash: []byte{1},
		IPWhitelist: wxads.DefaultWhitelist(), CreatedTime: t0}); err != nil {
		t.Fatal(err)
	}
	return dbs, a.ID
}

func openID(i int) string { return fmt.Sprintf("o%027d", i) }

// TestNodesDedup sends the same outer_action_ids to three nodes at once, in
// different orders and batches: each is stored, counted and rolled up once.
func TestNodesDedup(t *testing.T) {
	dbs, acc := nodes(t, 3)
	ctx := context.Background()
	set := &wxads.ActionSet{AccountID: acc, Type: "WEB", Name: "s", CreatorAppID: testApp, CreatedTime: t0}
	if err := dbs[0].CreateActionSet(ctx, set, 10); err != nil {
		t.Fatal(err)
	}
	const keys, users = 600, 40
	if err := dbs[0].AddFollowers(ctx, testApp, []string{openID(0), openID(1), openID(2)}, t0); err != nil {
		t.Fatal(err)
	}
	var accepted, duplicates atomic.Int64
	var wg sync.WaitGroup
	for w := range 12 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			db := dbs[w%len(dbs)]
			order := rand.Perm(keys)
			for len(order) > 0 {
				n := min(len(order), 1+rand.IntN(50))
				batch := make([]wxads.Action, n)
				for i, k := range order[:n] {
					batch[i] = wxads.Action{SetID: set.ID, URL: "https://a.example/", Domain: "a.example",
						ActionTime: t0 + int64(k%3)*3600, ActionType: wxads.ActionRegister, AppID: testApp,
						OpenID: openID(k % users), OuterActionID: fmt.Sprint("k", k), Param: []byte(`{}`), ReceivedTime: t0}
				}
				order = order[n:]
				res, err := db.Ingest(ctx, acc, batch)
				if err != nil {
					t.Error(err)
					return
				}
				accepted.Add(int64(res.Accepted))
				duplicates.Add(int64(res.Duplicates))
			}
		}()
	}
	wg.Wait()
	if accepted.Load() != keys || duplicates.Load() != 11*keys {
		t.Errorf("accepted %d duplicates %d, want %d and %d", accepted.Load(), duplicates.Load(), keys, 11*keys)
	}
	_, total, err := dbs[1].ListActions(ctx, set.ID, 0, 1)
	if err != nil || total != keys {
		t.Errorf("ListActions total %d, %v; want %d", total, err, keys)
	}
	rows, err := dbs[2].Report(ctx, wxads.ReportQuery{SetID: set.ID, Start: wxads.DayOf(t0), End: wxads.DayOf(t0),
		Granularity: wxads.Daily})
	if err != nil || len(rows) != 1 {
		t.Fatalf("Report: %v, %v", rows, err)
	}
	// Followers 0..2 identify the keys k with k%40 < 3: 15 each of 600.
	if r := rows[0]; r.Raw != keys || r.Identified != 45 || r.Users != 3 {
		t.Errorf("daily report %+v, want raw %d identified 45 users 3", r, keys)
	}
}

// TestNodesQuotas races token issues and set creations on three nodes: the
// daily token quota and the per-minute creation limit hold exactly.
func TestNodesQuotas(t *testing.T) {
	dbs, acc := nodes(t, 3)
	ctx := context.Background()
	const tries, limit, perMinute = 60, 25, 10
	var issued, created atomic.Int64
	var wg sync.WaitGroup
	for i := range tries {
		wg.Add(1)
		go func() {
			defer wg.Done()
			db := dbs[i%len(dbs)]
			err := db.Issue(ctx, wxads.IssueToken{Token: wxads.Token{Hash: []byte(fmt.Sprint("h", i)), AppID: testApp,
				IssuedAt: t0, ExpiresAt: t0 + wxads.TokenTTL}, Day: "2026-11-23", Limit: limit})
			switch {
			case err == nil:
				issued.Add(1)
			case !errors.Is(err, wxads.ErrQuota):
				t.Error(err)
			}
			err = db.CreateActionSet(ctx, &wxads.ActionSet{AccountID: acc, Type: "WEB", Name: fmt.Sprint("set", i),
				CreatorAppID: testApp, CreatedTime: t0}, perMinute)
			switch {
			case err == nil:
				created.Add(1)
			case !errors.Is(err, wxads.ErrTooFrequent):
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	if issued.Load() != limit || created.Load() != perMinute {
		t.Errorf("issued %d tokens (limit %d), created %d sets (limit %d)", issued.Load(), limit, created.Load(), perMinute)
	}
	var current int
	if err := dbs[0].Pool().QueryRow(ctx, `SELECT COUNT(*) FROM tokens WHERE appid = $1 AND superseded_at = 0`,
		testApp).Scan(&current); err != nil || current != 1 {
		t.Errorf("%d current tokens, %v; want exactly 1", current, err)
	}
}
