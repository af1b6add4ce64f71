//go:build soak

package main

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// TestSoak runs the server at about 70 % of the upload peak it measures
// first, for WXADS_SOAK (default 10m), and requires RSS and goroutines to
// stay flat: the last fifth's average within 20 % (RSS) and +20 goroutines of
// the second fifth's (the first warms caches). Not in CI:
//
//	WXADS_SOAK=10m go test -tags soak -run TestSoak -timeout 30m -v ./cmd/wxads
func TestSoak(t *testing.T) {
	d := 10 * time.Minute
	if v := os.Getenv("WXADS_SOAK"); v != "" {
		var err error
		if d, err = time.ParseDuration(v); err != nil {
			t.Fatal(err)
		}
	}
	const admin = "soak-test-admin-token"
	m := startMain(t, "--addr", "127.0.0.1:0", "--data", t.TempDir(), "--admin-token", admin)
	defer m.Close()
	c := &child{base: m.base}
	client := &http.Client{Timeout: 10 * time.Second}
	appid, token, set := tenantOf(t, client, c, admin)
	var seq, sent, failed atomic.Int64
	post := func() {
		n := seq.Add(1)
		actions := make([]map[string]any, 50)
		for i := range actions {
			actions[i] = map[string]any{"user_action_set_id": set, "url": "https://s.example/x", "action_type": "REGISTER",
				"outer_action_id": fmt.Sprintf("s%d_%d", n, i), "user_id": map[string]any{"wechat_app_id": appid,
					"wechat_openid": "oSoak"}, "action_param": map[string]any{"source": "Web", "claim_type": 0}}
		}
		var res struct{ Errcode int }
		if err := call(client, "POST", m.base+"/marketing/user_actions/add?access_token="+token, "",
			map[string]any{"actions": actions}, &res); err != nil || res.Errcode != 0 {
			failed.Add(1)
		}
		sent.Add(1)
	}
	// Peak: 8 workers flat out for 10 s.
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	var wg sync.WaitGroup
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for ctx.Err() == nil {
				post()
			}
		}()
	}
	wg.Wait()
	cancel()
	peak := float64(sent.Load()) / 10
	rate := 0.7 * peak
	t.Logf("peak %.0f batches/s (%.0f actions/s); soaking at %.0f batches/s for %v", peak, 50*peak, rate, d)
	sent.Store(0)

	type sample struct{ rss, goroutines, heap int }
	var samples []sample
	tick := time.NewTicker(time.Duration(float64(time.Second) / rate))
	defer tick.Stop()
	every := time.NewTicker(5 * time.Second)
	defer every.Stop()
	sem := make(chan struct{}, 32)
	end := time.After(d)
loop:
	for {
		select {
		case <-end:
			break loop
		case <-every.C:
			var ms runtime.MemStats
			runtime.ReadMemStats(&ms)
			samples = append(samples, sample{rssKiB(), runtime.NumGoroutine(), int(ms.HeapInuse >> 10)})
		case <-tick.C:
			sem <- struct{}{}
			go func() { post(); <-sem }()
		}
	}
	for range cap(sem) {
		sem <- struct{}{}
	}
	avg := func(s []sample) (rss, g, heap float64) {
		for _, x := range s {
			rss += float64(x.rss)
			g += float64(x.goroutines)
			heap += float64(x.heap)
		}
		n := float64(len(s))
		return rss / n, g / n, heap / n
	}
	fifth := len(samples) / 5
	if fifth == 0 {
		t.Fatalf("too short: %d samples", len(samples))
	}
	rss2, g2, heap2 := avg(samples[fifth : 2*fifth])
	rss5, g5, heap5 := avg(samples[4*fifth:])
	t.Logf("%d batches (%d failed) in %v; RSS %.0f → %.0f MiB, Go heap in use %.0f → %.0f MiB, goroutines %.0f → %.0f "+
		"(second vs last fifth; RSS and heap include the load generator, in the same process)",
		sent.Load(), failed.Load(), d, rss2/1024, rss5/1024, heap2/1024, heap5/1024, g2, g5)
	// The inspector's queue is bounded (32 MiB of records); when its writer
	// falls behind the upload rate the queue fills to that bound and drops,
	// which shows here as heap growth that stops.
	st := m.srv.InspectorStats()
	t.Logf("inspector: %d records written, %d dropped (queue full), %d failed", st.Written, st.Dropped, st.Failed)
	if rss5 > 1.2*rss2 || g5 > g2+20 {
		t.Errorf("not flat: RSS %.0f → %.0f KiB, goroutines %.0f → %.0f", rss2, rss5, g2, g5)
	}
}

func rssKiB() int {
	b, _ := os.ReadFile("/proc/self/status")
	for _, line := range strings.Split(string(b), "\n") {
		if f := strings.Fields(line); len(f) >= 2 && f[0] == "VmRSS:" {
			n, _ := strconv.Atoi(f[1])
			return n
		}
	}
	return 0
}
