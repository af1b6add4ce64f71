// Command loadgen drives a running wxads server with user_actions/add
// batches and reports durable actions per second and latency percentiles.
//
//	go run ./bench/loadgen -base http://127.0.0.1:8080 -admin-token "$(cat wxads-data/admin-token)"
//
// It creates its own advertiser, app and data source through the admin API,
// so it can run against any server whose admin token it is given.
package main

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"slices"
	"sync"
	"sync/atomic"
	"time"
)

func main() {
	base := flag.String("base", "http://127.0.0.1:8080", "server base URL")
	admin := flag.String("admin-token", os.Getenv("WXADS_ADMIN_TOKEN"), "admin bearer token")
	workers := flag.Int("c", 16, "concurrent connections")
	dur := flag.Duration("d", 10*time.Second, "duration")
	batch := flag.Int("batch", 50, "actions per request (1-50)")
	flag.Parse()
	if err := run(*base, *admin, *workers, *batch, *dur); err != nil {
		fmt.Fprintln(os.Stderr, "loadgen:", err)
		os.Exit(1)
	}
}

type setup struct {
	appid, token string
	set          int64
}

func run(base, admin string, workers, batch int, dur time.Duration) error {
	client := &http.Client{Timeout: 30 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: workers}}
	s, err := prepare(client, base, admin)
	if err != nil {
		return err
	}
	url := fmt.Sprintf("%s/marketing/user_actions/add?version=v1.0&access_token=%s", base, s.token)
	var actions, requests, failures atomic.Int64
	var mu sync.Mutex
	var latencies []time.Duration
	ctx, cancel := context.WithTimeout(context.Background(), dur)
	defer cancel()
	start := time.Now()
	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var local []time.Duration
			for n := 0; ctx.Err() == nil; n++ {
				body := makeBatch(s, w, n, batch)
				t0 := time.Now()
				ok := post(client, url, body)
				local = append(local, time.Since(t0))
				requests.Add(1)
				if ok {
					actions.Add(int64(batch))
				} else {
					failures.Add(1)
				}
			}
			mu.Lock()
			latencies = append(latencies, local...)
			mu.Unlock()
		}()
	}
	wg.Wait()
	el := time.Since(start)
	slices.Sort(latencies)
	pct := func(p float64) time.Duration {
		if len(latencies) == 0 {
			return 0
		}
		return latencies[int(float64(len(latencies)-1)*p)]
	}
	fmt.Printf("workers=%d batch=%d duration=%s requests=%d failures=%d\n", workers, batch, el.Round(time.Millisecond),
		requests.Load(), failures.Load())
	fmt.Printf("durable actions/s: %.0f\n", float64(actions.Load())/el.Seconds())
	fmt.Printf("latency p50=%s p90=%s p99=%s max=%s\n", pct(.5), pct(.9), pct(.99), pct(1))
	return nil
}

func makeBatch(s setup, worker, n, size int) []byte {
	var buf bytes.Buffer
	buf.WriteString(`{"actions":[`)
	now := time.Now().Unix()
	for i := range size {
		if i > 0 {
			buf.WriteByte(',')
		}
		fmt.Fprintf(&buf, `{"user_action_set_id":%d,"url":"https://shop.example.com/item?id=%d","action_time":%d,`+
			`"action_type":"COMPLETE_ORDER","outer_action_id":"lg_%d_%d_%d_%d",`+
			`"user_id":{"wechat_app_id":"%s","wechat_openid":"%s"},`+
			`"action_param":{"source":"Biz","claim_type":1,"value":%d,"product_id":"sku-%d","price":12.345,"tags":["a","b"]}}`,
			s.set, i, now-int64(i), now, worker, n, i, s.appid, openID((worker*1000003+n*50+i)*7919%users), 1000+i, i)
	}
	buf.WriteString(`]}`)
	return buf.Bytes()
}

// users is how many distinct openids the batches name; the first half follow.
const users = 100000

// openID is user u's openid: 28 characters starting with 'o'.
func openID(u int) string { return fmt.Sprintf("oLoadGen%020d", u) }

func post(client *http.Client, url string, body []byte) bool {
	resp, err := client.Post(url, "application/json", bytes.NewReader(body))
	if err != nil {
		return false
	}
	defer resp.Body.Close()
	var env struct{ Errcode int }
	raw, _ := io.ReadAll(resp.Body)
	return resp.StatusCode == http.StatusOK && json.Unmarshal(raw, &env) == nil && env.Errcode == 0
}

func prepare(client *http.Client, base, admin string) (setup, error) {
	var s setup
	var adv struct {
		Data struct {
			AccountID int64 `json:"account_id"`
		}
	}
	if err := callJSON(client, "POST", base+"/admin/v1/advertisers", admin, map[string]any{"name": "loadgen"}, &adv); err != nil {
		return s, err
	}
	var app struct {
		Data struct{ AppID, Secret string }
	}
	if err := callJSON(client, "POST", base+"/admin/v1/apps", admin,
		map[string]any{"account_id": adv.Data.AccountID, "name": "loadgen"}, &app); err != nil {
		return s, err
	}
	var tok struct {
		AccessToken string `json:"access_token"`
	}
	if err := callJSON(client, "GET", fmt.Sprintf("%s/cgi-bin/token?grant_type=client_credential&appid=%s&secret=%s",
		base, app.Data.AppID, app.Data.Secret), "", nil, &tok); err != nil {
		return s, err
	}
	var set struct {
		Errcode int
		Errmsg  string
		Data    struct {
			ID int64 `json:"user_action_set_id"`
		}
	}
	if err := callJSON(client, "POST", base+"/marketing/user_action_sets/add?access_token="+tok.AccessToken, "",
		map[string]any{"type": "WECHAT", "name": fmt.Sprint("loadgen-", time.Now().UnixNano()), "wechat_app_id": app.Data.AppID}, &set); err != nil {
		return s, err
	}
	if set.Errcode != 0 {
		return s, fmt.Errorf("create set: %d %s", set.Errcode, set.Errmsg)
	}
	// Half of the users the batches name are followers, so identification,
	// attribution look-ups and distinct-user rollups do real work.
	for lo := 0; lo < users/2; lo += 10000 {
		openids := make([]string, 0, 10000)
		for u := lo; u < min(lo+10000, users/2); u++ {
			openids = append(openids, openID(u))
		}
		var f struct{ Errcode int }
		if err := callJSON(client, "POST", base+"/admin/v1/apps/"+app.Data.AppID+"/followers", admin,
			map[string]any{"openids": openids}, &f); err != nil {
			return s, err
		}
	}
	return setup{appid: app.Data.AppID, token: tok.AccessToken, set: set.Data.ID}, nil
}

func callJSON(client *http.Client, method, url, bearer string, body, out any) error {
	var rd io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequest(method, url, rd)
	if err != nil {
		return err
	}
	if bearer != "" {
		req.Header.Set("Authorization", "Bearer "+bearer)
	}
	resp, err := client.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("%s %s: HTTP %d %s", method, url, resp.StatusCode, raw)
	}
	return json.Unmarshal(raw, out)
}
