package server

import (
	"crypto/subtle"
	"errors"
	"net/http"
	"regexp"
	"slices"

	"github.com/wxads/wxads"
)

// oauthTokenFormat is how codes and tokens are issued: 32 lowercase hex, as
// on the live platform. Anything else is malformed before any look-up.
var oauthTokenFormat = regexp.MustCompile(`^[0-9a-f]{32}$`)

type authorizerInfo struct {
	AccountUin      int64    `json:"account_uin"`
	AccountID       int64    `json:"account_id"`
	ScopeList       []string `json:"scope_list"`
	WechatAccountID string   `json:"wechat_account_id"`
	AccountRoleType string   `json:"account_role_type"`
	AccountType     string   `json:"account_type"`
	RoleType        string   `json:"role_type"`
}

type oauthTokenData struct {
	AccessToken           string         `json:"access_token"`
	RefreshToken          string         `json:"refresh_token"`
	AccessTokenExpiresIn  int64          `json:"access_token_expires_in"`
	RefreshTokenExpiresIn int64          `json:"refresh_token_expires_in"`
	AuthorizerInfo        authorizerInfo `json:"authorizer_info"`
}

// getOAuthToken is GET /oauth/token (SPEC §10). It is outside the global
// parameters of §8: the access_token, timestamp and nonce clients send
// along are ignored.
func (s *Server) getOAuthToken(w http.ResponseWriter, r *http.Request) error {
	o, err := s.oauthStore()
	if err != nil {
		return err
	}
	q := r.URL.Query()
	grant := q.Get("grant_type")
	switch grant {
	case "":
		return wxads.Errorf(wxads.CodeRequired, "grant_type")
	case "authorization_code", "refresh_token":
	default:
		return wxads.Errorf(wxads.CodeNotInEnum, "grant_type", "authorization_code,refresh_token")
	}
	client, err := s.oauthClientCredentials(r, o, q.Get("client_id"), q.Get("client_secret"))
	if err != nil {
		return err
	}
	access, refresh := randomHex(16), ""
	now := s.now()
	at := wxads.OAuthToken{Hash: hashToken(access), IssuedAt: now, ExpiresAt: now + wxads.OAuthAccessTTL}
	var account int64
	var scopes []string
	if grant == "authorization_code" {
		code := q.Get("authorization_code")
		if err := checkTokenFormat(code, "authorization_code", wxads.CodeOAuthTokenMalformed); err != nil {
			return err
		}
		redirect := q.Get("redirect_uri")
		refresh = randomHex(16)
		rt := wxads.OAuthToken{Hash: hashToken(refresh), IssuedAt: now, ExpiresAt: now + wxads.OAuthRefreshTTL}
		c, err := o.RedeemOAuthCode(r.Context(), hashToken(code), now, func(c *wxads.OAuthCode) error {
			if c.ClientID != client.ID {
				return wxads.Errorf(wxads.CodeV11TokenInvalid, "authorization_code")
			}
			// The code is bound to the redirect_uri it was sent to (RFC 6749
			// §4.1.3); an admin-issued code to any registered one, if given.
			if c.RedirectURI != "" && redirect != c.RedirectURI ||
				c.RedirectURI == "" && redirect != "" && !slices.Contains(client.RedirectURIs, redirect) {
				return wxads.Errorf(wxads.CodeOAuthOutOfScope, "redirect_uri")
			}
			return nil
		}, at, rt)
		switch {
		case errors.Is(err, wxads.ErrNotFound):
			return wxads.Errorf(wxads.CodeV11TokenInvalid, "authorization_code")
		case errors.Is(err, wxads.ErrCodeUsed):
			return wxads.Errorf(wxads.CodeOAuthCodeUsed, "authorization_code")
		case errors.Is(err, wxads.ErrExpired):
			return wxads.Errorf(wxads.CodeOAuthCodeExpired, "authorization_code")
		case err != nil:
			return err
		}
		account, scopes = c.AccountID, c.Scopes
	} else {
		refresh = q.Get("refresh_token")
		if err := checkTokenFormat(refresh, "refresh_token", wxads.CodeOAuthRefreshMalformed); err != nil {
			return err
		}
		rt, err := o.RefreshOAuth(r.Context(), hashToken(refresh), now, func(t *wxads.OAuthToken) error {
			if t.ClientID != client.ID {
				return wxads.Errorf(wxads.CodeV11TokenInvalid, "refresh_token")
			}
			return nil
		}, at, now+wxads.OAuthRefreshTTL)
		if err == nil {
			// Whatever a refresh ends of the grant's tokens ends on every node now.
			err = s.authChangedAccount(r.Context(), rt.AccountID)
		}
		switch {
		case errors.Is(err, wxads.ErrNotFound):
			return wxads.Errorf(wxads.CodeV11TokenInvalid, "refresh_token")
		case errors.Is(err, wxads.ErrExpired):
			return wxads.Errorf(wxads.CodeOAuthRefreshExpired, "refresh_token")
		case err != nil:
			return err
		}
		account, scopes = rt.AccountID, rt.Scopes
	}
	return writeData(w, apiTencent, oauthTokenData{
		AccessToken: access, RefreshToken: refresh,
		AccessTokenExpiresIn: wxads.OAuthAccessTTL, RefreshTokenExpiresIn: wxads.OAuthRefreshTTL,
		AuthorizerInfo: authorizerInfo{
			// The emulator has no QQ accounts: the uin is the account id.
			AccountUin: account, AccountID: account, ScopeList: scopes,
			AccountRoleType: "ACCOUNT_ROLE_TYPE_ADVERTISER", AccountType: "ACCOUNT_TYPE_ADVERTISER",
			RoleType: "ROLE_TYPE_ADMIN",
		},
	})
}

