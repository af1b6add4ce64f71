package client_test

import (
	"context"
	"errors"
	"strconv"
	"testing"

	"github.com/wxads/wxads"
	"github.com/wxads/wxads/client"
	"github.com/wxads/wxads/server"
	"github.com/wxads/wxads/wxadstest"
)

const templatesPath = "/v1.1/adcreative_templates/get"

// The advertiser lists the app it authorized and revokes it; the app's
// token (and its refresh) stop working at once.
func TestOAuthGrantsListAndRevoke(t *testing.T) {
	srv := wxadstest.NewServer(t, wxadstest.WithFrozenClock())
	ctx := context.Background()
	dev, _ := srv.OAuthClient("")
	if _, err := dev.Templates.Get(ctx, client.TemplateQuery{PageSize: 1}); err != nil {
		t.Fatal(err)
	}
	c, admin := srv.Client(), srv.Admin()
	grants, err := c.OAuthGrants(ctx)
	mustNoErr(t, err)
	if len(grants) != 1 || grants[0].ClientName != "wxadstest" || grants[0].LiveTokens != 2 || grants[0].LastUsedTime == "" ||
		len(grants[0].Scopes) != len(wxads.OAuthScopes) {
		t.Fatalf("grants %+v", grants)
	}
	viaAdmin, err := admin.OAuthGrants(ctx, srv.AccountID)
	mustNoErr(t, err)
	if len(viaAdmin) != 1 || viaAdmin[0].ClientID != grants[0].ClientID {
		t.Fatalf("admin read %+v", viaAdmin)
	}
	n, err := c.RevokeOAuthGrant(ctx, grants[0].ClientID)
	mustNoErr(t, err)
	if n != 2 {
		t.Errorf("revoked %d tokens, want 2", n)
	}
	// The SDK tries a refresh on 11002; the refresh token is gone too.
	if _, err := dev.Templates.Get(ctx, client.TemplateQuery{PageSize: 1}); !errors.Is(err, client.ErrInvalidToken) {
		t.Fatalf("after revocation: %v, want ErrInvalidToken", err)
	}
	if _, err := c.RevokeOAuthGrant(ctx, grants[0].ClientID); !errors.Is(err, client.ErrNotAccessible) {
		t.Fatalf("revoking again: %v, want ErrNotAccessible", err)
	}
	if _, err := admin.RevokeOAuthGrant(ctx, srv.AccountID, grants[0].ClientID); !errors.Is(err, client.ErrNotAccessible) {
		t.Fatalf("admin revoking a revoked grant: %v", err)
	}
	if grants, err := c.OAuthGrants(ctx); err != nil || len(grants) != 0 {
		t.Fatalf("after revocation: %+v %v", grants, err)
	}
}

// 11016 and 11018 are retried with backoff; 11017 and 11019 are final.
func TestOAuthLimitRetryPolicy(t *testing.T) {
	for _, tc := range []struct {
		code     int
		retried  bool
		sentinel error
	}{
		{wxads.CodeOAuthAppQPS, true, client.ErrTooFrequent},
		{wxads.CodeOAuthAccountQPS, true, client.ErrTooFrequent},
		{wxads.CodeOAuthAppDaily, false, client.ErrQuotaExceeded},
		{wxads.CodeOAuthAccountDaily, false, client.ErrQuotaExceeded},
	} {
		srv := wxadstest.NewServer(t, wxadstest.WithFrozenClock())
		rec, hc := newRecorder(t)
		dev, _ := srv.OAuthClient("", client.WithHTTPClient(hc), fastRetry)
		f := fault{body: `{"code":` + strconv.Itoa(tc.code) + `,"message":"limit","message_cn":"限制"}`}
		rec.inject(templatesPath, f, f)
		_, err := dev.Templates.Get(context.Background(), client.TemplateQuery{PageSize: 1})
		switch {
		case tc.retried && (err != nil || rec.count(templatesPath) != 3):
			t.Errorf("%d: %v after %d attempts, want success on the 3rd", tc.code, err, rec.count(templatesPath))
		case !tc.retried && (!errors.Is(err, tc.sentinel) || client.Retryable(err) || rec.count(templatesPath) != 1):
			t.Errorf("%d: %v after %d attempts, want one attempt and %v", tc.code, err, rec.count(templatesPath), tc.sentinel)
		}
	}
}

// Against the server's own limits: a per-second refusal is retried until
// the attempts run out (the frozen clock never reaches the next second),
// a daily one is not retried.
func TestOAuthLimitsFromServer(t *testing.T) {
	for _, tc := range []struct {
		limits   server.OAuthLimits
		attempts int
		sentinel error
	}{
		{server.OAuthLimits{AppPerSecond: 1}, 5, client.ErrTooFrequent},
		{server.OAuthLimits{AccountPerDay: 1}, 1, client.ErrQuotaExceeded},
	} {
		srv := wxadstest.NewServer(t, wxadstest.WithFrozenClock(),
			wxadstest.WithConfig(func(c *server.Config) { c.OAuthLimits = tc.limits }))
		rec, hc := newRecorder(t)
		dev, _ := srv.OAuthClient("", client.WithHTTPClient(hc), fastRetry)
		ctx := context.Background()
		if _, err := dev.Templates.Get(ctx, client.TemplateQuery{PageSize: 1}); err != nil {
			t.Fatal(err)
		}
		_, err := dev.Templates.Get(ctx, client.TemplateQuery{PageSize: 1})
		if !errors.Is(err, tc.sentinel) || rec.count(templatesPath) != 1+tc.attempts {
			t.Errorf("%+v: %v after %d attempts, want %v after %d", tc.limits, err, rec.count(templatesPath)-1, tc.sentinel, tc.attempts)
		}
	}
}
