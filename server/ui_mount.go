package server

import (
	"context"
	"crypto/subtle"
	"net/http"
	"net/netip"

	"github.com/wxads/wxads"
	"github.com/wxads/wxads/server/ui"
)

// dashboard builds the /ui/ handler over this server's stores. Package ui
// cannot import server, so what it needs is handed over here.
func (s *Server) dashboard() http.Handler {
	cfg := ui.Config{
		Stores:     s.cfg.Stores,
		Clock:      s.cfg.Clock,
		AdminToken: s.cfg.AdminToken,
		Authenticate: func(ctx context.Context, appid, secret string) (*wxads.App, error) {
			app, err := s.cfg.Stores.App(ctx, appid)
			if err != nil {
				return nil, err
			}
			if subtle.ConstantTimeCompare(HashSecret(secret), app.SecretHash) != 1 {
				return nil, ui.ErrBadCredentials
			}
			return app, nil
		},
		Token: s.dashboardToken,
		// The explorer and admin forms go through the whole chain (request
		// id, log line, inspector), as a call from outside would.
		API:      http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { s.handler.ServeHTTP(w, r) }),
		ClientIP: func(r *http.Request) netip.Addr { return clientIP(r, s.cfg.TrustedProxies) },
		Logger:   s.log,
	}
	if s.cfg.Inspector != nil { // startInspector ran: Config's, or the Stores'
		cfg.Inspector = explainedInspector{s.cfg.Inspector}
	}
	d, err := ui.New(cfg)
	if err != nil {
		// The templates are embedded and parsed by the tests: a failure
		// here is a broken build, not a runtime condition.
		panic(err)
	}
	return d
}

// dashboardToken is the app's current stable token (a new one only when
// it has under 300 s left), so the explorer never supersedes the token the
// advertiser's own servers use. The signed-in session stands for the
// secret; the IP whitelist guards token fetches by servers, not this.
func (s *Server) dashboardToken(ctx context.Context, appid string) (string, error) {
	if _, err := s.cfg.Stores.App(ctx, appid); err != nil {
		return "", err
	}
	now := s.cfg.Clock.Now()
	t, err := s.cfg.Stores.Stable(ctx, wxads.StableIssue{
		AppID: appid, Now: now.Unix(), Day: now.In(wxads.CST).Format(wxads.DateLayout),
		NewHash: func(gen int64) []byte { return hashToken(s.stableToken(appid, gen)) },
	})
	if err == nil && t.IssuedAt == now.Unix() {
		err = s.authSuperseded(ctx, appid) // a new token supersedes the old (authcache.go)
	}
	if err != nil {
		return "", err
	}
	return s.stableToken(appid, t.Generation), nil
}

// explainedInspector reads records with their stored actions explained
// (explainStored), as the API's /ext/v1/requests/get does.
type explainedInspector struct{ wxads.InspectorStore }

func (e explainedInspector) Requests(ctx context.Context, q wxads.RequestQuery) ([]wxads.RequestRecord, int, error) {
	recs, total, err := e.InspectorStore.Requests(ctx, q)
	explainStored(recs)
	return recs, total, err
}
