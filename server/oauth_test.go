package server_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/wxads/wxads"
)

// oauthClient is a developer app made through the admin API.
type oauthClient struct {
	ID     int64  `json:"client_id"`
	Secret string `json:"client_secret"`
}

const testRedirect = "https://dev.example.com/cb"

func (h *harness) newOAuthClient(redirects ...string) oauthClient {
	h.t.Helper()
	if redirects == nil {
		redirects = []string{testRedirect}
	}
	return decodeData[oauthClient](h.t, mustOK(h.t, h.admin("POST", "/admin/v1/oauth_clients",
		map[string]any{"name": "Dev Tool", "redirect_uris": redirects})))
}

// adminCode issues an authorization code for account without a browser.
func (h *harness) adminCode(c oauthClient, account int64, scope string) string {
	h.t.Helper()
	return decodeData[struct {
		Code string `json:"authorization_code"`
	}](h.t, mustOK(h.t, h.admin("POST", "/admin/v1/oauth_codes",
		map[string]any{"client_id": c.ID, "account_id": account, "scope": scope}))).Code
}

type oauthTokens struct {
	AccessToken           string `json:"access_token"`
	RefreshToken          string `json:"refresh_token"`
	AccessTokenExpiresIn  int64  `json:"access_token_expires_in"`
	RefreshTokenExpiresIn int64  `json:"refresh_token_expires_in"`
	AuthorizerInfo        struct {
		AccountID int64    `json:"account_id"`
		ScopeList []string `json:"scope_list"`
	} `json:"authorizer_info"`
}

func (h *harness) exchange(c oauthClient, code, redirect string) envelope {
	h.t.Helper()
	q := url.Values{"client_id": {itoa(c.ID)}, "client_secret": {c.Secret}, "grant_type": {"authorization_code"},
		"authorization_code": {code}, "redirect_uri": {redirect},
		// What the Tencent SDK sends along; the endpoint ignores it.
		"access_token": {""}, "timestamp": {"1"}, "nonce": {"x"}}
	return h.do("GET", "/oauth/token", q, nil, nil)
}

func (h *harness) refresh(c oauthClient, refresh string) envelope {
	h.t.Helper()
	return h.do("GET", "/oauth/token", url.Values{"client_id": {itoa(c.ID)}, "client_secret": {c.Secret},
		"grant_type": {"refresh_token"}, "refresh_token": {refresh}}, nil, nil)
}

func TestOAuthFlowWithoutBrowser(t *testing.T) {
	h := newHarness(t)
	tn := h.newTenant()
	c := h.newOAuthClient()
	if c.ID <= 0 || len(c.Secret) != 32 {
		t.Fatalf("client %+v", c)
	}
	e := mustOK(t, h.exchange(c, h.adminCode(c, tn.AccountID, ""), testRedirect))
	if !strings.Contains(string(e.Raw), `"code":0,"message":"","message_cn":""`) {
		t.Fatalf("envelope %s", e.Raw)
	}
	tok := decodeData[oauthTokens](t, e)
	if tok.AccessTokenExpiresIn != 86400 || tok.RefreshTokenExpiresIn != 2592000 ||
		tok.AuthorizerInfo.AccountID != tn.AccountID || len(tok.AuthorizerInfo.ScopeList) != len(wxads.OAuthScopes) {
		t.Fatalf("tokens %s", e.Data)
	}
	// The OAuth token acts for the advertiser on /v1.1.
	oa := tenant{AccountID: tn.AccountID, Token: tok.AccessToken}
	mustOK(t, h.v11(oa, nil))
	wantCode(t, h.v11(oa, map[string]string{"account_id": itoa(tn.AccountID + 1000)}), wxads.CodeNotAccessible)
	// Not on the WeChat side, and a refresh token is no access token.
	wantCode(t, h.useToken(tok.AccessToken), wxads.CodeInvalidAccessToken)
	wantCode(t, h.v11(tenant{AccountID: tn.AccountID, Token: tok.RefreshToken}, nil), wxads.CodeV11TokenInvalid)

	// Access tokens live 86400 s; a refresh issues a new one and restarts the refresh token's 30 days.
	h.at(harnessNow.Unix() + 86400)
	mustOK(t, h.v11(oa, nil))
	h.at(harnessNow.Unix() + 86401)
	wantCode(t, h.v11(oa, nil), wxads.CodeV11TokenExpired)
	h.at(harnessNow.Unix() + 2592000)
	r := decodeData[oauthTokens](t, mustOK(t, h.refresh(c, tok.RefreshToken)))
	if r.AccessToken == tok.AccessToken || r.RefreshToken != tok.RefreshToken || r.AuthorizerInfo.AccountID != tn.AccountID {
		t.Fatalf("refresh %+v", r)
	}
	mustOK(t, h.v11(tenant{AccountID: tn.AccountID, Token: r.AccessToken}, nil))
	h.at(harnessNow.Unix() + 2*2592000) // 30 days after the refresh, not after the code
	mustOK(t, h.refresh(c, tok.RefreshToken))
	h.at(harnessNow.Unix() + 3*2592000 + 1)
	wantCode(t, h.refresh(c, tok.RefreshToken), wxads.CodeOAuthRefreshExpired)
}

