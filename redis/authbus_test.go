package redis_test

import (
	"context"
	"fmt"
	"os"
	"slices"
	"sync"
	"testing"
	"time"

	goredis "github.com/redis/go-redis/v9"

	"github.com/wxads/wxads/redis"
)

const testLease = 300 * time.Millisecond

// busNode is one node's bus and what it was told.
type busNode struct {
	bus *redis.AuthBus
	mu  sync.Mutex
	got []string
}

func (n *busNode) scopes() []string {
	n.mu.Lock()
	defer n.mu.Unlock()
	return slices.Clone(n.got)
}

func startBus(t *testing.T, s *redis.NonceStore, prefix string) *busNode {
	t.Helper()
	n := &busNode{bus: s.AuthBus(prefix, testLease)}
	n.bus.Subscribe(func(scope string) {
		n.mu.Lock()
		n.got = append(n.got, scope)
		n.mu.Unlock()
	})
	t.Cleanup(n.bus.Close)
	return n
}

// waitFor polls cond for up to d.
func waitFor(t *testing.T, d time.Duration, what string, cond func() bool) {
	t.Helper()
	for end := time.Now().Add(d); !cond(); time.Sleep(5 * time.Millisecond) {
		if time.Now().After(end) {
			t.Fatalf("after %v: %s", d, what)
		}
	}
}

func rawClient(t *testing.T) *goredis.Client {
	url := os.Getenv("WXADS_TEST_REDIS")
	if url == "" {
		url = "redis://127.0.0.1:6379/0"
	}
	opts, err := goredis.ParseURL(url)
	if err != nil {
		t.Fatal(err)
	}
	c := goredis.NewClient(opts)
	t.Cleanup(func() { c.Close() })
	return c
}

// A publish returns only once every live node has applied it: no window in
// which another node still trusts what the write changed.
func TestAuthBusPublishReachesEveryNode(t *testing.T) {
	s := openTest(t)
	prefix := fmt.Sprintf("wxads-test:auth:%d", time.Now().UnixNano())
	a, b := startBus(t, s, prefix), startBus(t, s, prefix)
	waitFor(t, 5*time.Second, "both nodes live", func() bool { return a.bus.Live() && b.bus.Live() })
	for i := range 20 {
		scope := fmt.Sprintf("app:wx%016d", i)
		start := time.Now()
		if err := a.bus.Publish(context.Background(), scope); err != nil {
			t.Fatal(err)
		}
		if !slices.Contains(b.scopes(), scope) || !slices.Contains(a.scopes(), scope) {
			t.Fatalf("Publish(%s) returned before both nodes applied it: a %v, b %v", scope, a.scopes(), b.scopes())
		}
		if d := time.Since(start); d >= testLease {
			t.Fatalf("Publish took %v: it waited out the lease although every node acked", d)
		}
	}
}

// A dropped subscription costs the node its cache and its lease at once;
// it resubscribes and is live again.
func TestAuthBusSubscriptionKilled(t *testing.T) {
	s := openTest(t)
	prefix := fmt.Sprintf("wxads-test:auth:%d", time.Now().UnixNano())
	a := startBus(t, s, prefix)
	waitFor(t, 5*time.Second, "live", a.bus.Live)
	before := len(a.scopes())
	if err := rawClient(t).Do(context.Background(), "CLIENT", "KILL", "TYPE", "pubsub").Err(); err != nil {
		t.Fatal(err)
	}
	waitFor(t, 2*time.Second, "cache dropped", func() bool { return slices.Contains(a.scopes()[before:], "*") })
	waitFor(t, 5*time.Second, "live again", a.bus.Live)
}

// A node that is registered but answers nothing (here: a registration with
// no process behind it) makes a write wait out the lease, and no longer.
func TestAuthBusWaitsOutSilentNode(t *testing.T) {
	s := openTest(t)
	prefix := fmt.Sprintf("wxads-test:auth:%d", time.Now().UnixNano())
	a := startBus(t, s, prefix)
	waitFor(t, 5*time.Second, "live", a.bus.Live)
	c := rawClient(t)
	ctx := context.Background()
	now, err := c.Time(ctx).Result()
	if err != nil {
		t.Fatal(err)
	}
	c.ZAdd(ctx, prefix+":nodes", goredis.Z{Score: float64(now.Add(time.Minute).UnixMilli()), Member: "silent"})
	t.Cleanup(func() { c.Del(ctx, prefix+":nodes") })
	start := time.Now()
	if err := a.bus.Publish(ctx, "*"); err != nil {
		t.Fatal(err)
	}
	if d := time.Since(start); d < testLease || d > 3*testLease {
		t.Fatalf("Publish with a silent node took %v; want about the lease %v", d, testLease)
	}
}

// BenchmarkAuthBusPublish is what an auth write adds on a deployment of
// three nodes: the script round trip and every node's ack.
//
//	go test -run '^$' -bench AuthBusPublish ./redis/
func BenchmarkAuthBusPublish(b *testing.B) {
	s := openTestB(b)
	prefix := fmt.Sprintf("wxads-test:auth:%d", time.Now().UnixNano())
	var buses []*redis.AuthBus
	for range 3 {
		bus := s.AuthBus(prefix, testLease)
		bus.Subscribe(func(string) {})
		b.Cleanup(bus.Close)
		buses = append(buses, bus)
	}
	for end := time.Now().Add(5 * time.Second); !buses[0].Live() || !buses[1].Live() || !buses[2].Live(); time.Sleep(5 * time.Millisecond) {
		if time.Now().After(end) {
			b.Fatal("not live")
		}
	}
	ctx := context.Background()
	for b.Loop() {
		if err := buses[0].Publish(ctx, "app:wx0000000000000000"); err != nil {
			b.Fatal(err)
		}
	}
}

func openTestB(b *testing.B) *redis.NonceStore {
	url := os.Getenv("WXADS_TEST_REDIS")
	if url == "" {
		url = "redis://127.0.0.1:6379/0"
	}
	s, err := redis.Open(context.Background(), url)
	if err != nil {
		if os.Getenv("CI") != "" || os.Getenv("WXADS_REQUIRE_SERVICES") != "" {
			b.Fatalf("Redis required in CI: %v", err)
		}
		b.Skipf("no Redis: %v", err)
	}
	b.Cleanup(func() { s.Close() })
	return s
}
