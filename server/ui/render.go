package ui

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/wxads/wxads"
)

// pageTemplate is the layout parsed together with one page's content.
type pageTemplate = template.Template

var funcs = template.FuncMap{
	"yuan": func(fen int64) string { return fmt.Sprintf("%d.%02d", fen/100, fen%100) },
	"pct": func(part, whole int64) string {
		if whole == 0 {
			return "–"
		}
		return fmt.Sprintf("%.1f%%", float64(part)*100/float64(whole))
	},
	"rectime": recordTime,
	"clip":    clip,
	"cst": func(unix int64) string {
		if unix == 0 {
			return "–"
		}
		return time.Unix(unix, 0).In(wxads.CST).Format(wxads.TimeLayout)
	},
}

// parsePages parses every page once: layout + partials + the page.
func parsePages() (map[string]*pageTemplate, error) {
	names, err := fs.Glob(templateFS, "templates/*.html")
	if err != nil {
		return nil, err
	}
	pages := map[string]*pageTemplate{}
	for _, name := range names {
		base := strings.TrimSuffix(strings.TrimPrefix(name, "templates/"), ".html")
		if base == "layout" || base == "partials" {
			continue
		}
		t, err := template.New("layout").Funcs(funcs).ParseFS(templateFS,
			"templates/layout.html", "templates/partials.html", name)
		if err != nil {
			return nil, err
		}
		pages[base] = t
	}
	return pages, nil
}

// ctx is what a handler knows about the browser it answers.
type ctx struct {
	s       *session
	lang    lang
	account int64 // the advertiser whose data the page shows
}

// view is every page's template data.
type view struct {
	L       lang
	S       *session
	Page    string // template name, also the active nav entry
	Title   string // i18n key
	Path    string // this page's URL, for the language toggle to return to
	Flash   string
	Account int64
	Data    any
}

func (v *view) CSRF() string {
	if v.S == nil {
		return ""
	}
	return v.S.csrf
}

// AccountQuery keeps an admin's chosen advertiser in links.
func (v *view) AccountQuery() template.URL {
	if v.S != nil && v.S.admin && v.Account != 0 {
		return template.URL("account=" + strconv.FormatInt(v.Account, 10))
	}
	return ""
}

type handlerFunc func(w http.ResponseWriter, r *http.Request, c *ctx) error

func (u *UI) newCtx(w http.ResponseWriter, r *http.Request, s *session) *ctx {
	c := &ctx{s: s, lang: langOf(r)}
	if s != nil {
		c.account = s.accountID
		if s.admin {
			c.account, _ = strconv.ParseInt(r.FormValue("account"), 10, 64)
		}
	}
	return c
}

// page serves a page anyone may see; it makes sure the browser has a
// session so the page's forms carry a CSRF token.
func (u *UI) page(h handlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		s := u.sessions.get(r)
		if s == nil {
			s = u.sessions.start(w, r, nil, nil)
		}
		u.run(w, r, u.newCtx(w, r, s), h)
	}
}

// form handles a POST: the session's CSRF token must come with it.
func (u *UI) form(h handlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		r.Body = http.MaxBytesReader(w, r.Body, 1<<20)
		s := u.sessions.get(r)
		c := u.newCtx(w, r, s)
		if !validCSRF(s, r) {
			u.fail(w, r, http.StatusForbidden, errCSRF)
			return
		}
		u.run(w, r, c, h)
	}
}

// authed serves a page for a signed-in user; others go to sign in.
func (u *UI) authed(h handlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		s := u.sessions.get(r)
		if s == nil || !s.signedIn() {
			http.Redirect(w, r, "/ui/signin?next="+url.QueryEscape(r.URL.RequestURI()), http.StatusSeeOther)
			return
		}
		u.run(w, r, u.newCtx(w, r, s), h)
	}
}

func (u *UI) authedForm(h handlerFunc) http.HandlerFunc {
	return u.form(func(w http.ResponseWriter, r *http.Request, c *ctx) error {
		if c.s == nil || !c.s.signedIn() {
			return errForbidden
		}
		return h(w, r, c)
	})
}