// checkTokenFormat: empty is 11005, anything but 32 lowercase hex malformed.
func checkTokenFormat(v, param string, malformed int) error {
	if v == "" {
		return wxads.Errorf(wxads.CodeOAuthTokenEmpty, param)
	}
	if !oauthTokenFormat.MatchString(v) {
		return wxads.Errorf(malformed, param)
	}
	return nil
}

// oauthClientCredentials checks client_id and client_secret: unknown or
// wrong is 11007 either way; wrong secrets are limited like app secrets
// (per address and per client, 11008 past the limit).
func (s *Server) oauthClientCredentials(r *http.Request, o wxads.OAuthStore, id, secret string) (*wxads.OAuthClient, error) {
	if id == "" {
		return nil, wxads.Errorf(wxads.CodeRequired, "client_id")
	}
	if secret == "" {
		return nil, wxads.Errorf(wxads.CodeRequired, "client_secret")
	}
	n, err := parseID(id)
	if err != nil {
		return nil, wxads.Errorf(wxads.CodeOAuthClientInvalid, "client_id")
	}
	c, err := o.OAuthClient(r.Context(), n)
	if errors.Is(err, wxads.ErrNotFound) {
		return nil, wxads.Errorf(wxads.CodeOAuthClientInvalid, "client_id")
	} else if err != nil {
		return nil, err
	}
	ip := clientIP(r, s.cfg.TrustedProxies)
	key := &wxads.App{AppID: "oauth:" + id} // no whitelist: every address is limited
	if !s.guesses.allowed(s.cfg.Clock.Now(), key, ip) {
		return nil, wxads.Literal(wxads.CodeOAuthTooFrequent,
			"too many wrong client secrets from this address or for this client_id; retry after a minute")
	}
	if subtle.ConstantTimeCompare(HashSecret(secret), c.SecretHash) != 1 {
		s.wrongSecret(key.AppID, ip)
		return nil, wxads.Errorf(wxads.CodeOAuthClientInvalid, "client_secret")
	}
	return c, nil
}
