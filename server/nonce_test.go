package server_test

import (
	"context"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/wxads/wxads"
	"github.com/wxads/wxads/inmem"
	"github.com/wxads/wxads/redis"
	"github.com/wxads/wxads/server"
)

// nonceStores are the stores the replay tests run on: in-process always,
// Redis when it answers (in CI it must).
func nonceStores(t *testing.T) map[string]func(*server.Config) {
	stores := map[string]func(*server.Config){
		"inmem": func(c *server.Config) { c.Nonces = inmem.NewNonceStore(c.FakeClock) },
	}
	url := os.Getenv("WXADS_TEST_REDIS")
	if url == "" {
		url = "redis://127.0.0.1:6379/0"
	}
	r, err := redis.Open(context.Background(), url)
	switch {
	case err == nil:
		t.Cleanup(func() { r.Close() })
		prefix := fmt.Sprintf("wxads-test:%d:%s:", time.Now().UnixNano(), t.Name())
		stores["redis"] = func(c *server.Config) { c.Nonces = r.WithPrefix(prefix) }
	case os.Getenv("CI") != "" || os.Getenv("WXADS_REQUIRE_SERVICES") != "":
		t.Fatalf("Redis required in CI: %v", err)
	default:
		t.Logf("no Redis, inmem only: %v", err)
	}
	return stores
}

// Issue 12 item 4: a nonce sent with timestamp T+300 at T must stay refused
// for as long as that timestamp can pass (until T+600), not for 600 s from
// T only. Before, T+600 accepted the replay.
func TestV11NonceKeptWhileItsTimestampPasses(t *testing.T) {
	for name, opt := range nonceStores(t) {
		t.Run(name, func(t *testing.T) {
			h := newHarness(t, opt)
			tn := h.newTenant()
			T := h.clock.Now().Unix()
			ahead := map[string]string{"nonce": "edge", "timestamp": fmt.Sprint(T + server.TimestampSkew)}
			mustOK(t, h.v11(tn, ahead))
			wantCode(t, h.v11(tn, ahead), wxads.CodeBadFormat) // replay at T
			h.clock.Advance(2 * server.TimestampSkew * time.Second)
			e := h.v11(tn, ahead) // T+600: the timestamp still passes, so must the refusal
			wantCode(t, e, wxads.CodeBadFormat)
			if e.Message == "" || !strings.Contains(e.Message, "nonce") {
				t.Fatalf("replay at T+600: %s, want 18005 naming nonce", e.Raw)
			}
			h.clock.Advance(time.Second) // T+601: now the timestamp itself is refused
			e = h.v11(tn, ahead)
			wantCode(t, e, wxads.CodeBadFormat)
			if !strings.Contains(e.Message, "timestamp") {
				t.Fatalf("at T+601: %s, want 18005 naming timestamp", e.Raw)
			}
		})
	}
}

// A full nonce store answers -1 (system busy), never accepts unrecorded.
func TestV11NonceStoreFull(t *testing.T) {
	h := newHarness(t, func(c *server.Config) { c.Nonces = inmem.NewNonceStoreCap(c.FakeClock, 3) })
	tn := h.newTenant()
	for range 3 {
		mustOK(t, h.v11(tn, nil))
	}
	wantCode(t, h.v11(tn, nil), wxads.CodeSystemBusy)
}
