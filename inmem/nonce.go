// Package inmem keeps ephemeral state in process, for a single node.
package inmem

import (
	"context"
	"crypto/sha256"
	"errors"
	"sync"
	"time"

	"github.com/wxads/wxads"
)

var _ wxads.NonceStore = (*NonceStore)(nil)

// DefaultMaxNonces bounds the store: at about 40 bytes an entry
// (TestNonceEntryCost measures it) the cap is some 80 MiB, and it holds every
// nonce of 3000 v1.1 calls a second for the longest window (660 s).
const DefaultMaxNonces = 2 << 20

// ErrFull is returned when the store holds its cap of unexpired nonces; the
// server answers -1 "system busy" and the caller retries later.
var ErrFull = errors.New("inmem: nonce store full")

// NonceStore remembers nonces per scope until their ttl passes on the
// platform clock (so --fake-clock moves replay windows too). A pair is kept
// as 16 bytes of its SHA-256 and its expiry, whatever the scope and nonce
// lengths, and the number of pairs is capped.
type NonceStore struct {
	clock wxads.Clock
	max   int
	mu    sync.Mutex
	seen  map[[16]byte]int64 // hash of scope, nonce → expiry (Unix ns)
	next  int64              // next regular sweep, Unix ns
	last  int64              // last sweep, Unix ns
}

// NewNonceStore returns an empty store reading time from clock, holding at
// most DefaultMaxNonces.
func NewNonceStore(clock wxads.Clock) *NonceStore {
	return NewNonceStoreCap(clock, DefaultMaxNonces)
}

// NewNonceStoreCap returns an empty store holding at most max nonces.
func NewNonceStoreCap(clock wxads.Clock, max int) *NonceStore {
	return &NonceStore{clock: clock, max: max, seen: map[[16]byte]int64{}}
}

// Len is the number of nonces held (expired ones until the next sweep).
func (s *NonceStore) Len() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.seen)
}

// Use records the nonce; false when it was seen within ttl; ErrFull when
// the store is at its cap even after dropping expired nonces.
func (s *NonceStore) Use(_ context.Context, scope, nonce string, ttl time.Duration) (bool, error) {
	now := s.clock.Now().UnixNano()
	h := sha256.New()
	h.Write([]byte(scope))
	h.Write([]byte{0})
	h.Write([]byte(nonce))
	var key [16]byte
	copy(key[:], h.Sum(nil))
	s.mu.Lock()
	defer s.mu.Unlock()
	// Sweep once per ttl, or when full, at most once a second: a full store
	// under attack must not turn every call into a scan.
	if now > s.next || len(s.seen) >= s.max && now-s.last > int64(time.Second) {
		for k, exp := range s.seen {
			if now >= exp {
				delete(s.seen, k)
			}
		}
		s.last, s.next = now, now+int64(ttl)
	}
	if exp, ok := s.seen[key]; ok && now < exp {
		return false, nil
	}
	if len(s.seen) >= s.max {
		return false, ErrFull
	}
	s.seen[key] = now + int64(ttl)
	return true, nil
}
