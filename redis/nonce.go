// Package redis keeps ephemeral state shared by several wxads nodes in Redis:
// v1.1 nonces (replay protection).
package redis

import (
	"context"
	"fmt"
	"time"

	goredis "github.com/redis/go-redis/v9"

	"github.com/wxads/wxads"
)

var _ wxads.NonceStore = (*NonceStore)(nil)

// NonceStore records nonces with SET NX and an expiry, so a nonce used on
// any node is refused on every node until its window passes.
type NonceStore struct {
	client *goredis.Client
	prefix string
}

// Open connects to the Redis at url (redis://…) and checks it answers.
func Open(ctx context.Context, url string) (*NonceStore, error) {
	opts, err := goredis.ParseURL(url)
	if err != nil {
		return nil, fmt.Errorf("redis: %w", err)
	}
	client := goredis.NewClient(opts)
	if err := client.Ping(ctx).Err(); err != nil {
		client.Close()
		return nil, fmt.Errorf("redis: ping %s: %w", opts.Addr, err)
	}
	return &NonceStore{client: client, prefix: "wxads:nonce:"}, nil
}

// WithPrefix returns a store whose keys start with prefix (tests isolate with it).
func (s *NonceStore) WithPrefix(prefix string) *NonceStore {
	return &NonceStore{client: s.client, prefix: prefix}
}

// Use records the nonce for ttl; false when it is already recorded.
func (s *NonceStore) Use(ctx context.Context, scope, nonce string, ttl time.Duration) (bool, error) {
	// Length-prefix the scope so "a:b"+"c" and "a"+"b:c" never collide.
	key := fmt.Sprintf("%s%d:%s:%s", s.prefix, len(scope), scope, nonce)
	err := s.client.SetArgs(ctx, key, 1, goredis.SetArgs{Mode: "NX", TTL: ttl}).Err()
	switch {
	case err == goredis.Nil:
		return false, nil
	case err != nil:
		return false, fmt.Errorf("redis: nonce: %w", err)
	}
	return true, nil
}

// Ping checks that Redis answers (GET /readyz).
func (s *NonceStore) Ping(ctx context.Context) error { return s.client.Ping(ctx).Err() }

// Close closes the connection pool.
func (s *NonceStore) Close() error { return s.client.Close() }