func TestOAuthTokenErrors(t *testing.T) {
	h := newHarness(t)
	tn := h.newTenant()
	c := h.newOAuthClient()
	other := h.newOAuthClient("https://other.example.com/cb")
	tok := decodeData[oauthTokens](t, mustOK(t, h.exchange(c, h.adminCode(c, tn.AccountID, ""), testRedirect)))

	code := h.adminCode(c, tn.AccountID, "")
	bad := func(q url.Values, want int) {
		t.Helper()
		e := h.do("GET", "/oauth/token", q, nil, nil)
		wantCode(t, e, want)
		if e.Status != http.StatusOK || e.Message == "" || e.MessageCN == "" {
			t.Fatalf("error envelope %s", e.Raw)
		}
	}
	base := func(kv ...string) url.Values {
		q := url.Values{"client_id": {itoa(c.ID)}, "client_secret": {c.Secret}, "grant_type": {"authorization_code"},
			"authorization_code": {code}, "redirect_uri": {testRedirect}}
		for i := 0; i+1 < len(kv); i += 2 {
			if kv[i+1] == "-" {
				q.Del(kv[i])
			} else {
				q.Set(kv[i], kv[i+1])
			}
		}
		return q
	}
	bad(base("grant_type", "-"), wxads.CodeRequired)
	bad(base("grant_type", "password"), wxads.CodeNotInEnum)
	bad(base("client_id", "-"), wxads.CodeRequired)
	bad(base("client_id", "abc"), wxads.CodeOAuthClientInvalid)
	bad(base("client_id", "999"), wxads.CodeOAuthClientInvalid)
	bad(base("client_secret", "-"), wxads.CodeRequired)
	bad(base("client_secret", strings.Repeat("0", 32)), wxads.CodeOAuthClientInvalid)
	bad(base("authorization_code", "-"), wxads.CodeOAuthTokenEmpty)
	bad(base("authorization_code", "not-a-code"), wxads.CodeOAuthTokenMalformed)
	bad(base("authorization_code", strings.Repeat("a", 32)), wxads.CodeV11TokenInvalid)
	bad(base("redirect_uri", "https://dev.example.com/cb/evil"), wxads.CodeOAuthOutOfScope)
	bad(base("client_id", itoa(other.ID), "client_secret", other.Secret), wxads.CodeV11TokenInvalid)
	// None of the refusals above used the code up.
	mustOK(t, h.do("GET", "/oauth/token", base(), nil, nil))
	bad(base(), wxads.CodeOAuthCodeUsed)

	// A code lives 5 minutes.
	late := h.adminCode(c, tn.AccountID, "")
	h.at(harnessNow.Unix() + wxads.OAuthCodeTTL)
	fresh := h.adminCode(c, tn.AccountID, "")
	h.at(harnessNow.Unix() + wxads.OAuthCodeTTL + 1)
	bad(base("authorization_code", late), wxads.CodeOAuthCodeExpired)
	mustOK(t, h.do("GET", "/oauth/token", base("authorization_code", fresh), nil, nil))

	ref := func(kv ...string) url.Values {
		return base(append([]string{"grant_type", "refresh_token", "authorization_code", "-", "refresh_token", tok.RefreshToken}, kv...)...)
	}
	bad(ref("refresh_token", "-"), wxads.CodeOAuthTokenEmpty)
	bad(ref("refresh_token", "short"), wxads.CodeOAuthRefreshMalformed)
	bad(ref("refresh_token", strings.Repeat("b", 32)), wxads.CodeV11TokenInvalid)
	bad(ref("refresh_token", tok.AccessToken), wxads.CodeV11TokenInvalid)
	bad(ref("client_id", itoa(other.ID), "client_secret", other.Secret), wxads.CodeV11TokenInvalid)
	mustOK(t, h.do("GET", "/oauth/token", ref(), nil, nil))

	// Admin API refusals.
	wantCode(t, h.admin("POST", "/admin/v1/oauth_clients", map[string]any{"name": "x"}), wxads.CodeRequired)
	wantCode(t, h.admin("POST", "/admin/v1/oauth_clients", map[string]any{"name": "x", "redirect_uris": []string{"ftp://x"}}), wxads.CodeBadFormat)
	wantCode(t, h.admin("POST", "/admin/v1/oauth_codes", map[string]any{"client_id": 5, "account_id": tn.AccountID}), wxads.CodeOAuthClientInvalid)
	wantCode(t, h.admin("POST", "/admin/v1/oauth_codes", map[string]any{"client_id": c.ID, "account_id": 5}), wxads.CodeNotAccessible)
	wantCode(t, h.admin("POST", "/admin/v1/oauth_codes", map[string]any{"client_id": c.ID, "account_id": tn.AccountID, "scope": "root"}), wxads.CodeNotInEnum)
}

