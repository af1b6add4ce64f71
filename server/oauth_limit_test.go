package server_test

import (
	"context"
	"fmt"
	"net/http/httptest"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/wxads/wxads"
	"github.com/wxads/wxads/redis"
	"github.com/wxads/wxads/server"
)

func oauthLimits(l server.OAuthLimits) func(*server.Config) {
	return func(c *server.Config) { c.OAuthLimits = l }
}

// wantLimit checks a refusal: HTTP 200, the Tencent envelope, the code, and
// the message in both languages naming the limit.
func wantLimit(t *testing.T, e envelope, code int, limit int64) {
	t.Helper()
	wantCode(t, e, code)
	if e.Status != 200 || !strings.Contains(e.Message, fmt.Sprintf("Limit: %d calls per", limit)) ||
		!strings.Contains(e.MessageCN, fmt.Sprint(limit)) || !strings.Contains(string(e.Raw), `"message_cn":`) {
		t.Fatalf("refusal %d: %s", code, e.Raw)
	}
}

// 11016: one developer app's calls per second, over every account it acts for.
func TestOAuthLimitAppPerSecond(t *testing.T) {
	h := newHarness(t, oauthLimits(server.OAuthLimits{AppPerSecond: 2}))
	tn, other := h.newTenant(), h.newTenant()
	c1, c2 := h.newOAuthClient(), h.newOAuthClient()
	a, _ := h.authorizeOAuth(c1, tn, "")
	b, _ := h.authorizeOAuth(c1, other, "")
	x, _ := h.authorizeOAuth(c2, tn, "")
	mustOK(t, h.v3(a, "user_action_sets/get", nil))
	mustOK(t, h.v11(b, nil))
	wantLimit(t, h.v3(a, "user_action_sets/get", nil), wxads.CodeOAuthAppQPS, 2)
	mustOK(t, h.v3(x, "user_action_sets/get", nil)) // another app has its own count
	// App tokens are not OAuth calls: never counted.
	for range 5 {
		mustOK(t, h.v11(tn, nil))
	}
	h.clock.Advance(time.Second)
	mustOK(t, h.v3(b, "user_action_sets/get", nil))
}

// 11018: one account's calls per second, over every app acting for it.
func TestOAuthLimitAccountPerSecond(t *testing.T) {
	h := newHarness(t, oauthLimits(server.OAuthLimits{AccountPerSecond: 2}))
	tn, other := h.newTenant(), h.newTenant()
	c1, c2 := h.newOAuthClient(), h.newOAuthClient()
	a, _ := h.authorizeOAuth(c1, tn, "")
	x, _ := h.authorizeOAuth(c2, tn, "")
	b, _ := h.authorizeOAuth(c1, other, "")
	mustOK(t, h.v3(a, "user_action_sets/get", nil))
	mustOK(t, h.v3(x, "user_action_sets/get", nil))
	wantLimit(t, h.v3(x, "user_action_sets/get", nil), wxads.CodeOAuthAccountQPS, 2)
	mustOK(t, h.v3(b, "user_action_sets/get", nil))
	h.clock.Advance(time.Second)
	mustOK(t, h.v3(a, "user_action_sets/get", nil))
}

// 11017: an app's daily quota, per GMT+8 day; calls refused per second do
// not spend it.
func TestOAuthLimitAppPerDay(t *testing.T) {
	h := newHarness(t, oauthLimits(server.OAuthLimits{AppPerSecond: 1, AppPerDay: 2}))
	tn := h.newTenant()
	a, _ := h.authorizeOAuth(h.newOAuthClient(), tn, "")
	mustOK(t, h.v3(a, "user_action_sets/get", nil))
	wantLimit(t, h.v3(a, "user_action_sets/get", nil), wxads.CodeOAuthAppQPS, 1)
	h.clock.Advance(time.Second)
	mustOK(t, h.v3(a, "user_action_sets/get", nil)) // the second of the day
	h.clock.Advance(time.Second)
	wantLimit(t, h.v3(a, "user_action_sets/get", nil), wxads.CodeOAuthAppDaily, 2)
	// 23:59:59 GMT+8 is still the same day; midnight GMT+8 starts a new one.
	y, m, d := harnessNow.In(wxads.CST).Date()
	midnight := time.Date(y, m, d+1, 0, 0, 0, 0, wxads.CST).Unix()
	h.at(midnight - 1)
	wantLimit(t, h.v11(a, nil), wxads.CodeOAuthAppDaily, 2)
	h.at(midnight)
	mustOK(t, h.v11(a, nil))
}

// 11019: an account's daily quota, over every app acting for it.
func TestOAuthLimitAccountPerDay(t *testing.T) {
	h := newHarness(t, oauthLimits(server.OAuthLimits{AccountPerDay: 2}))
	tn, other := h.newTenant(), h.newTenant()
	c1, c2 := h.newOAuthClient(), h.newOAuthClient()
	a, _ := h.authorizeOAuth(c1, tn, "")
	x, _ := h.authorizeOAuth(c2, tn, "")
	b, _ := h.authorizeOAuth(c1, other, "")
	mustOK(t, h.v3(a, "user_action_sets/get", nil))
	mustOK(t, h.v3(x, "user_action_sets/get", nil))
	wantLimit(t, h.v3(a, "user_action_sets/get", nil), wxads.CodeOAuthAccountDaily, 2)
	mustOK(t, h.v3(b, "user_action_sets/get", nil))
	h.at(harnessNow.Unix() + 86400)
	mustOK(t, h.v3(x, "user_action_sets/get", nil))
}

// Two nodes sharing Redis share the limits: the calls of both count.
func TestOAuthLimitSharedThroughRedis(t *testing.T) {
	url := os.Getenv("WXADS_TEST_REDIS")
	if url == "" {
		url = "redis://127.0.0.1:6379/0"
	}
	r, err := redis.Open(context.Background(), url)
	if err != nil {
		if os.Getenv("CI") != "" || os.Getenv("WXADS_REQUIRE_SERVICES") != "" {
			t.Fatalf("Redis required in CI: %v", err)
		}
		t.Skipf("no Redis: %v", err)
	}
	t.Cleanup(func() { r.Close() })
	prefix := fmt.Sprintf("wxads-test:%d:%s:", time.Now().UnixNano(), t.Name())
	h := newHarness(t, oauthLimits(server.OAuthLimits{AppPerSecond: 3, AccountPerDay: 5}),
		func(c *server.Config) { c.Counters = r.Counter(prefix) })
	node2 := server.New(h.cfg) // the same store, clock and Redis: a second node
	srv2 := httptest.NewServer(node2)
	t.Cleanup(func() {
		srv2.Close()
		node2.Close()
	})
	tn := h.newTenant()
	a, _ := h.authorizeOAuth(h.newOAuthClient(), tn, "")
	one := h.srv
	call := func(node *httptest.Server) envelope {
		h.srv = node
		defer func() { h.srv = one }()
		return h.v3(a, "user_action_sets/get", nil)
	}
	mustOK(t, call(one))
	mustOK(t, call(srv2))
	mustOK(t, call(one))
	wantLimit(t, call(srv2), wxads.CodeOAuthAppQPS, 3)
	h.clock.Advance(time.Second)
	mustOK(t, call(srv2)) // the day's 4th counted call (the refused one is not)
	mustOK(t, call(one))
	wantLimit(t, call(srv2), wxads.CodeOAuthAccountDaily, 5)
	h.clock.Advance(time.Second)
	wantLimit(t, call(one), wxads.CodeOAuthAccountDaily, 5)
}
