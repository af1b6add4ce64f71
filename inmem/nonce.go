// Package inmem keeps ephemeral state in process, for a single node.
package inmem

import (
	"context"
	"sync"
	"time"

	"github.com/wxads/wxads"
)

var _ wxads.NonceStore = (*NonceStore)(nil)

// NonceStore remembers nonces per scope until their ttl passes on the
// platform clock (so --fake-clock moves replay windows too).
type NonceStore struct {
	clock wxads.Clock
	mu    sync.Mutex
	seen  map[string]time.Time // scope + "\x00" + nonce → expiry
	sweep time.Time
}

// NewNonceStore returns an empty store reading time from clock.
func NewNonceStore(clock wxads.Clock) *NonceStore {
	return &NonceStore{clock: clock, seen: map[string]time.Time{}}
}

// Use records the nonce; false when it was seen within ttl.
func (s *NonceStore) Use(_ context.Context, scope, nonce string, ttl time.Duration) (bool, error) {
	now := s.clock.Now()
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
