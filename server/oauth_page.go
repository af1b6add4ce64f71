package server

import (
	"crypto/subtle"
	"embed"
	"errors"
	"html/template"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/wxads/wxads"
)

//go:embed oauthpage/*.html
var oauthPageFS embed.FS

var consentTemplate = template.Must(template.ParseFS(oauthPageFS, "oauthpage/authorize.html"))

// csrfCookie carries the consent form's CSRF token (double submit): a page
// on another site can make the browser post the form, but cannot read the
// cookie to put the same value in the form.
const csrfCookie = "wxads_oauth_csrf"

// maxState bounds the state echoed back to the app.
const maxState = 512

type bilingual struct{ CN, EN string }

type consentPage struct {
	Fatal, Error *bilingual
	ClientName   string
	ClientID     int64
	RedirectURI  string
	State, Scope string
	Scopes       []string
	CSRF, AppID  string
}

// consentRequest is an authorize request checked against the client: only
// then may anything be sent to redirect_uri.
type consentRequest struct {
	client   *wxads.OAuthClient
	redirect string
	state    string
	scope    string
	scopes   []string
}

// checkConsent validates client_id, redirect_uri (exactly a registered one)
// and scope; a failure is shown on the page and redirects nowhere.
func (s *Server) checkConsent(r *http.Request, v url.Values) (*consentRequest, *bilingual, error) {
	o, err := s.oauthStore()
	if err != nil {
		return nil, nil, err
	}
	id, err := parseID(v.Get("client_id"))
	if err != nil {
		return nil, &bilingual{"client_id 缺失或无效。", "client_id is missing or invalid."}, nil
	}
	c, err := o.OAuthClient(r.Context(), id)
	if errors.Is(err, wxads.ErrNotFound) {
		return nil, &bilingual{"没有这个 client_id 的应用。", "No app has this client_id."}, nil
	} else if err != nil {
		return nil, nil, err
	}
	redirect := v.Get("redirect_uri")
	if !slices.Contains(c.RedirectURIs, redirect) {
		return nil, &bilingual{"redirect_uri 与应用登记的回调地址不完全一致，不会跳转。",
			"redirect_uri is not exactly one the app registered, so nothing is sent there."}, nil
	}
	scopes, ok := parseScopes(v.Get("scope"))
	if !ok {
		return nil, &bilingual{"scope 含有未知的权限，可用：" + strings.Join(wxads.OAuthScopes, ", "),
			"scope names an unknown scope; valid: " + strings.Join(wxads.OAuthScopes, ", ")}, nil
	}
	if len(v.Get("state")) > maxState {
		return nil, &bilingual{"state 过长（最多 512 字节）。", "state is too long (at most 512 bytes)."}, nil
	}
	return &consentRequest{client: c, redirect: redirect, state: v.Get("state"), scope: v.Get("scope"), scopes: scopes}, nil, nil
}

// getAuthorize is GET /oauth/authorize: the consent page.
func (s *Server) getAuthorize(w http.ResponseWriter, r *http.Request) error {
	cr, fatal, err := s.checkConsent(r, r.URL.Query())
	if err != nil {
		return err
	}
	if fatal != nil {
		return s.renderConsent(w, http.StatusBadRequest, consentPage{Fatal: fatal})
	}
	token := randomHex(16)
	http.SetCookie(w, &http.Cookie{Name: csrfCookie, Value: token, Path: "/oauth/", HttpOnly: true,
		SameSite: http.SameSiteStrictMode, Secure: r.TLS != nil, MaxAge: 3600})
	return s.renderConsent(w, http.StatusOK, cr.page(token, "", nil))
}

func (cr *consentRequest) page(csrf, appid string, e *bilingual) consentPage {
	return consentPage{Error: e, ClientName: cr.client.Name, ClientID: cr.client.ID, RedirectURI: cr.redirect,
		State: cr.state, Scope: cr.scope, Scopes: cr.scopes, CSRF: csrf, AppID: appid}
}

