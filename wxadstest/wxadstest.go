// Package wxadstest runs the wxads platform in-process for Go tests, as
// net/http/httptest does for handlers: a real server on a temporary SQLite
// database, with a fake clock and a ready tenant (an APPROVED advertiser,
// an app, followers and a WECHAT data source).
//
//	srv := wxadstest.NewServer(t)
//	c := srv.Client()
//	sum, err := c.UserActions.Add(ctx, client.UserAction{UserActionSetID: srv.SetID, …})
//
// Everything is closed and removed by t.Cleanup.
package wxadstest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"io"
	"log/slog"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/wxads/wxads"
	"github.com/wxads/wxads/client"
	"github.com/wxads/wxads/inmem"
	"github.com/wxads/wxads/server"
	"github.com/wxads/wxads/sqlite"
)

// Server is a running platform and the tenant seeded in it.
type Server struct {
	URL        string // base URL, e.g. http://127.0.0.1:34567
	AdminToken string
	Clock      *wxads.FakeClock // the platform clock; Advance it to age tokens

	AccountID int64    // the APPROVED advertiser
	AppID     string   // its app (loopback whitelist)
	Secret    string   // the app's secret
	SetID     int64    // a WECHAT data source of the app
	Followers []string // openids that follow the app (identified actions)

	DB *sqlite.DB // the stores, for assertions a test cannot make through the API

	t         testing.TB // nil when started with Start
	dir       string
	ts        *httptest.Server
	closeOnce sync.Once
}

// Option changes what NewServer starts or seeds.
type Option func(*settings)

type settings struct {
	appid, secret string
	followers     int
	now           time.Time
	frozen        bool
	logger        *slog.Logger
	configure     []func(*server.Config)
}

// WithCredentials fixes the app's appid (wx + 16 lowercase hex) and secret
// (32 lowercase hex) instead of generating them.
func WithCredentials(appid, secret string) Option {
	return func(s *settings) { s.appid, s.secret = appid, secret }
}

// WithFollowers sets how many followers are seeded (default 10).
func WithFollowers(n int) Option { return func(s *settings) { s.followers = n } }

// WithNow starts the platform clock at t instead of the wall clock's now.
func WithNow(t time.Time) Option { return func(s *settings) { s.now = t } }

// WithFrozenClock stops the clock between Set/Advance calls (the default
// clock keeps ticking from the value it was last set to).
func WithFrozenClock() Option { return func(s *settings) { s.frozen = true } }

// WithLogger receives the server's request log (default: discarded).
func WithLogger(l *slog.Logger) Option { return func(s *settings) { s.logger = l } }

// WithConfig edits the server's configuration before it starts.
func WithConfig(f func(*server.Config)) Option {
	return func(s *settings) { s.configure = append(s.configure, f) }
}

// NewServer starts a platform for the test and seeds its tenant; t.Cleanup
// stops it and removes its database. It fails the test if anything does
// not start.
func NewServer(t testing.TB, opts ...Option) *Server {
	t.Helper()
	srv, err := Start(opts...)
	if err != nil {
		t.Fatal(err)
	}
	srv.t = t
	t.Cleanup(srv.Close)
	return srv
}

// Start is NewServer outside a test (an Example, a TestMain, a dev tool):
// the caller must Close the server, which also removes its database.
func Start(opts ...Option) (*Server, error) {
	st := settings{followers: 10, now: time.Now(), logger: slog.New(slog.NewTextHandler(io.Discard, nil))}
	for _, o := range opts {
		o(&st)
	}
	dir, err := os.MkdirTemp("", "wxadstest-")
	if err != nil {
		return nil, fmt.Errorf("wxadstest: %w", err)
	}
	db, err := sqlite.Open(filepath.Join(dir, "wxads.db"))
	if err != nil {
		os.RemoveAll(dir)
		return nil, fmt.Errorf("wxadstest: opening the database: %w", err)
	}
	clock := &wxads.FakeClock{Frozen: st.frozen}
	clock.Set(st.now)
	srv := &Server{AdminToken: randomHex(16), Clock: clock, DB: db, dir: dir}
	cfg := server.Config{Stores: db, Nonces: inmem.NewNonceStore(clock), FakeClock: clock,
		AdminToken: srv.AdminToken, ServerKey: []byte(randomHex(32)), Logger: st.logger}
	for _, f := range st.configure {
		f(&cfg)
	}
	srv.ts = httptest.NewServer(server.New(cfg))
	srv.URL = srv.ts.URL
	if err := srv.seed(context.Background(), st); err != nil {
		srv.Close()
		return nil, fmt.Errorf("wxadstest: seeding: %w", err)
	}
	return srv, nil
}

