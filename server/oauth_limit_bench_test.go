package server

import (
	"context"
	"fmt"
	"os"
	"testing"
	"time"

	"github.com/wxads/wxads/redis"
)

// What the limits cost an OAuth call: two window adds (second, day), in this
// node's memory or in Redis.
func BenchmarkOAuthLimitCounter(b *testing.B) {
	ctx := context.Background()
	b.Run("memory", func(b *testing.B) {
		var c memCounter
		for i := range b.N {
			c.Add(ctx, int64(i/1000), 2*time.Second, 1, "oauth:app:s:1", "oauth:acct:s:1")
			c.Add(ctx, 0, 25*time.Hour, 1, "oauth:app:d:1", "oauth:acct:d:1")
		}
	})
	b.Run("redis", func(b *testing.B) {
		url := os.Getenv("WXADS_TEST_REDIS")
		if url == "" {
			url = "redis://127.0.0.1:6379/0"
		}
		r, err := redis.Open(ctx, url)
		if err != nil {
			b.Skipf("no Redis: %v", err)
		}
		defer r.Close()
		c := r.Counter(fmt.Sprintf("wxads-bench:%d:", time.Now().UnixNano()))
		for i := range b.N {
			c.Add(ctx, int64(i/1000), 2*time.Second, 1, "oauth:app:s:1", "oauth:acct:s:1")
			c.Add(ctx, 0, 25*time.Hour, 1, "oauth:app:d:1", "oauth:acct:d:1")
		}
	})
}