// postAuthorize is the consent form: refuse, or sign in and approve.
func (s *Server) postAuthorize(w http.ResponseWriter, r *http.Request) error {
	r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
	if err := r.ParseForm(); err != nil {
		return s.renderConsent(w, http.StatusBadRequest, consentPage{Fatal: &bilingual{"表单无法解析。", "The form could not be read."}})
	}
	cookie, err := r.Cookie(csrfCookie)
	form := r.PostForm.Get("csrf_token")
	if err != nil || form == "" || subtle.ConstantTimeCompare([]byte(cookie.Value), []byte(form)) != 1 {
		return s.renderConsent(w, http.StatusForbidden, consentPage{Fatal: &bilingual{
			"表单已失效或来自其他网站（CSRF 校验失败）。请回到应用重新发起授权。",
			"The form is stale or came from another site (CSRF check failed). Start the authorization again from the app."}})
	}
	cr, fatal, err := s.checkConsent(r, r.PostForm)
	if err != nil {
		return err
	}
	if fatal != nil {
		return s.renderConsent(w, http.StatusBadRequest, consentPage{Fatal: fatal})
	}
	switch r.PostForm.Get("decision") {
	case "refuse":
		http.Redirect(w, r, withQuery(cr.redirect, "error", "access_denied", "state", cr.state), http.StatusFound)
		return nil
	case "approve":
	default:
		return s.renderConsent(w, http.StatusBadRequest, cr.page(form, "", &bilingual{"请选择同意或拒绝。", "Choose approve or refuse."}))
	}
	appid := strings.TrimSpace(r.PostForm.Get("appid"))
	adv, problem, err := s.consentSignIn(r, appid, r.PostForm.Get("secret"))
	if err != nil {
		return err
	}
	if problem != nil {
		status := http.StatusUnauthorized
		if problem == &signInLimited {
			status = http.StatusTooManyRequests
		}
		return s.renderConsent(w, status, cr.page(form, appid, problem))
	}
	o, err := s.oauthStore()
	if err != nil {
		return err
	}
	code, err := s.issueOAuthCode(r, o, cr.client.ID, adv.ID, cr.redirect, cr.scopes)
	if err != nil {
		return err
	}
	http.Redirect(w, r, withQuery(cr.redirect, "authorization_code", code, "state", cr.state), http.StatusFound)
	return nil
}

var (
	signInWrong   = bilingual{"appid 或 secret 不正确。", "The appid or secret is wrong."}
	signInLimited = bilingual{"登录失败次数过多，请一分钟后再试。", "Too many failed sign-ins; try again in a minute."}
	signInPending = bilingual{"该广告主尚未审核通过，不能授权。", "This advertiser is not approved yet and cannot authorize apps."}
)

// consentSignIn checks an app's credentials as the token endpoint does
// (constant-time, wrong secrets limited per address and appid) and returns
// its advertiser. An unknown appid reads like a wrong secret.
func (s *Server) consentSignIn(r *http.Request, appid, secret string) (*wxads.Advertiser, *bilingual, error) {
	if appid == "" || secret == "" {
		return nil, &signInWrong, nil
	}
	app, err := s.cfg.Stores.App(r.Context(), appid)
	if errors.Is(err, wxads.ErrNotFound) {
		return nil, &signInWrong, nil
	} else if err != nil {
		return nil, nil, err
	}
	ip := clientIP(r, s.cfg.TrustedProxies)
	// The advertiser signs in from a browser, not from its servers: its
	// whitelist does not exempt it here.
	guard := &wxads.App{AppID: app.AppID}
	if !s.guesses.allowed(s.cfg.Clock.Now(), guard, ip) {
		return nil, &signInLimited, nil
	}
	if subtle.ConstantTimeCompare(HashSecret(secret), app.SecretHash) != 1 {
		s.wrongSecret(app.AppID, ip)
		return nil, &signInWrong, nil
	}
	adv, err := s.cfg.Stores.Advertiser(r.Context(), app.AccountID)
	if err != nil {
		return nil, nil, err
	}
	if adv.Status != wxads.StatusApproved {
		return nil, &signInPending, nil
	}
	return adv, nil, nil
}

// withQuery adds key/value pairs to u's query, keeping what it has.
func withQuery(u string, kv ...string) string {
	p, err := url.Parse(u)
	if err != nil { // registered URIs were checked when the client was made
		return u
	}
	q := p.Query()
	for i := 0; i+1 < len(kv); i += 2 {
		q.Set(kv[i], kv[i+1])
	}
	p.RawQuery = q.Encode()
	return p.String()
}

func (s *Server) renderConsent(w http.ResponseWriter, status int, p consentPage) error {
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	h.Set("X-Frame-Options", "DENY") // a consent page must not be framed (clickjacking)
	h.Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'; base-uri 'none'")
	h.Set("Referrer-Policy", "no-referrer")
	w.WriteHeader(status)
	return consentTemplate.Execute(w, p)
}

// authorizePage serves GET (the page) and POST (the form) of /oauth/authorize.
func (s *Server) authorizePage(w http.ResponseWriter, r *http.Request) {
	var err error
	switch r.Method {
	case http.MethodGet, http.MethodHead:
		err = s.getAuthorize(w, r)
	case http.MethodPost:
		err = s.postAuthorize(w, r)
	default:
		w.Header().Set("Allow", "GET, POST")
		http.Error(w, "GET or POST only", http.StatusMethodNotAllowed)
		return
	}
	if err != nil { // a store failure: nothing was written yet
		s.writeError(w, r, apiTencent, err)
	}
}
