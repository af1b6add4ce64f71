package server_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http/httptest"
	"os"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	goredis "github.com/redis/go-redis/v9"

	"github.com/wxads/wxads"
	"github.com/wxads/wxads/inmem"
	"github.com/wxads/wxads/postgres"
	"github.com/wxads/wxads/postgres/pgtest"
	"github.com/wxads/wxads/redis"
	"github.com/wxads/wxads/server"
)

// busLease is the tests' lease: short, so a write that must wait one out
// (a node that cannot ack) costs little.
const busLease = 300 * time.Millisecond

func redisURL() string {
	if u := os.Getenv("WXADS_TEST_REDIS"); u != "" {
		return u
	}
	return "redis://127.0.0.1:6379/0"
}

// busNet is one deployment's invalidation channel on the test's Redis.
type busNet struct {
	rs     *redis.NonceStore
	prefix string
}

func newBusNet(t testing.TB) *busNet {
	t.Helper()
	rs, err := redis.Open(context.Background(), redisURL())
	if err != nil {
		if os.Getenv("CI") != "" || os.Getenv("WXADS_REQUIRE_SERVICES") != "" {
			t.Fatalf("Redis required in CI: %v", err)
		}
		t.Skipf("no Redis: %v", err)
	}
	t.Cleanup(func() { rs.Close() })
	return &busNet{rs: rs, prefix: fmt.Sprintf("wxads-test:auth:%d", time.Now().UnixNano())}
}

// node gives cfg a bus of its own on the net (each node has its own).
func (n *busNet) node(t testing.TB) func(*server.Config) {
	return func(cfg *server.Config) {
		b := n.rs.AuthBus(n.prefix, busLease)
		t.Cleanup(b.Close)
		cfg.AuthBus = b
	}
}

// live waits until every node may use its cache.
func live(t testing.TB, hs ...*harness) {
	t.Helper()
	for end := time.Now().Add(5 * time.Second); ; time.Sleep(5 * time.Millisecond) {
		ok := true
		for _, h := range hs {
			ok = ok && h.cfg.AuthBus.Live()
		}
		if ok {
			return
		}
		if time.Now().After(end) {
			t.Fatal("the nodes' subscriptions never became live")
		}
	}
}

func srvOf(h *harness) *server.Server { return h.srv.Config.Handler.(*server.Server) }

// warm uses token until it answers from the cache.
func warm(t testing.TB, h *harness, token string) {
	t.Helper()
	mustOK(t, h.useToken(token))
	if !srvOf(h).AuthCached(token) {
		t.Fatal("the token's caller is not cached after a successful call")
	}
}

// pgNodes starts n servers on one fresh PostgreSQL schema, each with its
// own bus on one Redis net, sharing one fake clock (as the nodes of a
// deployment share real time).
func pgNodes(t *testing.T, n int) []*harness {
	t.Helper()
	url := pgtest.FreshSchema(t)
	net := newBusNet(t)
	clock := &wxads.FakeClock{Frozen: true}
	clock.Set(harnessNow)
	var hs []*harness
	for range n {
		db, err := postgres.Open(context.Background(), url)
		if err != nil {
			t.Fatal(err)
		}
		cfg := server.Config{Stores: db, Nonces: inmem.NewNonceStore(clock), FakeClock: clock, AdminToken: adminToken,
			ServerKey: []byte("test-server-key"), Logger: slog.New(slog.NewTextHandler(io.Discard, nil))}
		net.node(t)(&cfg)
		h := &harness{t: t, clock: clock, cfg: cfg, srv: httptest.NewServer(server.New(cfg))}
		t.Cleanup(func() { h.srv.Close(); db.Close() })
		hs = append(hs, h)
	}
	live(t, hs...)
	return hs
}

