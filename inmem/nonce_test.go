package inmem_test

import (
	"context"
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
