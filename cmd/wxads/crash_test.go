package main

import (
	"context"
	"fmt"
	"math/rand/v2"
	"net/http"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/wxads/wxads/sqlite"
)

// retryLoad is a client that retries: a batch without an answer (the
// server died under it) is sent again, with the same outer_action_ids, to
// the next server. acked holds every id answered errcode 0.
type retryLoad struct {
	mu      sync.Mutex
	acked   map[string]bool
	pending [][]string // batches sent without an answer, to send again
	next    int
	retried int
}

func (l *retryLoad) batch() []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	if n := len(l.pending); n > 0 {
		b := l.pending[n-1]
		l.pending = l.pending[:n-1]
		l.retried++
		return b
	}
	ids := make([]string, 50)
	for i := range ids {
		ids[i] = fmt.Sprintf("r%d_%d", l.next, i)
	}
	l.next++
	return ids
}

// run sends batches from 4 workers until ctx ends or the server is gone.
func (l *retryLoad) run(ctx context.Context, client *http.Client, c *child, appid, token string, set int64) {
	var wg sync.WaitGroup
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for ctx.Err() == nil {
				ids := l.batch()
				actions := make([]map[string]any, len(ids))
				for i, id := range ids {
					actions[i] = map[string]any{"user_action_set_id": set, "url": "https://d.example/x",
						"action_type": "REGISTER", "outer_action_id": id,
						"user_id":      map[string]any{"wechat_app_id": appid, "wechat_openid": "oDurable"},
						"action_param": map[string]any{"source": "Web", "claim_type": 0}}
				}
				var res struct{ Errcode int }
				err := call(client, "POST", c.base+"/marketing/user_actions/add?access_token="+token, "",
					map[string]any{"actions": actions}, &res)
				l.mu.Lock()
				switch {
				case err == nil && res.Errcode == 0:
					for _, id := range ids {
						l.acked[id] = true
					}
				default: // no answer, or busy: the client retries it later
					l.pending = append(l.pending, ids)
				}
				l.mu.Unlock()
				if err != nil {
					return
				}
			}
		}()
	}
	wg.Wait()
}

// Random SIGKILLs under load, several times on one data directory: after
// each restart the clients resend what got no answer. In the end every
// acknowledged action is stored exactly once, and no retry stored anything
// twice (outer_action_id dedups across crashes). The lock of the dead
// process never blocks the restart.
func TestRepeatedSIGKILLWithRetries(t *testing.T) {
	data := t.TempDir()
	const admin, key = "crash-test-admin-token", "crash-test-server-key"
	args := []string{"--addr", "127.0.0.1:0", "--data", data, "--admin-token", admin, "--server-key", key}
	client := &http.Client{Timeout: 10 * time.Second}
	l := &retryLoad{acked: map[string]bool{}}
	var appid, token string
	var set int64
	const kills = 5
	for round := range kills + 1 {
		c := startChild(t, args...)
		if round == 0 {
			appid, token, set = tenantOf(t, client, c, admin)
		}
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan struct{})
		go func() { l.run(ctx, client, c, appid, token, set); close(done) }()
		if round < kills {
			time.Sleep(time.Duration(300+rand.IntN(1200)) * time.Millisecond)
			c.cmd.Process.Signal(syscall.SIGKILL)
			c.cmd.Wait()
			<-done
			cancel()
			continue
		}
		// Last round: let the retries drain, then stop cleanly.
		time.Sleep(time.Second)
		cancel()
		<-done
		for len(l.pending) > 0 {
			ctx, cancel := context.WithTimeout(context.Background(), time.Second)
			l.run(ctx, client, c, appid, token, set)
			cancel()
		}
		c.cmd.Process.Signal(syscall.SIGTERM)
		if err := c.cmd.Wait(); err != nil {
			t.Fatalf("exit after SIGTERM: %v", err)
		}
	}
	db, err := sqlite.Open(data + "/wxads.db")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	stored, total, err := db.ListActions(context.Background(), set, 0, 1<<30)
	if err != nil {
		t.Fatal(err)
	}
	count := map[string]int{}
	for _, a := range stored {
		count[a.OuterActionID]++
	}
	for id, n := range count {
		if n != 1 {
			t.Errorf("%s stored %d times", id, n)
		}
	}
	for id := range l.acked {
		if count[id] != 1 {
			t.Errorf("acknowledged %s stored %d times", id, count[id])
		}
	}
	if total != len(l.acked) {
		t.Errorf("%d stored, %d acknowledged: after every retry was answered they must match", total, len(l.acked))
	}
	t.Logf("%d SIGKILLs, %d actions acknowledged, each stored once; %d batches retried", kills, len(l.acked), l.retried)
}
