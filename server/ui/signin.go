package ui

import (
	"crypto/subtle"
	"errors"
	"net/http"
	"strconv"
	"strings"

	"github.com/wxads/wxads"
)

type signinData struct {
	Next    string
	AppID   string
	Failed  bool
	Limited bool
	Retry   int
}

func (u *UI) signinPage(w http.ResponseWriter, r *http.Request, c *ctx) error {
	return u.render(w, r, c, http.StatusOK, "signin", "signin", signinData{Next: localPath(r.URL.Query().Get("next"), "")})
}

// signin checks an appid+secret or the admin token. Failures count per
// address and per appid; past the limit even a right secret is refused
// until the window passes (429), and the page says when to retry.
func (u *UI) signin(w http.ResponseWriter, r *http.Request, c *ctx) error {
	ip := "ip:" + u.clientIP(r)
	appid := strings.TrimSpace(r.PostFormValue("appid"))
	adminToken := r.PostFormValue("admin_token")
	data := signinData{Next: localPath(r.PostFormValue("next"), ""), AppID: appid}
	keys := []struct {
		key   string
		limit int
	}{{ip, maxFailsPerIP}}
	if adminToken == "" {
		keys = append(keys, struct {
			key   string
			limit int
		}{"appid:" + appid, maxFailsPerAppID})
	}
	for _, k := range keys {
		if blocked, left := u.limiter.blocked(k.key, k.limit); blocked {
			data.Limited, data.Retry = true, int(left.Seconds())+1
			w.Header().Set("Retry-After", strconv.Itoa(data.Retry))
			return u.render(w, r, c, http.StatusTooManyRequests, "signin", "signin", data)
		}
	}
	fill, err := u.check(r, appid, r.PostFormValue("secret"), adminToken)
	if err != nil {
		for _, k := range keys {
			u.limiter.fail(k.key)
		}
		u.log.Info("dashboard sign-in refused", "ip", ip, "appid", appid, "admin", adminToken != "")
		data.Failed = true
		return u.render(w, r, c, http.StatusUnauthorized, "signin", "signin", data)
	}
	u.sessions.start(w, r, c.s, fill)
	http.Redirect(w, r, localPath(data.Next, "/ui/sources"), http.StatusSeeOther)
	return nil
}

// ErrBadCredentials is what Config.Authenticate returns for a wrong secret.
var ErrBadCredentials = errors.New("ui: wrong appid or secret")

// check returns how to fill the new session, or ErrBadCredentials.
func (u *UI) check(r *http.Request, appid, secret, adminToken string) (func(*session), error) {
	if adminToken != "" {
		if u.cfg.AdminToken == "" || subtle.ConstantTimeCompare([]byte(adminToken), []byte(u.cfg.AdminToken)) != 1 {
			return nil, ErrBadCredentials
		}
		return func(s *session) { s.admin = true }, nil
	}
	if appid == "" || secret == "" {
		return nil, ErrBadCredentials
	}
	app, err := u.cfg.Authenticate(r.Context(), appid, secret)
	if err != nil {
		if !errors.Is(err, wxads.ErrNotFound) && !errors.Is(err, ErrBadCredentials) {
			u.log.Error("dashboard sign-in", "appid", appid, "err", err)
		}
		return nil, ErrBadCredentials
	}
	return func(s *session) { s.appid, s.accountID = app.AppID, app.AccountID }, nil
}

func (u *UI) signout(w http.ResponseWriter, r *http.Request, c *ctx) error {
	u.sessions.end(w, r, c.s)
	http.Redirect(w, r, "/ui/signin", http.StatusSeeOther)
	return nil
}

func (u *UI) clientIP(r *http.Request) string {
	if u.cfg.ClientIP != nil {
		if ip := u.cfg.ClientIP(r); ip.IsValid() {
			return ip.String()
		}
	}
	host := r.RemoteAddr
	if i := strings.LastIndexByte(host, ':'); i >= 0 {
		host = host[:i]
	}
	return host
}
