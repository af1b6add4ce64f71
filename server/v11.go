package server

import (
	"context"
	"encoding/hex"
	"net/http"
	"time"
	"unicode/utf8"

	"github.com/wxads/wxads"
)

// Global parameters of every /v1.1 route (SPEC §8).
const (
	TimestampSkew = 300              // seconds either side of the platform clock
	NonceWindow   = 10 * time.Minute // a nonce may not repeat with one token within it
	MaxNonceChars = 32
	// NonceMargin keeps a nonce past the last second its timestamp passes,
	// for clocks of several nodes that disagree a little.
	NonceMargin = 60
)

// nonceTTL is how long a nonce sent with timestamp ts must be kept: until
// that timestamp can no longer pass (ts+skew) plus the margin, and never less
// than the SPEC's window. 600 s from now alone let a request stamped now+300
// be replayed at now+600, when its timestamp still passed.
func nonceTTL(ts, now int64) time.Duration {
	return max(NonceWindow, time.Duration(ts+TimestampSkew+NonceMargin-now)*time.Second)
}

// v11 wraps a /v1.1 handler with the global parameters: access_token,
// timestamp and nonce present (12000), the token valid, the timestamp within
// ±300 s (18005), the nonce 1–32 chars (18007) and never replayed with the
// same token inside the window (18005). It also checks account_id (31011).
func (s *Server) v11(h handler) handler {
	return func(w http.ResponseWriter, r *http.Request) error {
		q := r.URL.Query()
		for _, p := range []string{"access_token", "timestamp", "nonce"} {
			if q.Get(p) == "" {
				return wxads.Errorf(wxads.CodeV11TokenMissing, p)
			}
		}
		c, err := s.authenticate(r.Context(), apiTencent, q.Get("access_token"))
		if err != nil {
			return err
		}
		ts, err := parseInteger(q.Get("timestamp"))
		if err != nil || ts < s.now()-TimestampSkew || ts > s.now()+TimestampSkew {
			return wxads.Errorf(wxads.CodeBadFormat, "timestamp")
		}
		nonce := q.Get("nonce")
		if utf8.RuneCountInString(nonce) > MaxNonceChars {
			return wxads.Errorf(wxads.CodeTooLong, "nonce")
		}
		fresh, err := s.cfg.Nonces.Use(r.Context(), hex.EncodeToString(c.token.Hash), nonce, nonceTTL(ts, s.now()))
		if err != nil {
			return err
		}
		if !fresh {
			return wxads.Errorf(wxads.CodeBadFormat, "nonce")
		}
		if err := checkAccount(q.Get("account_id"), c); err != nil {
			return err
		}
		return h(w, r.WithContext(context.WithValue(r.Context(), callerKey{}, c)))
	}
}

// checkAccount requires account_id to be the token's advertiser; any other
// id, existing or not, is 31011.
func checkAccount(v string, c *caller) error {
	if v == "" {
		return wxads.Errorf(wxads.CodeRequired, "account_id")
	}
	id, err := parseInteger(v)
	if err != nil {
		return wxads.Errorf(wxads.CodeBadFormat, "account_id")
	}
	if id != c.adv.ID {
		return wxads.Errorf(wxads.CodeNotAccessible, "account_id")
	}
	return nil
}
