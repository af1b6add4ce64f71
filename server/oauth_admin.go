package server

import (
	"errors"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/wxads/wxads"
)

// errNoOAuth is a backend without OAuth tables: a bug of the deployment.
var errNoOAuth = errors.New("server: the store does not implement wxads.OAuthStore")

// oauthStore is the OAuth side of the stores; every shipped backend has it.
func (s *Server) oauthStore() (wxads.OAuthStore, error) {
	o, ok := s.cfg.Stores.(wxads.OAuthStore)
	if !ok {
		return nil, errNoOAuth
	}
	return o, nil
}

type oauthClientRequest struct {
	Name         string   `json:"name"`
	RedirectURIs []string `json:"redirect_uris"`
}

// postOAuthClient is POST /admin/v1/oauth_clients: a developer app.
func (s *Server) postOAuthClient(w http.ResponseWriter, r *http.Request) error {
	o, err := s.oauthStore()
	if err != nil {
		return err
	}
	var req oauthClientRequest
	if err := s.readObject(w, r, &req); err != nil {
		return err
	}
	if req.Name == "" {
		return wxads.Errorf(wxads.CodeRequired, "name")
	}
	if len(req.RedirectURIs) == 0 {
		return wxads.Errorf(wxads.CodeRequired, "redirect_uris")
	}
	for i, u := range req.RedirectURIs {
		if !validRedirectURI(u) {
			return wxads.Errorf(wxads.CodeBadFormat, "redirect_uris["+strconv.Itoa(i)+"]")
		}
	}
	secret := NewSecret()
	c := &wxads.OAuthClient{Name: req.Name, SecretHash: HashSecret(secret),
		RedirectURIs: req.RedirectURIs, CreatedTime: s.now()}
	if err := o.CreateOAuthClient(r.Context(), c); err != nil {
		return err
	}
	return writeData(w, apiWeChat, map[string]any{"client_id": c.ID, "client_secret": secret})
}

// validRedirectURI takes absolute http(s) URLs without a fragment (RFC 6749
// §3.1.2), so the code and state can be appended to their query.
func validRedirectURI(u string) bool {
	p, err := url.Parse(u)
	return err == nil && (p.Scheme == "http" || p.Scheme == "https") && p.Host != "" && p.Fragment == "" &&
		!strings.ContainsAny(u, " \t\r\n") && len(u) <= 1024
}

type oauthCodeRequest struct {
	ClientID  *flexID `json:"client_id"`
	AccountID *flexID `json:"account_id"`
	Scope     string  `json:"scope"`
}

// postOAuthCode is POST /admin/v1/oauth_codes: an authorization code as if
// the advertiser had approved on the consent page, for tests without a browser.
func (s *Server) postOAuthCode(w http.ResponseWriter, r *http.Request) error {
	o, err := s.oauthStore()
	if err != nil {
		return err
	}
	var req oauthCodeRequest
	if err := s.readObject(w, r, &req); err != nil {
		return err
	}
	if req.ClientID == nil {
		return wxads.Errorf(wxads.CodeRequired, "client_id")
	}
	if req.AccountID == nil {
		return wxads.Errorf(wxads.CodeRequired, "account_id")
	}
	if _, err := o.OAuthClient(r.Context(), int64(*req.ClientID)); errors.Is(err, wxads.ErrNotFound) {
		return wxads.Errorf(wxads.CodeOAuthClientInvalid, "client_id")
	} else if err != nil {
		return err
	}
	if _, err := s.cfg.Stores.Advertiser(r.Context(), int64(*req.AccountID)); errors.Is(err, wxads.ErrNotFound) {
		return wxads.Errorf(wxads.CodeNotAccessible, "account_id")
	} else if err != nil {
		return err
	}
	scopes, ok := parseScopes(req.Scope)
	if !ok {
		return wxads.Errorf(wxads.CodeNotInEnum, "scope", strings.Join(wxads.OAuthScopes, ","))
	}
	code, err := s.issueOAuthCode(r, o, int64(*req.ClientID), int64(*req.AccountID), "", scopes)
	if err != nil {
		return err
	}
	return writeData(w, apiWeChat, map[string]any{"authorization_code": code})
}

// issueOAuthCode stores a fresh code and returns it.
func (s *Server) issueOAuthCode(r *http.Request, o wxads.OAuthStore, client, account int64, redirect string, scopes []string) (string, error) {
	code := randomHex(16)
	now := s.now()
	err := o.IssueOAuthCode(r.Context(), wxads.OAuthCode{Hash: hashToken(code), ClientID: client, AccountID: account,
		RedirectURI: redirect, Scopes: scopes, IssuedAt: now, ExpiresAt: now + wxads.OAuthCodeTTL})
	return code, err
}

// parseScopes reads a comma-separated scope; empty asks for every scope.
func parseScopes(v string) ([]string, bool) {
	if v == "" {
		return slices.Clone(wxads.OAuthScopes), true
	}
	var out []string
	for _, sc := range strings.Split(v, ",") {
		sc = strings.TrimSpace(sc)
		if !slices.Contains(wxads.OAuthScopes, sc) {
			return nil, false
		}
		if !slices.Contains(out, sc) {
			out = append(out, sc)
		}
	}
	return out, true
}
