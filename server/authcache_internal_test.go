package server

import (
	"testing"
	"time"

	"github.com/wxads/wxads"
)

// authSuperseded may let an unconfirmed invalidation pass only because no
// cache entry outlives a superseded token's grace.
func TestAuthCacheTTLUnderGrace(t *testing.T) {
	if authCacheTTL >= wxads.SupersedeGrace*time.Second {
		t.Fatalf("authCacheTTL %v must stay under the supersede grace %d s", authCacheTTL, wxads.SupersedeGrace)
	}
}
