package inmem_test

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/wxads/wxads"
	"github.com/wxads/wxads/inmem"
)

func TestNonceStore(t *testing.T) {
	s := inmem.NewNonceStore(wxads.SystemClock{})
	ctx := context.Background()
	for _, c := range []struct {
		scope, nonce string
		fresh        bool
	}{
		{"a", "n1", true}, {"a", "n1", false}, {"b", "n1", true}, {"a", "n2", true},
	} {
		if fresh, err := s.Use(ctx, c.scope, c.nonce, time.Minute); err != nil || fresh != c.fresh {
			t.Fatalf("Use(%q, %q) = %v, %v", c.scope, c.nonce, fresh, err)
		}
	}
	if fresh, _ := s.Use(ctx, "c", "short", 20*time.Millisecond); !fresh {
		t.Fatal("first use not fresh")
	}
	time.Sleep(40 * time.Millisecond)
	if fresh, _ := s.Use(ctx, "c", "short", time.Minute); !fresh {
		t.Fatal("nonce not forgotten after its ttl")
	}
}

func TestNonceStoreOneWinner(t *testing.T) {
	s := inmem.NewNonceStore(wxads.SystemClock{})
	var wins atomic.Int32
	var wg sync.WaitGroup
	for range 32 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if fresh, _ := s.Use(context.Background(), "t", "race", time.Minute); fresh {
				wins.Add(1)
			}
		}()
	}
	wg.Wait()
	if wins.Load() != 1 {
		t.Fatalf("%d winners", wins.Load())
	}
}

// The store holds at most its cap of unexpired nonces and says so; expired
// ones make room again.
func TestNonceStoreCap(t *testing.T) {
	clock := &wxads.FakeClock{}
	clock.Set(time.Unix(1_800_000_000, 0))
	s := inmem.NewNonceStoreCap(clock, 100)
	ctx := context.Background()
	for i := range 100 {
		if fresh, err := s.Use(ctx, "t", fmt.Sprint(i), time.Minute); !fresh || err != nil {
			t.Fatalf("nonce %d: %v %v", i, fresh, err)
		}
	}
	if _, err := s.Use(ctx, "t", "one too many", time.Minute); !errors.Is(err, inmem.ErrFull) {
		t.Fatalf("past the cap: err %v, want ErrFull", err)
	}
	if fresh, err := s.Use(ctx, "t", "5", time.Minute); fresh || err != nil {
		t.Fatalf("a held nonce at the cap: %v %v, want a replay", fresh, err)
	}
	clock.Advance(61 * time.Second)
	if fresh, err := s.Use(ctx, "t", "after expiry", time.Minute); !fresh || err != nil {
		t.Fatalf("after the others expired: %v %v", fresh, err)
	}
	if n := s.Len(); n != 1 {
		t.Fatalf("%d nonces held after the sweep, want 1", n)
	}
}

// TestNonceEntryCost measures the heap an entry costs, with the longest
// scope (a token hash in hex) and nonce (32 chars) the server sends, and
// keeps it near the figure DefaultMaxNonces is sized by.
func TestNonceEntryCost(t *testing.T) {
	const n = 200_000
	s := inmem.NewNonceStoreCap(wxads.SystemClock{}, n)
	scope := strings.Repeat("f", 64)
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	for i := range n {
		if _, err := s.Use(context.Background(), scope, fmt.Sprintf("%032d", i), time.Hour); err != nil {
			t.Fatal(err)
		}
	}
	runtime.GC()
	runtime.ReadMemStats(&after)
	per := float64(after.HeapAlloc-before.HeapAlloc) / n
	t.Logf("%.0f bytes per nonce (%d nonces)", per, s.Len())
	if per > 80 {
		t.Errorf("%.0f bytes per nonce, want at most 80 (DefaultMaxNonces is sized at about 40)", per)
	}
}
