package server

import "crypto/sha256"

// AuthCached reports whether token's caller is in the cache and the cache
// may be used now (authcache_test.go checks the cache was warm).
func (s *Server) AuthCached(token string) bool {
	return s.auth.get(sha256.Sum256([]byte(token))) != nil
}

// AuthCacheLen is how many callers the cache holds.
func (s *Server) AuthCacheLen() int {
	s.auth.mu.RLock()
	defer s.auth.mu.RUnlock()
	return len(s.auth.m)
}

// SetAuthCacheMax lowers the cache's capacity for the bounded-size test.
func (s *Server) SetAuthCacheMax(n int) {
	s.auth.mu.Lock()
	defer s.auth.mu.Unlock()
	s.auth.max = n
}
