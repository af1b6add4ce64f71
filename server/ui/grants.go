package ui

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
)

// The authorized-apps page (已授权应用): the developer apps (OAuth clients)
// the advertiser has let act for it on the Tencent side, and a revoke per
// app. Both go through the API in-process — the advertiser's own
// GET/POST /ext/v1/oauth_grants/… with its app's token, the operator's
// /admin/v1/oauth_grants — so the page shows what the API answers and a
// revocation here is the API's, token-cache invalidation included.

func init() {
	for k, v := range grantLabels {
		labels[k] = v
	}
}

var grantLabels = map[string][2]string{
	"nav_grants": {"已授权应用", "Authorized apps"},
	"grants_intro": {"以下开发者应用经你授权（OAuth 2.0），可代表本账户调用腾讯广告 Marketing API（/v1.1、/v3.0）。撤销后，该应用的全部 access_token 和 refresh_token 立即失效（下一次调用返回 11002），尚未兑换的授权码也随之作废。",
		"These developer apps were authorized by you (OAuth 2.0) to call the Tencent Marketing API (/v1.1, /v3.0) for this account. Revoking one ends all its access and refresh tokens at once (its next call gets 11002) and voids codes it has not traded yet."},
	"grants_none":      {"尚未授权任何开发者应用", "No developer app is authorized"},
	"grant_client_id":  {"应用 ID（client_id）", "App id (client_id)"},
	"grant_scopes":     {"授权范围", "Scopes"},
	"grant_authorized": {"首次授权", "First authorized"},
	"grant_issued":     {"最近签发令牌", "Last token issued"},
	"grant_used":       {"最近使用", "Last used"},
	"grant_live":       {"有效令牌", "Live tokens"},
	"grant_pending":    {"待兑换授权码", "Codes not yet traded"},
	"grant_never":      {"从未", "never"},
	"grant_expired":    {"令牌均已过期", "every token has expired"},
	"grant_revoke":     {"撤销授权", "Revoke"},
	"grant_confirm": {"该应用将立即失去访问权限，已签发的令牌全部失效，且无法恢复；如需再次使用，须由你重新授权。",
		"The app loses access at once: every token it holds ends and cannot be restored. To use it again, you would have to authorize it anew."},
	"grant_confirm_button": {"确认撤销", "Confirm: revoke"},
	"grant_revoked":        {"已撤销授权", "Revoked"},
	"grant_revoked_tokens": {"个令牌已失效", "tokens ended"},
}

// grantView is one grant as the API lists it.
type grantView struct {
	ClientID         int64    `json:"client_id"`
	ClientName       string   `json:"client_name"`
	ScopeList        []string `json:"scope_list"`
	AuthorizedTime   string   `json:"authorized_time"`
	LastIssuedTime   string   `json:"last_issued_time"`
	LastUsedTime     string   `json:"last_used_time"`
	LiveTokenCount   int64    `json:"live_token_count"`
	PendingCodeCount int64    `json:"pending_code_count"`
}

// grantsPage lists the page's advertiser's grants, each with a revoke form.
func (u *UI) grantsPage(w http.ResponseWriter, r *http.Request, c *ctx) error {
	if c.account == 0 {
		return u.pickAccount(w, r, c, "grants", "nav_grants")
	}
	var data struct {
		List []grantView `json:"list"`
	}
	failure, err := u.grantsCall(r, c, http.MethodGet, 0, &data)
	if err != nil {
		return err
	}
	return u.render(w, r, c, http.StatusOK, "grants", "nav_grants", map[string]any{"List": data.List, "Failure": failure})
}

// grantAction revokes one grant and returns to the list with the outcome.
func (u *UI) grantAction(w http.ResponseWriter, r *http.Request, c *ctx) error {
	if c.account == 0 {
		return errNotFound
	}
	client, err := strconv.ParseInt(strings.TrimSpace(r.PostFormValue("client_id")), 10, 64)
	if err != nil || client <= 0 {
		return badInput("client_id %q is not an app id", r.PostFormValue("client_id"))
	}
	var data struct {
		Revoked int64 `json:"revoked_token_count"`
	}
	failure, err := u.grantsCall(r, c, http.MethodPost, client, &data)
	if err != nil {
		return err
	}
	msg := failure
	if msg == "" {
		name := strings.TrimSpace(r.PostFormValue("client_name"))
		msg = fmt.Sprintf("%s %s (%d) · %d %s", c.lang.T("grant_revoked"), name, client, data.Revoked, c.lang.T("grant_revoked_tokens"))
	}
	u.sessions.setFlash(c.s, msg)
	back := "/ui/grants"
	if c.s.admin {
		back += "?account=" + strconv.FormatInt(c.account, 10)
	}
	http.Redirect(w, r, back, http.StatusSeeOther)
	return nil
}

// grantsCall lists (GET) or revokes (POST, client) through the API
// in-process: as the signed-in app with its token, or as the operator for
// the chosen advertiser. A refusal comes back as "errcode N: message" for
// the page to show; err is for what the page cannot explain.
func (u *UI) grantsCall(r *http.Request, c *ctx, method string, client int64, out any) (string, error) {
	var path string
	var body []byte
	header := http.Header{}
	if c.s.admin {
		path = "/admin/v1/oauth_grants?account_id=" + strconv.FormatInt(c.account, 10)
		if method == http.MethodPost {
			path = "/admin/v1/oauth_grants/revoke"
			body, _ = json.Marshal(map[string]int64{"account_id": c.account, "client_id": client})
		}
		header.Set("Authorization", "Bearer "+u.cfg.AdminToken)
	} else {
		tok, err := u.cfg.Token(r.Context(), c.s.appid)
		if err != nil {
			return "", err
		}
		path = "/ext/v1/oauth_grants/get"
		if method == http.MethodPost {
			path = "/ext/v1/oauth_grants/revoke"
			body, _ = json.Marshal(map[string]int64{"client_id": client})
		}
		path += "?" + url.Values{"access_token": {tok}}.Encode()
	}
	req, err := http.NewRequestWithContext(r.Context(), method, path, bytes.NewReader(body))
	if err != nil {
		return "", err
	}
	req.Header = header
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	req.RemoteAddr = r.RemoteAddr
	rec := httptest.NewRecorder()
	u.cfg.API.ServeHTTP(rec, req)
	var env struct {
		Errcode int             `json:"errcode"`
		Errmsg  string          `json:"errmsg"`
		Data    json.RawMessage `json:"data"`
	}
	if err := json.Unmarshal(rec.Body.Bytes(), &env); err != nil {
		return "", fmt.Errorf("%s %s: HTTP %d: %s", method, req.URL.Path, rec.Code, rec.Body.String())
	}
	if env.Errcode != 0 {
		return fmt.Sprintf("errcode %d: %s", env.Errcode, env.Errmsg), nil
	}
	return "", json.Unmarshal(env.Data, out)
}
