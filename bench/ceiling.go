package bench

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net/url"
	"path/filepath"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/wxads/wxads"
	"github.com/wxads/wxads/ingest"
	"github.com/wxads/wxads/postgres"
	"github.com/wxads/wxads/sqlite"
)

// StoreBatch is how many actions the store ceiling writes per Ingest call:
// large transactions, the group committer merging concurrent calls.
const StoreBatch = 800

// ceilingStore is what the storage ceiling needs of a backend; sqlite.DB
// and postgres.DB both are one, so each server is compared with its own
// backend's ceiling (issue 14: "the same on PostgreSQL, against its own
// ceiling").
type ceilingStore interface {
	CreateAdvertiser(ctx context.Context, a *wxads.Advertiser) error
	CreateApp(ctx context.Context, app *wxads.App) error
	CreateActionSet(ctx context.Context, s *wxads.ActionSet, perMinute int) error
	AddFollowers(ctx context.Context, appid string, openids []string, now int64) error
	Ingest(ctx context.Context, accountID int64, actions []wxads.Action) (wxads.IngestResult, error)
	Close() error
}

// openCeiling opens a fresh store: SQLite in dir, or, when pgURL is set, a
// new PostgreSQL schema on that server, dropped by the returned cleanup.
func openCeiling(ctx context.Context, dir, pgURL string) (ceilingStore, func(), error) {
	if pgURL == "" {
		db, err := sqlite.Open(filepath.Join(dir, "ceiling.db"))
		if err != nil {
			return nil, nil, err
		}
		return db, func() { db.Close() }, nil
	}
	b := make([]byte, 6)
	rand.Read(b)
	schema := "wxads_ceiling_" + hex.EncodeToString(b)
	if err := pgExec(ctx, pgURL, "CREATE SCHEMA "+schema); err != nil {
		return nil, nil, fmt.Errorf("create schema: %w", err)
	}
	drop := func() { pgExec(context.Background(), pgURL, "DROP SCHEMA "+schema+" CASCADE") }
	u, err := url.Parse(pgURL)
	if err != nil {
		drop()
		return nil, nil, err
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	db, err := postgres.Open(ctx, u.String())
	if err != nil {
		drop()
		return nil, nil, err
	}
	return db, func() { db.Close(); drop() }, nil
}

func pgExec(ctx context.Context, url, sql string) error {
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		return err
	}
	defer conn.Close(ctx)
	_, err = conn.Exec(ctx, sql)
	return err
}

// BaselineStore runs the storage ceiling for l.Duration: the same rows as
// an upload run (the same bodies through ingest.Decode, so the same
// normalized actions), with the same followers, written with the backend's
// own Ingest in StoreBatch-action calls from l.Clients goroutines (at most
// 4) into a fresh store, with no HTTP. The store is SQLite in dir, or a
// fresh schema on the PostgreSQL server pgURL when that is set (its Ingest
// writes with COPY).
func BaselineStore(ctx context.Context, dir, pgURL string, l Load) (Result, error) {
	db, closeDB, err := openCeiling(ctx, dir, pgURL)
	if err != nil {
		return Result{}, err
	}
	defer closeDB()
	const appid = "wx0123456789abcdef"
	adv := &wxads.Advertiser{Name: "ceiling", Status: wxads.StatusApproved, CreatedTime: time.Now().Unix()}
	if err := db.CreateAdvertiser(ctx, adv); err != nil {
		return Result{}, err
	}
	if err := db.CreateApp(ctx, &wxads.App{AppID: appid, AccountID: adv.ID, Name: "ceiling", SecretHash: []byte{1},
		CreatedTime: adv.CreatedTime}); err != nil {
		return Result{}, err
	}
	set := &wxads.ActionSet{AccountID: adv.ID, Type: "WECHAT", Name: "ceiling", WechatAppID: appid,
		CreatorAppID: appid, CreatedTime: adv.CreatedTime}
	// 1000 sets a minute: the creation limit must not refuse the one set.
	if err := db.CreateActionSet(ctx, set, 1000); err != nil {
		return Result{}, err
	}
	openids := make([]string, Users/2)
	for u := range openids {
		openids[u] = OpenID(u)
	}
	if err := db.AddFollowers(ctx, appid, openids, adv.CreatedTime); err != nil {
		return Result{}, err
	}
	ctx, cancel := context.WithTimeout(ctx, l.Duration)
	defer cancel()
	var mu sync.Mutex
	res := Result{Errors: map[string]int64{}}
	var lat []time.Duration
	var firstErr error
	start := time.Now()
	var wg sync.WaitGroup
	for w := range min(max(l.Clients, 1), 4) {
		wg.Go(func() {
			for n := 0; ctx.Err() == nil; {
				actions := make([]wxads.Action, 0, StoreBatch)
				for len(actions) < StoreBatch {
					body := Batch(set.ID, appid, l.Run, w, n, ingest.MaxActions)
					n++
					b, err := ingest.Decode(body, time.Now().Unix())
					if err != nil || len(b.Errors) > 0 {
						mu.Lock()
						firstErr = fmt.Errorf("decode: %v %v", err, b.Errors)
						mu.Unlock()
						return
					}
					for i := range b.Actions {
						b.Actions[i].ReceivedTime = time.Now().Unix()
					}
					actions = append(actions, b.Actions...)
				}
				t0 := time.Now()
				r, err := db.Ingest(context.Background(), adv.ID, actions)
				d := time.Since(t0)
				mu.Lock()
				lat = append(lat, d)
				res.Requests++
				if err != nil {
					res.Errors["store"]++
				} else {
					res.Actions += int64(r.Accepted)
				}
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	res.Elapsed = time.Since(start)
	res.Latency = percentiles(lat)
	res.ActionsPerSecond = float64(res.Actions) / res.Elapsed.Seconds()
	return res, firstErr
}
