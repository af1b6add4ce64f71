// Package server is the platform's HTTP layer: routes, envelopes, auth and
// request plumbing over the domain services.
package server

import (
	"log/slog"
	"net/http"
	"net/netip"
	"sync"

	"github.com/wxads/wxads"
	"github.com/wxads/wxads/metrics"
)

// DefaultBodyLimit is the largest request body accepted (SPEC §6: 1 MiB).
const DefaultBodyLimit = 1 << 20

// Stores are the services the server runs on; one backend implements them all.
type Stores interface {
	wxads.AccountStore
	wxads.TokenStore
	wxads.ActionSetStore
	wxads.ActionStore
	wxads.ReportStore
	wxads.AdEventStore
	wxads.CatalogStore
}

// Config is what a Server needs. Zero values get defaults in New.
type Config struct {
	Stores Stores
	Nonces wxads.NonceStore
	// Counters, when set, keeps the wrong-secret limits for every node
	// sharing it (Redis); nil counts per node, in memory.
	Counters wxads.WindowCounter
	Clock    wxads.Clock
	// FakeClock, when set, is also Clock and enables POST /admin/v1/clock.
	FakeClock *wxads.FakeClock

	AdminToken     string
	ServerKey      []byte
	TrustedProxies []netip.Prefix

	BodyLimit int64
	Limits    Limits // requests and body bytes in flight, body pace
	Logger    *slog.Logger

	// Metrics, when set, records every request and serves GET /metrics to
	// loopback callers, or nowhere on this handler when MetricsElsewhere
	// (the --metrics-addr listener serves MetricsHandler instead).
	Metrics          *metrics.Registry
	MetricsElsewhere bool

	// Inspector keeps the request inspector's records (SPEC §7); nil uses
	// Stores when it implements wxads.InspectorStore, else the inspector is off.
	Inspector wxads.InspectorStore

	// Forwarder, when set, relays every stored upload (SPEC §12, package relay).
	Forwarder wxads.Forwarder

	// AuthBus, when set, carries token-cache invalidations to every node
	// sharing the store (authcache.go); nil: this node is the only one.
	AuthBus AuthBus

	// OAuthLimits bound calls with OAuth tokens (11016–11019, oauth_limit.go);
	// zero values are no limit.
	OAuthLimits OAuthLimits
}

// Server serves the platform API.
type Server struct {
	cfg     Config
	log     *slog.Logger
	handler http.Handler

	adm       admission
	guesses   guessGuard
	setOwners sync.Map   // data source id → owning account id
	inspector *inspector // nil when off
	catalog   catalogCache
	faults    faultSet // fault rules (faults.go), per node
	auth      authCache
	oauth     oauthCalls // OAuth call limits and last use (oauth_limit.go)
}

// New builds a Server and its routes.
func New(cfg Config) *Server {
	if cfg.FakeClock != nil {
		cfg.Clock = cfg.FakeClock
	}
	if cfg.Clock == nil {
		cfg.Clock = wxads.SystemClock{}
	}
	if cfg.BodyLimit == 0 {
		cfg.BodyLimit = DefaultBodyLimit
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	cfg.Limits.defaults()
	s := &Server{cfg: cfg, log: cfg.Logger, adm: admission{limits: cfg.Limits}, guesses: guessGuard{shared: cfg.Counters}}
	s.auth.init(cfg.AuthBus)
	s.startInspector()
	s.startMetrics()
	mux := http.NewServeMux()
	s.routes(mux)
	s.handler = s.guard(s.requestID(s.logRequests(s.admit(s.recoverPanics(s.cleanPaths(s.notePattern(mux)))))))
	return s
}

func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.handler.ServeHTTP(w, r) }

// now is the platform clock in Unix seconds.
func (s *Server) now() int64 { return s.cfg.Clock.Now().Unix() }
