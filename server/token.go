package server

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/binary"
	"errors"
	"net/http"
	"net/netip"

	"github.com/wxads/wxads"
)

type tokenResponse struct {
	AccessToken string `json:"access_token"`
	ExpiresIn   int64  `json:"expires_in"`
}

// getToken is GET /cgi-bin/token.
func (s *Server) getToken(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	app, err := s.checkCredentials(r, q.Get("grant_type"), q.Get("appid"), q.Get("secret"))
	if err != nil {
		return err
	}
	var raw [32]byte
	rand.Read(raw[:])
	token := base64.RawURLEncoding.EncodeToString(raw[:])
	now := s.cfg.Clock.Now()
	err = s.cfg.Stores.Issue(r.Context(), wxads.IssueToken{
		Token: wxads.Token{Hash: hashToken(token), AppID: app.AppID, Kind: wxads.TokenNormal,
			IssuedAt: now.Unix(), ExpiresAt: now.Unix() + wxads.TokenTTL},
		Day:        now.In(wxads.CST).Format(wxads.DateLayout),
		Limit:      wxads.TokenDailyLimit,
		SecretHash: app.SecretHash, // a reset_secret since the check wins
	})
	if err == nil {
		// The new token supersedes the old ones: their 300 s start now on every node.
		err = s.authSuperseded(r.Context(), app.AppID)
	}
	if errors.Is(err, wxads.ErrQuota) {
		return wxads.Errorf(wxads.CodeDailyQuota, "")
	} else if errors.Is(err, wxads.ErrSecretChanged) {
		return wxads.Errorf(wxads.CodeInvalidCredential, "secret")
	} else if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, tokenResponse{token, wxads.TokenTTL})
}

type stableTokenRequest struct {
	GrantType    string `json:"grant_type"`
	AppID        string `json:"appid"`
	Secret       string `json:"secret"`
	ForceRefresh bool   `json:"force_refresh"`
}

// postStableToken is POST /cgi-bin/stable_token.
func (s *Server) postStableToken(w http.ResponseWriter, r *http.Request) error {
	var req stableTokenRequest
	if err := s.readObjectLimit(w, r, &req, TokenBodyLimit); err != nil {
		return err
	}
	app, err := s.checkCredentials(r, req.GrantType, req.AppID, req.Secret)
	if err != nil {
		return err
	}
	now := s.cfg.Clock.Now()
	t, err := s.cfg.Stores.Stable(r.Context(), wxads.StableIssue{
		AppID: app.AppID, Now: now.Unix(), Day: now.In(wxads.CST).Format(wxads.DateLayout), Force: req.ForceRefresh,
		NewHash:    func(gen int64) []byte { return hashToken(s.stableToken(app.AppID, gen)) },
		SecretHash: app.SecretHash,
	})
	if err == nil && t.IssuedAt == now.Unix() {
		// Perhaps a new token, superseding the old one (issued this second
		// or before; a spare invalidation costs little).
		err = s.authSuperseded(r.Context(), app.AppID)
	}
	switch {
	case errors.Is(err, wxads.ErrSecretChanged):
		return wxads.Errorf(wxads.CodeInvalidCredential, "secret")
	case errors.Is(err, wxads.ErrQuota):
		return wxads.Errorf(wxads.CodeDailyQuota, "")
	case errors.Is(err, wxads.ErrTooFrequent):
		return wxads.Errorf(wxads.CodeTooFrequent, "")
	case err != nil:
		return err
	}
	return writeJSON(w, http.StatusOK, tokenResponse{s.stableToken(app.AppID, t.Generation), t.ExpiresAt - now.Unix()})
}

// stableToken derives the stable token of a generation from the server key,
// so it can be handed out again without being stored.
func (s *Server) stableToken(appid string, gen int64) string {
	m := hmac.New(sha256.New, s.cfg.ServerKey)
	m.Write([]byte("wxads stable token\x00"))
	m.Write([]byte(appid))
	m.Write(binary.BigEndian.AppendUint64(nil, uint64(gen)))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

// checkCredentials applies the token endpoints' checks in SPEC §4's order.
func (s *Server) checkCredentials(r *http.Request, grantType, appid, secret string) (*wxads.App, error) {
	if grantType != "client_credential" {
		return nil, wxads.Errorf(wxads.CodeInvalidGrantType, "grant_type")
	}
	if appid == "" {
		return nil, wxads.Errorf(wxads.CodeMissingAppID, "appid")
	}
	app, err := s.appByID(r.Context(), appid)
	if err != nil {
		return nil, err
	}
	if secret == "" {
		return nil, wxads.Errorf(wxads.CodeMissingSecret, "secret")
	}
	ip := clientIP(r, s.cfg.TrustedProxies)
	if !s.guesses.allowed(s.cfg.Clock.Now(), app, ip) {
		return nil, errGuessing
	}
	if subtle.ConstantTimeCompare(HashSecret(secret), app.SecretHash) != 1 {
		s.wrongSecret(app.AppID, ip)
		return nil, wxads.Errorf(wxads.CodeInvalidCredential, "secret")
	}
	if !ip.IsValid() || !wxads.Allowed(app.IPWhitelist, ip) {
		return nil, errNotWhitelisted(ip)
	}
	return app, nil
}

// errNotWhitelisted is 40164 with the caller's address in errmsg, as the
// live platform words it (SPEC §3): the one way a developer behind NAT or a
// proxy learns which egress address to whitelist. IPv4 also appears in its
// IPv4-mapped IPv6 form; an IPv6 caller once.
func errNotWhitelisted(ip netip.Addr) error {
	shown := "unknown"
	if ip.IsValid() {
		ip = ip.Unmap()
		shown = ip.String()
		if ip.Is4() {
			shown += " ipv6 " + netip.AddrFrom16(ip.As16()).String()
		}
	}
	return &wxads.Error{Code: wxads.CodeIPNotWhitelisted,
		Message:   "invalid ip " + shown + ", not in whitelist",
		MessageCN: "调用接口的 IP 地址 " + shown + " 不在白名单中，请在 IP 白名单中添加该地址"}
}

func (s *Server) appByID(ctx context.Context, appid string) (*wxads.App, error) {
	app, err := s.cfg.Stores.App(ctx, appid)
	if errors.Is(err, wxads.ErrNotFound) {
		return nil, wxads.Errorf(wxads.CodeInvalidAppID, "appid")
	}
	return app, err
}

// HashSecret is how an app secret is stored.
func HashSecret(secret string) []byte {
	h := sha256.Sum256([]byte("wxads secret\x00" + secret))
	return h[:]
}