// A node whose subscription is dropped bypasses its cache until it is
// subscribed again: a revoke it never heard of still acts.
func TestAuthCacheSubscriptionDropped(t *testing.T) {
	hs := pgNodes(t, 2)
	a, b := hs[0], hs[1]
	tn := a.newTenant()
	warm(t, a, tn.Token)
	kill := goredis.NewClient(mustParse(t, redisURL()))
	defer kill.Close()
	if err := kill.Do(context.Background(), "CLIENT", "KILL", "TYPE", "pubsub").Err(); err != nil {
		t.Fatal(err)
	}
	// At once, through the other node: it waits out a's lease, as a's ack
	// cannot come.
	mustOK(t, b.admin("POST", "/admin/v1/apps/"+tn.AppID+"/revoke_tokens", nil))
	wantCode(t, a.useToken(tn.Token), wxads.CodeInvalidCredential)

	// Behind every node's back (straight into the store): once a has seen
	// its subscription drop, it asks the store.
	tn2 := a.newTenant()
	live(t, a, b)
	warm(t, a, tn2.Token)
	if err := kill.Do(context.Background(), "CLIENT", "KILL", "TYPE", "pubsub").Err(); err != nil {
		t.Fatal(err)
	}
	for end := time.Now().Add(2 * time.Second); srvOf(a).AuthCached(tn2.Token); time.Sleep(time.Millisecond) {
		if time.Now().After(end) {
			t.Fatal("the node still trusts its cache 2 s after its subscription was killed")
		}
	}
	if err := a.cfg.Stores.RevokeTokens(context.Background(), tn2.AppID, a.clock.Now().Unix()); err != nil {
		t.Fatal(err)
	}
	wantCode(t, a.useToken(tn2.Token), wxads.CodeInvalidCredential)
	live(t, a, b) // and it comes back
	tn3 := a.newTenant()
	warm(t, a, tn3.Token)
}

func mustParse(t *testing.T, url string) *goredis.Options {
	o, err := goredis.ParseURL(url)
	if err != nil {
		t.Fatal(err)
	}
	return o
}

// BenchmarkTokenCheckBus is BenchmarkTokenCheck on a node with a Redis bus
// (the many-node set-up): a cached check also reads the lease.
//
//	go test -run '^$' -bench TokenCheck -benchmem ./server/
func BenchmarkTokenCheckBus(b *testing.B) {
	h := newHarness(b, newBusNet(b).node(b))
	live(b, h)
	tn := h.newTenant()
	s := srvOf(h)
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		if err := s.CheckToken(ctx, tn.Token); err != nil {
			b.Fatal(err)
		}
	}
	if !s.AuthCached(tn.Token) {
		b.Fatal("not answered from the cache")
	}
}

// Checks hammer node b while node a revokes: no check that starts after
// the revoke was answered may pass, whatever b's cache was doing.
func TestAuthCacheRevokeUnderLoad(t *testing.T) {
	hs := pgNodes(t, 2)
	a, b := hs[0], hs[1]
	sb := srvOf(b)
	for round := range 10 {
		tn := a.newTenant()
		warm(t, b, tn.Token)
		var answered atomic.Int64 // unix nanos once the revoke is answered
		stop := make(chan struct{})
		var wg sync.WaitGroup
		var late atomic.Int64
		for range 4 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for {
					select {
					case <-stop:
						return
					default:
					}
					after := answered.Load() != 0
					if err := sb.CheckToken(context.Background(), tn.Token); err == nil && after {
						late.Add(1)
					}
				}
			}()
		}
		time.Sleep(20 * time.Millisecond)
		mustOK(t, a.admin("POST", "/admin/v1/apps/"+tn.AppID+"/revoke_tokens", nil))
		answered.Store(time.Now().UnixNano())
		time.Sleep(20 * time.Millisecond)
		close(stop)
		wg.Wait()
		if n := late.Load(); n > 0 {
			t.Fatalf("round %d: %d checks on the other node passed after the revoke was answered", round, n)
		}
	}
}
