package redis

import (
	"context"
	"fmt"
	"strconv"
	"time"

	goredis "github.com/redis/go-redis/v9"

	"github.com/wxads/wxads"
)

var _ wxads.WindowCounter = (*Counter)(nil)

// Counter keeps fixed-window counts (rate limits shared by every node) in
// Redis: each key and window is one integer, added to and given its expiry
// by one Lua script, so concurrent nodes never lose an increment and a
// count never outlives its window by more than ttl.
type Counter struct {
	client *goredis.Client
	prefix string
}

// Counter returns the window counters on the store's connection; keys are
// prefix + key + ":" + window.
func (s *NonceStore) Counter(prefix string) *Counter {
	return &Counter{client: s.client, prefix: prefix}
}

// addScript: ARGV[1] window, ARGV[2] n, ARGV[3] ttl in ms. The expiry is set
// by the add that creates the count, in the same atomic step.
var addScript = goredis.NewScript(`
local out = {}
local n = tonumber(ARGV[2])
for i, k in ipairs(KEYS) do
	local key = k .. ':' .. ARGV[1]
	if n > 0 then
		local v = redis.call('INCRBY', key, n)
		if v == n then redis.call('PEXPIRE', key, ARGV[3]) end
		out[i] = v
	else
		out[i] = tonumber(redis.call('GET', key) or '0')
	end
end
return out`)

// Add adds n to each key's count in window and returns the counts.
func (c *Counter) Add(ctx context.Context, window int64, ttl time.Duration, n int64, keys ...string) ([]int64, error) {
	full := make([]string, len(keys))
	for i, k := range keys {
		full[i] = c.prefix + k
	}
	res, err := addScript.Run(ctx, c.client, full, strconv.FormatInt(window, 10), n, ttl.Milliseconds()).Int64Slice()
	if err != nil {
		return nil, fmt.Errorf("redis: counter: %w", err)
	}
	return res, nil
}
