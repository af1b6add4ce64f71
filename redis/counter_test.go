package redis_test

import (
	"context"
	"slices"
	"sync"
	"testing"
	"time"
)

// Counts add up across concurrent callers (nodes), per key and window, and
// expire with their window.
func TestCounter(t *testing.T) {
	s := openTest(t)
	c := s.Counter("wxads-test:" + t.Name() + ":" + time.Now().Format("150405.000000") + ":")
	ctx := context.Background()
	var wg sync.WaitGroup
	for range 20 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 5 {
				if _, err := c.Add(ctx, 100, time.Minute, 1, "ip:1", "app:a"); err != nil {
					t.Error(err)
				}
			}
		}()
	}
	wg.Wait()
	got, err := c.Add(ctx, 100, time.Minute, 0, "ip:1", "app:a", "ip:2")
	if err != nil || !slices.Equal(got, []int64{100, 100, 0}) {
		t.Errorf("after 100 adds: %v, %v; want [100 100 0]", got, err)
	}
	if got, _ := c.Add(ctx, 160, time.Minute, 1, "ip:1"); !slices.Equal(got, []int64{1}) {
		t.Errorf("the next window starts at %v, want [1]", got)
	}
	if got, _ := c.Add(ctx, 200, 50*time.Millisecond, 3, "short"); !slices.Equal(got, []int64{3}) {
		t.Errorf("add 3: %v", got)
	}
	time.Sleep(200 * time.Millisecond)
	if got, _ := c.Add(ctx, 200, 50*time.Millisecond, 0, "short"); !slices.Equal(got, []int64{0}) {
		t.Errorf("after its ttl the count is %v, want [0]", got)
	}
}