// admin serves a page only the operator (admin token) may see; to an
// advertiser it answers 404, as if the page did not exist.
func (u *UI) admin(h handlerFunc) http.HandlerFunc {
	return u.authed(func(w http.ResponseWriter, r *http.Request, c *ctx) error {
		if !c.s.admin {
			return errNotFound
		}
		return h(w, r, c)
	})
}

func (u *UI) adminForm(h handlerFunc) http.HandlerFunc {
	return u.form(func(w http.ResponseWriter, r *http.Request, c *ctx) error {
		if c.s == nil || !c.s.admin {
			return errNotFound
		}
		return h(w, r, c)
	})
}

func (u *UI) run(w http.ResponseWriter, r *http.Request, c *ctx, h handlerFunc) {
	if err := h(w, r, c); err != nil {
		status := http.StatusInternalServerError
		switch {
		case errors.Is(err, errNotFound), errors.Is(err, wxads.ErrNotFound):
			status, err = http.StatusNotFound, errNotFound
		case errors.Is(err, errForbidden):
			status = http.StatusForbidden
		case errors.Is(err, errCSRF):
			status = http.StatusForbidden
		case errors.Is(err, errBadInput):
			status = http.StatusBadRequest
		default:
			u.log.Error("dashboard", "path", r.URL.Path, "err", err)
		}
		u.fail(w, r, status, err)
	}
}

// render writes a page; it is rendered to a buffer first so a template
// error becomes a clean 500, not half a page.
func (u *UI) render(w http.ResponseWriter, r *http.Request, c *ctx, status int, page, title string, data any) error {
	t := u.pages[page]
	if t == nil {
		return fmt.Errorf("no template %q", page)
	}
	v := &view{L: c.lang, S: c.s, Page: page, Title: title, Path: r.URL.RequestURI(), Account: c.account, Data: data}
	if c.s != nil && c.s.signedIn() {
		v.Flash = u.sessions.takeFlash(c.s)
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, "layout.html", v); err != nil {
		return err
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_, err := w.Write(buf.Bytes())
	return err
}

// fail answers an error page in the browser's language.
func (u *UI) fail(w http.ResponseWriter, r *http.Request, status int, err error) {
	key := "err_internal"
	switch {
	case errors.Is(err, errNotFound):
		key = "err_not_found"
	case errors.Is(err, errForbidden):
		key = "err_forbidden"
	case errors.Is(err, errCSRF):
		key = "err_csrf"
	case errors.Is(err, errBadInput):
		key = "err_bad_input"
	}
	s := u.sessions.get(r)
	c := u.newCtx(w, r, s)
	if rerr := u.render(w, r, c, status, "error", key, map[string]any{"Status": status, "Detail": detailOf(err)}); rerr != nil {
		http.Error(w, http.StatusText(status), status)
	}
}

// detailOf is the part of a bad-input error worth showing the user.
func detailOf(err error) string {
	var d detailErr
	if errors.As(err, &d) {
		return d.detail
	}
	return ""
}

// detailErr is errBadInput with what was wrong.
type detailErr struct{ detail string }

func (e detailErr) Error() string { return "bad input: " + e.detail }
func (e detailErr) Unwrap() error { return errBadInput }

func badInput(format string, args ...any) error { return detailErr{fmt.Sprintf(format, args...)} }

func writeJSON(w http.ResponseWriter, v any) error {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	return json.NewEncoder(w).Encode(v)
}

// shownBodyCap bounds a body on the live page: fifty calls of 64 KiB each
// would make a page of megabytes. The API returns the whole kept body.
const shownBodyCap = 16 << 10

// clip cuts s to shownBodyCap bytes on a UTF-8 boundary.
func clip(s string) string {
	if len(s) <= shownBodyCap {
		return s
	}
	n := shownBodyCap
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n] + fmt.Sprintf(" … (%d bytes; GET /ext/v1/requests/get returns all of it)", len(s))
}
