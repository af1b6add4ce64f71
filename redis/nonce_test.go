package redis_test

import (
	"context"
	"fmt"
	"os"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/wxads/wxads/redis"
)

// openTest connects to WXADS_TEST_REDIS (default redis://127.0.0.1:6379/0).
// Without a Redis the test skips on a laptop but fails in CI.
func openTest(t *testing.T) *redis.NonceStore {
	t.Helper()
	url := os.Getenv("WXADS_TEST_REDIS")
	if url == "" {
		url = "redis://127.0.0.1:6379/0"
	}
	s, err := redis.Open(context.Background(), url)
	if err != nil {
		if os.Getenv("CI") != "" || os.Getenv("WXADS_REQUIRE_SERVICES") != "" {
			t.Fatalf("Redis required in CI: %v", err)
		}
		t.Skipf("no Redis: %v", err)
	}
	t.Cleanup(func() { s.Close() })
	return s.WithPrefix(fmt.Sprintf("wxads-test:%d:%s:", time.Now().UnixNano(), t.Name()))
}

func TestNonceStore(t *testing.T) {
	s := openTest(t)
	ctx := context.Background()
	for _, c := range []struct {
		scope, nonce string
		fresh        bool
	}{
		{"tokA", "n1", true},
		{"tokA", "n1", false},
		{"tokB", "n1", true},
		{"tok", "An1", true}, // scope and nonce never run together
		{"tokA", "n2", true},
	} {
		fresh, err := s.Use(ctx, c.scope, c.nonce, time.Minute)
		if err != nil || fresh != c.fresh {
			t.Fatalf("Use(%q, %q) = %v, %v; want %v", c.scope, c.nonce, fresh, err, c.fresh)
		}
	}
}

func TestNonceExpires(t *testing.T) {
	s := openTest(t)
	ctx := context.Background()
	if fresh, _ := s.Use(ctx, "t", "short", 50*time.Millisecond); !fresh {
		t.Fatal("first use not fresh")
	}
	time.Sleep(120 * time.Millisecond)
	if fresh, err := s.Use(ctx, "t", "short", time.Minute); err != nil || !fresh {
		t.Fatalf("after expiry: %v %v", fresh, err)
	}
}

// Two nodes racing on one nonce: exactly one wins.
func TestNonceRaceOneWinner(t *testing.T) {
	s := openTest(t)
	var wins atomic.Int32
	var wg sync.WaitGroup
	for range 16 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if fresh, err := s.Use(context.Background(), "t", "race", time.Minute); err == nil && fresh {
				wins.Add(1)
			}
		}()
	}
	wg.Wait()
	if wins.Load() != 1 {
		t.Fatalf("%d winners", wins.Load())
	}
}
