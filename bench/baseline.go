package bench

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"path/filepath"
	"sync"
	"time"

	"github.com/wxads/wxads"
	"github.com/wxads/wxads/ingest"
	"github.com/wxads/wxads/sqlite"
)

// BaselineHTTP starts the HTTP ceiling in this process: a server that
// decodes a user_actions/add body with the platform's own decoder
// (ingest.Decode) and answers errcode 0 without checking the token, owning
// the set or storing anything; every other path answers errcode 0 at once.
// The Target it returns drives it like a wxads server; stop it with the
// returned function.
func BaselineHTTP() (Target, func(), error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return Target{}, nil, err
	}
	ok := []byte(`{"errcode":0,"errmsg":"ok"}`)
	mux := http.NewServeMux()
	mux.HandleFunc("/marketing/user_actions/add", func(w http.ResponseWriter, r *http.Request) {
		body, err := io.ReadAll(io.LimitReader(r.Body, 4<<20))
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		if _, err := ingest.Decode(body, time.Now().Unix()); err != nil {
			var e *wxads.Error
			if !errors.As(err, &e) {
				e = &wxads.Error{Code: -1}
			}
			fmt.Fprintf(w, `{"errcode":%d}`, e.Code)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		w.Write(ok)
	})
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) { w.Write(ok) })
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	go srv.Serve(ln)
	t := Target{Base: "http://" + ln.Addr().String(), AppID: "wx0123456789abcdef", Secret: "x", Token: "x", Set: 1}
	return t, func() { srv.Close() }, nil
}

// StoreBatch is how many actions the store ceiling writes per Ingest call:
// large transactions, the group committer merging concurrent calls.
const StoreBatch = 800

// BaselineStore runs the storage ceiling for l.Duration: the same rows as
// an upload run (the same bodies through ingest.Decode, so the same
// normalized actions), with the same followers, written with
// sqlite.Open + Ingest in StoreBatch-action calls from l.Clients
// goroutines (at most 4) into a fresh store in dir, with no HTTP.
func BaselineStore(ctx context.Context, dir string, l Load) (Result, error) {
	db, err := sqlite.Open(filepath.Join(dir, "ceiling.db"))
	if err != nil {
		return Result{}, err
	}
	defer db.Close()
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
