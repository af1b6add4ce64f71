package wxads

import (
	"context"
	"time"
)

// NonceStore remembers (token, nonce) pairs for replay protection. It is
// in-process for one node and shared (Redis) for several.
type NonceStore interface {
	// Use records the nonce and reports whether it was fresh; a nonce seen
	// within ttl is not.
	Use(ctx context.Context, scope, nonce string, ttl time.Duration) (fresh bool, err error)
}

// WindowCounter counts events per key in fixed time windows. A limit kept
// with it holds for every node sharing it (Redis), not per node.
type WindowCounter interface {
	// Add adds n to each key's count in the window starting at window (Unix
	// seconds), keeping the count for ttl, and returns the counts; n 0 only
	// reads them.
	Add(ctx context.Context, window int64, ttl time.Duration, n int64, keys ...string) ([]int64, error)
}
