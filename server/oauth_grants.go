package server

import (
	"context"
	"errors"
	"net/http"

	"github.com/wxads/wxads"
)

// The advertiser's authorized apps (its OAuth grants) and their revocation:
// GET /ext/v1/oauth_grants/get and POST /ext/v1/oauth_grants/revoke with the
// advertiser's own (WeChat-side) token, and the same for the operator under
// /admin/v1/oauth_grants naming the account.

type oauthGrantJSON struct {
	ClientID         int64    `json:"client_id"`
	ClientName       string   `json:"client_name"`
	ScopeList        []string `json:"scope_list"`
	AuthorizedTime   string   `json:"authorized_time"`
	LastIssuedTime   string   `json:"last_issued_time"` // "" before the code is traded
	LastUsedTime     string   `json:"last_used_time"`   // "" never; exact to the minute
	LiveTokenCount   int64    `json:"live_token_count"`
	PendingCodeCount int64    `json:"pending_code_count"`
}

func newOAuthGrantJSON(g wxads.OAuthGrant) oauthGrantJSON {
	opt := func(unix int64) string {
		if unix == 0 {
			return ""
		}
		return formatTime(unix)
	}
	scopes := g.Scopes
	if scopes == nil {
		scopes = []string{}
	}
	return oauthGrantJSON{ClientID: g.ClientID, ClientName: g.ClientName, ScopeList: scopes,
		AuthorizedTime: formatTime(g.AuthorizedAt), LastIssuedTime: opt(g.LastIssuedAt), LastUsedTime: opt(g.LastUsedAt),
		LiveTokenCount: g.LiveTokens, PendingCodeCount: g.PendingCodes}
}

// getOAuthGrants is GET /ext/v1/oauth_grants/get: the caller's advertiser's grants.
func (s *Server) getOAuthGrants(w http.ResponseWriter, r *http.Request) error {
	return s.writeOAuthGrants(w, r, callerOf(r).adv.ID)
}

// getAdminOAuthGrants is GET /admin/v1/oauth_grants?account_id=….
func (s *Server) getAdminOAuthGrants(w http.ResponseWriter, r *http.Request) error {
	v := r.URL.Query().Get("account_id")
	if v == "" {
		return wxads.Errorf(wxads.CodeRequired, "account_id")
	}
	adv, err := s.adminAdvertiser(r.Context(), v, false)
	if err != nil {
		return err
	}
	return s.writeOAuthGrants(w, r, adv.ID)
}

func (s *Server) writeOAuthGrants(w http.ResponseWriter, r *http.Request, account int64) error {
	o, err := s.oauthStore()
	if err != nil {
		return err
	}
	grants, err := o.OAuthGrants(r.Context(), account, s.now())
	if err != nil {
		return err
	}
	list := make([]oauthGrantJSON, len(grants))
	for i, g := range grants {
		list[i] = newOAuthGrantJSON(g)
	}
	return writeData(w, apiWeChat, map[string]any{"list": list})
}

type oauthRevokeRequest struct {
	AccountID *flexID `json:"account_id"` // admin only
	ClientID  *flexID `json:"client_id"`
}

// postRevokeOAuthGrant is POST /ext/v1/oauth_grants/revoke {client_id}.
func (s *Server) postRevokeOAuthGrant(w http.ResponseWriter, r *http.Request) error {
	var req oauthRevokeRequest
	if err := s.readObject(w, r, &req); err != nil {
		return err
	}
	return s.revokeOAuthGrant(w, r, callerOf(r).adv.ID, req.ClientID)
}

// postAdminRevokeOAuthGrant is POST /admin/v1/oauth_grants/revoke {account_id, client_id}.
func (s *Server) postAdminRevokeOAuthGrant(w http.ResponseWriter, r *http.Request) error {
	var req oauthRevokeRequest
	if err := s.readObject(w, r, &req); err != nil {
		return err
	}
	if req.AccountID == nil {
		return wxads.Errorf(wxads.CodeRequired, "account_id")
	}
	if _, err := s.cfg.Stores.Advertiser(r.Context(), int64(*req.AccountID)); errors.Is(err, wxads.ErrNotFound) {
		return wxads.Errorf(wxads.CodeNotAccessible, "account_id")
	} else if err != nil {
		return err
	}
	return s.revokeOAuthGrant(w, r, int64(*req.AccountID), req.ClientID)
}

// revokeOAuthGrant ends the pair's tokens and pending codes. A client the
// account never authorized, or another account's grant, is 31011 like an
// id that does not exist.
func (s *Server) revokeOAuthGrant(w http.ResponseWriter, r *http.Request, account int64, client *flexID) error {
	if client == nil {
		return wxads.Errorf(wxads.CodeRequired, "client_id")
	}
	n, err := s.revokeGrant(r.Context(), account, int64(*client))
	if errors.Is(err, wxads.ErrNotFound) {
		return wxads.Errorf(wxads.CodeNotAccessible, "client_id")
	} else if err != nil {
		return err
	}
	return writeData(w, apiWeChat, map[string]any{"client_id": int64(*client), "revoked_token_count": n})
}

// revokeGrant revokes in the store, then drops the account's cached token
// checks on every node (authcache.go) before the revocation is answered: the
// revoked tokens get 11002 on their next call wherever it lands. If the
// invalidation cannot be confirmed the caller gets an error, not success.
func (s *Server) revokeGrant(ctx context.Context, account, client int64) (int64, error) {
	o, err := s.oauthStore()
	if err != nil {
		return 0, err
	}
	n, err := o.RevokeOAuthGrant(ctx, account, client)
	if err != nil {
		return 0, err
	}
	return n, s.authChangedAccount(ctx, account)
}