// seed writes the tenant through the stores (no admin route needed).
func (s *Server) seed(ctx context.Context, st settings) error {
	now := s.Clock.Now().Unix()
	adv := &wxads.Advertiser{Name: "wxadstest advertiser", Status: wxads.StatusApproved, CreatedTime: now}
	if err := s.DB.CreateAdvertiser(ctx, adv); err != nil {
		return err
	}
	s.AccountID = adv.ID
	s.AppID, s.Secret = st.appid, st.secret
	if s.AppID == "" {
		s.AppID = server.NewAppID()
	}
	if s.Secret == "" {
		s.Secret = server.NewSecret()
	}
	app := &wxads.App{AppID: s.AppID, AccountID: adv.ID, Name: "wxadstest app",
		SecretHash: server.HashSecret(s.Secret), IPWhitelist: wxads.DefaultWhitelist(), CreatedTime: now}
	if err := s.DB.CreateApp(ctx, app); err != nil {
		return err
	}
	s.Followers = make([]string, st.followers)
	for i := range s.Followers {
		s.Followers[i] = server.NewOpenID()
	}
	if len(s.Followers) > 0 {
		if err := s.DB.AddFollowers(ctx, s.AppID, s.Followers, now); err != nil {
			return err
		}
	}
	set := &wxads.ActionSet{AccountID: adv.ID, Type: "WECHAT", Name: "wxadstest", WechatAppID: s.AppID,
		CreatorAppID: s.AppID, CreatedTime: now}
	if err := s.DB.CreateActionSet(ctx, set, 1<<30); err != nil {
		return err
	}
	s.SetID = set.ID
	return nil
}

// Client returns an SDK client for the seeded app, pointed at the server,
// with the account id set for /v1.1 calls, the server's clock for offline
// validation and v1.1 timestamps, and short retry delays. opts come last
// and override these.
func (s *Server) Client(opts ...client.Option) *client.Client {
	base := []client.Option{
		client.WithBaseURL(s.URL),
		client.WithHTTPClient(s.ts.Client()),
		client.WithAccountID(s.AccountID),
		client.WithClock(s.Clock.Now),
		client.WithRetry(client.RetryPolicy{MaxAttempts: 4, BaseDelay: time.Millisecond, MaxDelay: 20 * time.Millisecond}),
	}
	c, err := client.New(s.AppID, s.Secret, append(base, opts...)...)
	if err != nil {
		s.fatal("client", err)
	}
	return c
}

// Admin returns an admin API client for the server.
func (s *Server) Admin(opts ...client.Option) *client.Admin {
	return client.NewAdmin(s.URL, s.AdminToken, append([]client.Option{client.WithHTTPClient(s.ts.Client())}, opts...)...)
}

// fatal ends the test that started s, or, for a server from Start (no
// test to fail), panics as httptest does on a setup failure.
func (s *Server) fatal(what string, err error) {
	if s.t == nil {
		panic("wxadstest: " + what + ": " + err.Error())
	}
	s.t.Helper()
	s.t.Fatalf("wxadstest: %s: %v", what, err)
}

// Close stops the server and removes its database; NewServer's t.Cleanup
// calls it, calling it earlier (or twice) is fine.
func (s *Server) Close() {
	s.closeOnce.Do(func() {
		s.ts.Close()
		s.DB.Close()
		os.RemoveAll(s.dir)
	})
}

func randomHex(n int) string {
	b := make([]byte, n)
	rand.Read(b)
	return hex.EncodeToString(b)
}
