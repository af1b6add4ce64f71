package main

import (
	"context"
	"fmt"
	"net/url"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/wxads/wxads"
)

// uploads of the multi-node tests: batches of REGISTER actions with the
// given outer_action_ids, action_time left to the platform clock (now).
func uploadBody(set int64, appid string, ids []string) map[string]any {
	actions := make([]map[string]any, len(ids))
	for i, id := range ids {
		actions[i] = map[string]any{"user_action_set_id": set, "url": "https://m.example/x",
			"action_type": "REGISTER", "outer_action_id": id,
			"user_id":      map[string]any{"wechat_app_id": appid, "wechat_openid": fmt.Sprintf("o%027d", i%7)},
			"action_param": map[string]any{"source": "Web", "claim_type": 0}}
	}
	return map[string]any{"actions": actions}
}

type uploadResult struct {
	Errcode int
	Data    struct {
		Accepted, Duplicates int
		Failed               []any
	}
}

func (c *cluster) upload(node int, token string, body map[string]any) (uploadResult, error) {
	var res uploadResult
	err := call(c.client, "POST", c.nodes[node].base+"/marketing/user_actions/add?partial_failure=true&access_token="+token,
		"", body, &res)
	return res, err
}

func (c *cluster) createSet(t *testing.T, node int, token, name string) int64 {
	t.Helper()
	var res struct {
		Errcode int
		Data    struct {
			ID int64 `json:"user_action_set_id"`
		}
	}
	if err := call(c.client, "POST", c.nodes[node].base+"/marketing/user_action_sets/add?access_token="+token, "",
		map[string]any{"type": "WEB", "name": name}, &res); err != nil || res.Errcode != 0 {
		t.Fatalf("create set on node %d: %v %+v", node, err, res)
	}
	return res.Data.ID
}

// reportRaw is the day's raw count of set in a daily report from node.
func (c *cluster) reportRaw(t *testing.T, node int, token string, set int64) int64 {
	t.Helper()
	day := time.Now().In(wxads.CST).Format(wxads.DateLayout)
	q := url.Values{"access_token": {token}, "user_action_set_id": {fmt.Sprint(set)}, "time_granularity": {"DAILY"},
		"date_range": {fmt.Sprintf(`{"start_date":%q,"end_date":%q}`, day, day)}}
	var res struct {
		Errcode int
		Data    struct {
			List []struct {
				Raw int64 `json:"raw_action_count"`
			}
		}
	}
	if err := call(c.client, "GET", c.nodes[node].base+"/marketing/user_action_set_reports/get?"+q.Encode(), "", nil, &res); err != nil || res.Errcode != 0 {
		t.Fatalf("report from node %d: %v %+v", node, err, res)
	}
	var raw int64
	for _, r := range res.Data.List {
		raw += r.Raw
	}
	return raw
}

func TestMultiNodeIngest(t *testing.T) {
	c := startCluster(t, 3)
	ten := c.tenant(t, 0)
	tok := c.token(t, 0, ten)
	set := c.createSet(t, 1, tok, "load")

	t.Run("SameKeysAtOnce", func(t *testing.T) {
		ids := make([]string, 50)
		for i := range ids {
			ids[i] = fmt.Sprint("same_", i)
		}
		var mu sync.Mutex
		accepted := 0
		var wg sync.WaitGroup
		for i := range 6 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				res, err := c.upload(i%2, tok, uploadBody(set, ten.appid, ids))
				if err != nil || res.Errcode != 0 || len(res.Data.Failed) > 0 {
					t.Errorf("upload to node %d: %v, errcode %d, %d failed", i%2, err, res.Errcode, len(res.Data.Failed))
				}
				mu.Lock()
				accepted += res.Data.Accepted
				mu.Unlock()
			}()
		}
		wg.Wait()
		if rows, distinct := c.brute(t, set); accepted != 50 || rows != 50 || distinct != 50 {
			t.Errorf("same 50 ids sent 6 times to two nodes: %d accepted, %d rows, %d distinct; want 50 each",
				accepted, rows, distinct)
		}
	})

	t.Run("SIGKILLMidLoad", func(t *testing.T) {
		ctx, stop := context.WithCancel(context.Background())
		var mu sync.Mutex
		sent := 0
		var wg sync.WaitGroup
		for w := range 4 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for b := 0; ctx.Err() == nil; b++ {
					ids := make([]string, 50)
					for i := range ids {
						ids[i] = fmt.Sprintf("w%d_b%d_i%d", w, b, i)
					}
					if !c.deliver(w+b, tok, uploadBody(set, ten.appid, ids)) {
						t.Errorf("batch w%d-b%d was never acknowledged by any node", w, b)
						return
					}
					mu.Lock()
					sent += len(ids)
					mu.Unlock()
				}
			}()
		}
		time.Sleep(2 * time.Second)
		c.nodes[0].cmd.Process.Signal(syscall.SIGKILL)
		c.nodes[0].cmd.Wait()
		time.Sleep(time.Second)
		stop()
		wg.Wait()
		rows, distinct := c.brute(t, set)
		t.Logf("%d actions acknowledged under load, node 0 killed; %d rows stored", sent, rows-50)
		if rows != distinct || rows != sent+50 {
			t.Errorf("stored %d rows with %d distinct ids, want exactly the %d acknowledged + 50", rows, distinct, sent)
		}
		for _, node := range []int{1, 2} {
			if raw := c.reportRaw(t, node, tok, set); raw != int64(rows) {
				t.Errorf("report from node %d: raw %d, brute-force count %d", node, raw, rows)
			}
		}
	})
}

// deliver sends one batch until a node acknowledges it, starting at node
// first and moving to the next on a failure, as a client behind a load
// balancer retries: false if none did in 30 attempts.
func (c *cluster) deliver(first int, token string, body map[string]any) bool {
	for attempt := range 30 {
		res, err := c.upload((first+attempt)%len(c.nodes), token, body)
		if err == nil && res.Errcode == 0 && len(res.Data.Failed) == 0 {
			return true
		}
		time.Sleep(50 * time.Millisecond)
	}
	return false
}