func TestOAuthWrongSecretLimited(t *testing.T) {
	h := newHarness(t)
	c := h.newOAuthClient()
	q := url.Values{"client_id": {itoa(c.ID)}, "client_secret": {strings.Repeat("0", 32)},
		"grant_type": {"refresh_token"}, "refresh_token": {strings.Repeat("b", 32)}}
	for range 10 {
		wantCode(t, h.do("GET", "/oauth/token", q, nil, nil), wxads.CodeOAuthClientInvalid)
	}
	wantCode(t, h.do("GET", "/oauth/token", q, nil, nil), wxads.CodeOAuthTooFrequent)
	q.Set("client_secret", c.Secret) // even the right secret waits for the window
	wantCode(t, h.do("GET", "/oauth/token", q, nil, nil), wxads.CodeOAuthTooFrequent)
}

func TestOAuthScopeAndStatus(t *testing.T) {
	h := newHarness(t)
	tn := h.newTenant()
	c := h.newOAuthClient()
	tok := decodeData[oauthTokens](t, mustOK(t, h.exchange(c, h.adminCode(c, tn.AccountID, "user_actions"), testRedirect)))
	oa := tenant{AccountID: tn.AccountID, Token: tok.AccessToken}
	wantCode(t, h.v11(oa, nil), wxads.CodeOAuthOutOfScope)
	full := decodeData[oauthTokens](t, mustOK(t, h.exchange(c, h.adminCode(c, tn.AccountID, "ads_management"), "")))
	oa.Token = full.AccessToken
	mustOK(t, h.v11(oa, nil))
	h.setStatus(tn.AccountID, wxads.StatusPending)
	wantCode(t, h.v11(oa, nil), wxads.CodeAPIUnauthorized)
}
