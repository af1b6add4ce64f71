package server_test

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"sync/atomic"
	"testing"

	"github.com/wxads/wxads"
	"github.com/wxads/wxads/redis"
	"github.com/wxads/wxads/server"
)

// downStores fails every advertiser read while down is set, as a database
// that stopped answering would.
type downStores struct {
	server.Stores
	down atomic.Bool
}

func (d *downStores) Advertiser(ctx context.Context, id int64) (*wxads.Advertiser, error) {
	if d.down.Load() {
		return nil, errors.New("database is gone")
	}
	return d.Stores.Advertiser(ctx, id)
}

func readyz(t *testing.T, h *harness) (int, map[string]string) {
	t.Helper()
	resp, err := http.Get(h.srv.URL + "/readyz")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var body map[string]string
	json.NewDecoder(resp.Body).Decode(&body)
	return resp.StatusCode, body
}

// GET /readyz is 200 while the database (and Redis, when it holds the
// nonces) answers, else 503 naming the one that does not (SPEC §2).
func TestReadyz(t *testing.T) {
	var stores *downStores
	h := newHarness(t, func(c *server.Config) {
		stores = &downStores{Stores: c.Stores}
		c.Stores = stores
	})
	if code, body := readyz(t, h); code != 200 || body["status"] != "ok" {
		t.Fatalf("ready: %d %v", code, body)
	}
	stores.down.Store(true)
	if code, body := readyz(t, h); code != 503 || body["failing"] != "database" {
		t.Fatalf("database down: %d %v, want 503 naming database", code, body)
	}
	if resp, err := http.Get(h.srv.URL + "/healthz"); err != nil || resp.StatusCode != 200 {
		t.Fatalf("healthz is liveness only: %v %v", resp, err)
	}
}

func TestReadyzRedis(t *testing.T) {
	var r *redis.NonceStore
	for name, opt := range nonceStores(t) {
		if name != "redis" {
			continue
		}
		h := newHarness(t, opt, func(c *server.Config) { r = c.Nonces.(*redis.NonceStore) })
		if code, body := readyz(t, h); code != 200 {
			t.Fatalf("ready: %d %v", code, body)
		}
		r.Close()
		if code, body := readyz(t, h); code != 503 || body["failing"] != "redis" {
			t.Fatalf("redis closed: %d %v, want 503 naming redis", code, body)
		}
		return
	}
	t.Skip("no Redis")
}
