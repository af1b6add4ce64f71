package server_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/netip"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/wxads/wxads/server"
)

// Helpers for the token, auth, admin, client-IP and plumbing tests.

// tokenReply is the body of a successful token call.
type tokenReply struct {
	AccessToken string `json:"access_token"`
	ExpiresIn   int64  `json:"expires_in"`
}

// tokenOf decodes a token reply, failing unless the call succeeded.
func tokenOf(t testing.TB, e envelope) tokenReply {
	t.Helper()
	mustOK(t, e)
	var tok tokenReply
	if err := json.Unmarshal(e.Raw, &tok); err != nil || tok.AccessToken == "" || tok.ExpiresIn <= 0 {
		t.Fatalf("not a token reply: %s", e.Raw)
	}
	return tok
}

// credQuery is the query of GET /cgi-bin/token for appid and secret.
func credQuery(appid, secret string) url.Values {
	return url.Values{"grant_type": {"client_credential"}, "appid": {appid}, "secret": {secret}}
}

// getToken calls GET /cgi-bin/token with q and extra headers.
func (h *harness) getToken(q url.Values, header http.Header) envelope {
	h.t.Helper()
	return h.do("GET", "/cgi-bin/token", q, nil, header)
}

// stableToken calls POST /cgi-bin/stable_token for appid.
func (h *harness) stableToken(appid, secret string, force bool) envelope {
	h.t.Helper()
	return h.do("POST", "/cgi-bin/stable_token", nil, map[string]any{
		"grant_type": "client_credential", "appid": appid, "secret": secret, "force_refresh": force}, nil)
}

// useToken calls GET /marketing/user_action_sets/get with token.
func (h *harness) useToken(token string) envelope {
	h.t.Helper()
	return h.do("GET", "/marketing/user_action_sets/get", url.Values{"access_token": {token}}, nil, nil)
}

// at sets the fake clock to the whole Unix second sec (boundaries are
// probed to the second; a ticking clock would stay within it too).
func (h *harness) at(sec int64) { h.clock.Set(time.Unix(sec, 0)) }

// newAdvertiser creates an advertiser and returns its account_id.
func (h *harness) newAdvertiser(status string) int64 {
	h.t.Helper()
	return decodeData[struct {
		AccountID int64 `json:"account_id"`
	}](h.t, mustOK(h.t, h.admin("POST", "/admin/v1/advertisers", map[string]any{"name": "adv", "status": status}))).AccountID
}

// newApp creates an app of account; whitelist nil leaves ip_whitelist out.
func (h *harness) newApp(account int64, whitelist []string) (appid, secret string) {
	h.t.Helper()
	body := map[string]any{"account_id": account, "name": "app"}
	if whitelist != nil {
		body["ip_whitelist"] = whitelist
	}
	app := decodeData[struct {
		AppID  string `json:"appid"`
		Secret string `json:"secret"`
	}](h.t, mustOK(h.t, h.admin("POST", "/admin/v1/apps", body)))
	return app.AppID, app.Secret
}

// setStatus PATCHes an advertiser's status.
func (h *harness) setStatus(account int64, status string) {
	h.t.Helper()
	mustOK(h.t, h.admin("PATCH", "/admin/v1/advertisers/"+itoa(account), map[string]any{"status": status}))
}

// trustProxies makes the server believe X-Forwarded-For from these peers.
func trustProxies(cidrs ...string) func(*server.Config) {
	return func(c *server.Config) {
		for _, s := range cidrs {
			c.TrustedProxies = append(c.TrustedProxies, netip.MustParsePrefix(s))
		}
	}
}

// xff is a header with one X-Forwarded-For line per value.
func xff(values ...string) http.Header { return http.Header{"X-Forwarded-For": values} }

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// try calls a WeChat-side route without touching the test (safe from other
// goroutines): the errcode, and the access_token of a token reply.
func (h *harness) try(method, path string, q url.Values, body string) (code int, token string, err error) {
	req, err := http.NewRequest(method, h.srv.URL+path+"?"+q.Encode(), strings.NewReader(body))
	if err != nil {
		return 0, "", err
	}
	resp, err := h.srv.Client().Do(req)
	if err != nil {
		return 0, "", err
	}
	defer resp.Body.Close()
	var e struct {
		Errcode     int    `json:"errcode"`
		AccessToken string `json:"access_token"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&e); err != nil {
		return 0, "", fmt.Errorf("%s %s: HTTP %d: %w", method, path, resp.StatusCode, err)
	}
	return e.Errcode, e.AccessToken, nil
}

// parallel runs f(i) for i in [0, n) on workers goroutines and waits.
func parallel(n, workers int, f func(i int)) {
	var wg sync.WaitGroup
	next := make(chan int)
	for range workers {
		wg.Go(func() {
			for i := range next {
				f(i)
			}
		})
	}
	for i := range n {
		next <- i
	}
	close(next)
	wg.Wait()
}
