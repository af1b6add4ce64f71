// Package ui is the web dashboard (投放端报表) and API explorer served at
// /ui/: Go html/template pages over the platform's stores, assets embedded,
// a little plain JavaScript, no build step. It must not import package
// server (server mounts it); what it needs from there arrives in Config.
package ui

import (
	"context"
	"embed"
	"errors"
	"io/fs"
	"log/slog"
	"net/http"
	"net/netip"
	"time"

	"github.com/wxads/wxads"
)

//go:embed templates/*.html
var templateFS embed.FS

//go:embed static
var staticFS embed.FS

// Prefix is where the dashboard is mounted.
const Prefix = "/ui/"

// Stores are the reads (and the few writes) the dashboard does directly.
type Stores interface {
	wxads.AccountStore
	wxads.ActionSetStore
	wxads.ActionStore
	wxads.ReportStore
	wxads.AdEventStore
}

// Inspector is the part of the request inspector the dashboard reads.
type Inspector interface {
	Requests(ctx context.Context, q wxads.RequestQuery) ([]wxads.RequestRecord, int, error)
	UploadDiagnostics(ctx context.Context, q wxads.DiagnosticsQuery) ([]wxads.UploadDiagnostic, error)
}

// Config is what the dashboard needs from the server that mounts it.
type Config struct {
	Stores Stores
	Clock  wxads.Clock
	// AdminToken signs an operator in; "" disables admin sign-in.
	AdminToken string
	// Authenticate returns appid's app when secret is its secret (hashed,
	// constant-time compare); else an error wrapping wxads.ErrNotFound or
	// ErrBadCredentials.
	Authenticate func(ctx context.Context, appid, secret string) (*wxads.App, error)
	// Token returns an access token acting for appid: the explorer sends
	// calls with it, as the signed-in advertiser's own backend would.
	Token func(ctx context.Context, appid string) (string, error)
	// API serves the platform API in-process: the explorer's calls and the
	// admin forms go through it, so they get exactly the API's checks.
	API http.Handler
	// Inspector reads the request inspector's records; nil hides the
	// live-events page's entries and the diagnostics' refusals.
	Inspector Inspector
	// ClientIP is the caller's address as the API sees it (trusted
	// proxies applied); sign-in attempts are limited per address.
	ClientIP func(r *http.Request) netip.Addr
	Logger   *slog.Logger
}

// UI serves the dashboard.
type UI struct {
	cfg      Config
	log      *slog.Logger
	pages    map[string]*pageTemplate
	sessions *sessions
	limiter  *limiter
	mux      *http.ServeMux
}

// New builds the dashboard; templates are parsed once here.
func New(cfg Config) (*UI, error) {
	if cfg.Clock == nil {
		cfg.Clock = wxads.SystemClock{}
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	pages, err := parsePages()
	if err != nil {
		return nil, err
	}
	u := &UI{cfg: cfg, log: cfg.Logger, pages: pages,
		sessions: newSessions(cfg.Clock, 12*time.Hour),
		limiter:  newLimiter(cfg.Clock, 15*time.Minute)}
	u.mux = http.NewServeMux()
	u.routes(u.mux)
	return u, nil
}

func (u *UI) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	// Everything is same-origin and embedded: no CDN, no inline handlers.
	h.Set("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; frame-ancestors 'none'; form-action 'self'")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "same-origin")
	u.mux.ServeHTTP(w, r)
}

// routes registers every dashboard page.
func (u *UI) routes(mux *http.ServeMux) {
	static, _ := fs.Sub(staticFS, "static")
	mux.Handle("GET /ui/static/", http.StripPrefix("/ui/static/", cacheForever(http.FileServerFS(static))))
	mux.HandleFunc("GET /ui/{$}", u.home)
	mux.HandleFunc("GET /ui/signin", u.page(u.signinPage))
	mux.HandleFunc("POST /ui/signin", u.form(u.signin))
	mux.HandleFunc("POST /ui/signout", u.form(u.signout))
	mux.HandleFunc("GET /ui/lang/{lang}", u.setLang)

	mux.HandleFunc("GET /ui/sources", u.authed(u.sourcesPage))
	mux.HandleFunc("GET /ui/sources/{set_id}", u.authed(u.reportPage))
	mux.HandleFunc("GET /ui/ads", u.authed(u.adsPage))
	mux.HandleFunc("GET /ui/diagnostics", u.authed(u.diagnosticsPage))
	mux.HandleFunc("GET /ui/live", u.authed(u.livePage))
	mux.HandleFunc("GET /ui/live/feed", u.authed(u.liveFeed))
	mux.HandleFunc("GET /ui/errcodes", u.page(u.errcodesPage))
	mux.HandleFunc("GET /ui/explorer", u.authed(u.explorerPage))
	mux.HandleFunc("POST /ui/explorer", u.authedForm(u.explorerSend))
	mux.HandleFunc("GET /ui/grants", u.authed(u.grantsPage)) // grants.go: authorized apps
	mux.HandleFunc("POST /ui/grants", u.authedForm(u.grantAction))

	mux.HandleFunc("GET /ui/admin/advertisers", u.admin(u.advertisersPage))
	mux.HandleFunc("POST /ui/admin/advertisers", u.adminForm(u.advertiserAction))
	mux.HandleFunc("GET /ui/admin/apps", u.admin(u.appsPage))
	mux.HandleFunc("POST /ui/admin/apps", u.adminForm(u.appAction))
	mux.HandleFunc("GET /ui/admin/followers", u.admin(u.followersPage))
	mux.HandleFunc("GET /ui/admin/ad_events", u.admin(u.adEventsPage))
	mux.HandleFunc("GET /ui/admin/faults", u.admin(u.faultsPage))
	mux.HandleFunc("POST /ui/admin/faults", u.adminForm(u.faultAction))
	mux.HandleFunc("GET /ui/admin/relay", u.admin(u.relayPage))
	mux.HandleFunc("POST /ui/admin/relay", u.adminForm(u.relayAction))

	mux.HandleFunc("/ui/", func(w http.ResponseWriter, r *http.Request) {
		u.fail(w, r, http.StatusNotFound, errNotFound)
	})
}

func cacheForever(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "public, max-age=3600")
		h.ServeHTTP(w, r)
	})
}

// home sends a visitor to the sources page, or to sign in.
func (u *UI) home(w http.ResponseWriter, r *http.Request) {
	if s := u.sessions.get(r); s != nil && s.signedIn() {
		http.Redirect(w, r, "/ui/sources", http.StatusSeeOther)
		return
	}
	http.Redirect(w, r, "/ui/signin", http.StatusSeeOther)
}

// Errors a page can show; each has a label in both languages.
var (
	errNotFound  = errors.New("not_found")
	errForbidden = errors.New("forbidden")
	errCSRF      = errors.New("csrf")
	errBadInput  = errors.New("bad_input")
)
