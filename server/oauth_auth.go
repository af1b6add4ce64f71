package server

import (
	"context"
	"errors"
	"net/http"
	"slices"

	"github.com/wxads/wxads"
)

// resolveOAuth finds the caller of an OAuth access token, which acts on
// /v1.1 and /v3.0 for the advertiser that authorized it, with the v1.1
// token codes (unknown 11002, expired 11000; check decides) and 48001 for
// an advertiser not approved. The caller's app is a stand-in carrying only
// the account: an OAuth token belongs to no WeChat app.
func (s *Server) resolveOAuth(ctx context.Context, hash []byte) (*caller, error) {
	unknown := wxads.Errorf(wxads.CodeV11TokenInvalid, "access_token")
	o, ok := s.cfg.Stores.(wxads.OAuthStore)
	if !ok {
		return nil, unknown
	}
	t, err := o.LookupOAuthToken(ctx, hash)
	if errors.Is(err, wxads.ErrNotFound) || err == nil && t.Kind != wxads.OAuthAccess {
		return nil, unknown // a refresh token is no access token
	} else if err != nil {
		return nil, err
	}
	adv, err := s.cfg.Stores.Advertiser(ctx, t.AccountID)
	if err != nil {
		return nil, err
	}
	return &caller{
		token:  &wxads.Token{Hash: hash, IssuedAt: t.IssuedAt, ExpiresAt: t.ExpiresAt},
		app:    &wxads.App{AccountID: adv.ID},
		adv:    adv,
		scopes: t.Scopes,
		oauth:  true,
		client: t.ClientID,
	}, nil
}

// needScope wraps every /v1.1 and /v3.0 route: a call with an OAuth token
// is counted against the call limits (11016–11019, oauth_limit.go) and
// refused when the advertiser did not grant scope (11014); app tokens pass.
// It runs on every call, after the token check, which may be cached.
func (s *Server) needScope(scope string, h handler) handler {
	return func(w http.ResponseWriter, r *http.Request) error {
		c := callerOf(r)
		if !c.oauth {
			return h(w, r)
		}
		if err := s.oauthCall(r.Context(), c); err != nil {
			return err
		}
		if !slices.Contains(c.scopes, scope) {
			return wxads.Errorf(wxads.CodeOAuthOutOfScope, scope)
		}
		return h(w, r)
	}
}
