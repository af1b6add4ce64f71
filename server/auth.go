package server

import (
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"errors"
	"net/http"
	"strings"

	"github.com/wxads/wxads"
)

// caller is who a token acts for.
type caller struct {
	token *wxads.Token
	app   *wxads.App
	adv   *wxads.Advertiser
	// scopes an OAuth token was granted; nil for app tokens, which may do everything.
	scopes []string
	oauth  bool  // an OAuth access token: Tencent side only
	client int64 // the OAuth client (developer app) it was granted to
}

// A caller is shared by every request its token makes while cached
// (authcache.go): nothing may change it.

type callerKey struct{}

func callerOf(r *http.Request) *caller { return r.Context().Value(callerKey{}).(*caller) }

// tokenCodes are the token errors per envelope (SPEC §4).
var tokenCodes = map[api]struct{ missing, unknown, expired, superseded int }{
	apiWeChat:  {wxads.CodeMissingAccessToken, wxads.CodeInvalidAccessToken, wxads.CodeAccessTokenExpired, wxads.CodeInvalidCredential},
	apiTencent: {wxads.CodeV11TokenMissing, wxads.CodeV11TokenInvalid, wxads.CodeV11TokenExpired, wxads.CodeV11TokenInvalid},
}

// authed wraps h with the access-token check every API route uses.
func (s *Server) authed(a api, h handler) handler {
	return func(w http.ResponseWriter, r *http.Request) error {
		c, err := s.authenticate(r.Context(), a, r.URL.Query().Get("access_token"))
		if err != nil {
			return err
		}
		return h(w, r.WithContext(context.WithValue(r.Context(), callerKey{}, c)))
	}
}

func (s *Server) authenticate(ctx context.Context, a api, token string) (*caller, error) {
	codes := tokenCodes[a]
	if token == "" {
		return nil, wxads.Errorf(codes.missing, "access_token")
	}
	h := sha256.Sum256([]byte(token))
	c := s.auth.get(h)
	if c == nil {
		epoch, ok := s.auth.begin()
		var err error
		// A copy, so h itself stays on the stack on the cached path.
		if c, err = s.resolve(ctx, a, append([]byte(nil), h[:]...)); err != nil {
			return nil, err
		}
		s.auth.put(h, c, epoch, ok)
	}
	return s.check(ctx, a, c)
}

// resolve reads the caller of a token hash from the store: its token row,
// app and advertiser, or its OAuth grant (Tencent side only).
func (s *Server) resolve(ctx context.Context, a api, hash []byte) (*caller, error) {
	t, err := s.cfg.Stores.Lookup(ctx, hash)
	if errors.Is(err, wxads.ErrNotFound) && a == apiTencent {
		return s.resolveOAuth(ctx, hash) // OAuth tokens act on the Tencent side only
	} else if errors.Is(err, wxads.ErrNotFound) {
		return nil, wxads.Errorf(tokenCodes[a].unknown, "access_token")
	} else if err != nil {
		return nil, err
	}
	app, err := s.cfg.Stores.App(ctx, t.AppID)
	if err != nil {
		return nil, err
	}
	adv, err := s.cfg.Stores.Advertiser(ctx, app.AccountID)
	if err != nil {
		return nil, err
	}
	return &caller{token: t, app: app, adv: adv}, nil
}

// check decides a resolved caller on every request, cached or not, from
// its rows and the clock: what passes or fails with time is never cached.
func (s *Server) check(ctx context.Context, a api, c *caller) (*caller, error) {
	codes := tokenCodes[a]
	if c.oauth && a != apiTencent {
		return nil, wxads.Errorf(codes.unknown, "access_token")
	}
	now := s.now()
	t := c.token
	// "Older than expires_in" (SPEC §4): valid through its 7200th second,
	// like a superseded token through its 300th.
	if now > t.ExpiresAt {
		return nil, wxads.Errorf(codes.expired, "access_token")
	}
	// A revoked token (revoke_tokens, reset_secret) gets no grace (SPEC §5).
	if t.RevokedAt != 0 || t.SupersededAt != 0 && now > t.SupersededAt+wxads.SupersedeGrace {
		return nil, wxads.Errorf(codes.superseded, "access_token")
	}
	recordFrom(ctx).setCaller(c.app.AppID, c.adv.ID)
	if c.adv.Status != wxads.StatusApproved {
		return nil, wxads.Literal(wxads.CodeAPIUnauthorized, "api unauthorized")
	}
	return c, nil
}

func hashToken(token string) []byte {
	h := sha256.Sum256([]byte(token))
	return h[:]
}

// adminOnly guards /admin/v1 with the bearer admin token: missing or wrong is 401.
func (s *Server) adminOnly(next http.Handler) http.Handler {
	want := sha256.Sum256([]byte(s.cfg.AdminToken))
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		scheme, got, ok := strings.Cut(r.Header.Get("Authorization"), " ")
		ok = ok && strings.EqualFold(scheme, "Bearer") // the scheme is case-insensitive (RFC 9110 §11.1)
		sum := sha256.Sum256([]byte(got))
		if !ok || s.cfg.AdminToken == "" || subtle.ConstantTimeCompare(sum[:], want[:]) != 1 {
			w.Header().Set("WWW-Authenticate", `Bearer realm="wxads admin"`)
			writeJSON(w, http.StatusUnauthorized, wechatEnvelope{Errcode: wxads.CodeInvalidCredential, Errmsg: "admin token missing or wrong"})
			return
		}
		next.ServeHTTP(w, r)
	})
}
