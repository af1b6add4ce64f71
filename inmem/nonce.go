// Package inmem keeps ephemeral state in process, for a single node.
package inmem

import (
	"context"
	"sync"
	"time"

	"github.com/wxads/wxads"
)

var _ wxads.NonceStore = (*NonceStore)(nil)

// NonceStore remembers nonces per scope until their ttl passes.
type NonceStore struct {
	mu    sync.Mutex
	seen  map[string]time.Time // scope + "\x00" + nonce → expiry
	sweep time.Time
}

// NewNonceStore returns an empty store.
func NewNonceStore() *NonceStore { return &NonceStore{seen: map[string]time.Time{}} }

// Use records the nonce; false when it was seen within ttl. Expiry is on the
// wall clock: replay windows are about real elapsed time.
func (s *NonceStore) Use(_ context.Context, scope, nonce string, ttl time.Duration) (bool, error) {
	now := time.Now()
	key := scope + "\x00" + nonce
	s.mu.Lock()
	defer s.mu.Unlock()
	if now.After(s.sweep) {
		for k, exp := range s.seen {
			if now.After(exp) {
				delete(s.seen, k)
			}
		}
		s.sweep = now.Add(ttl)
	}
	if exp, ok := s.seen[key]; ok && now.Before(exp) {
		return false, nil
	}
	s.seen[key] = now.Add(ttl)
	return true, nil
}
