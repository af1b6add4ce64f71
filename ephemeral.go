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
