package server_test

import (
	"fmt"
	"log/slog"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/wxads/wxads"
	"github.com/wxads/wxads/server"
)

// Issue 12 item 7: wrong secrets are limited per address (45011) and each
// is logged with the appid, the address and the count, never the secret.
// Before, 2000 wrong secrets all got 40001 and nothing was logged.
func TestWrongSecretsLimitedAndLogged(t *testing.T) {
	var log syncBuffer
	h := newHarness(t, trustProxies("127.0.0.1/32"),
		func(c *server.Config) { c.Logger = slog.New(slog.NewJSONHandler(&log, nil)) })
	tn := h.newTenant()
	mustOK(t, h.admin("PUT", "/admin/v1/apps/"+tn.AppID+"/ip_whitelist", map[string]any{"ip_whitelist": []string{"203.0.113.0/24"}}))
	const guess = "0123456789abcdef0123456789abcdef"
	cred := func(secret string) url.Values {
		return url.Values{"grant_type": {"client_credential"}, "appid": {tn.AppID}, "secret": {secret}}
	}
	attacker, owner := xff("198.51.100.7"), xff("203.0.113.5")
	for range server.SecretFailuresPerIP {
		wantCode(t, h.getToken(cred(guess), attacker), wxads.CodeInvalidCredential)
	}
	e := h.getToken(cred(guess), attacker)
	wantCode(t, e, wxads.CodeTooFrequent)
	if !strings.Contains(e.Errmsg, "wrong secret") {
		t.Errorf("45011 does not say why: %s", e.Raw)
	}
	// The right secret from the same address waits out the minute too
	// (else guessing would go on, answered 45011 or a token).
	wantCode(t, h.getToken(cred(tn.Secret), attacker), wxads.CodeTooFrequent)
	wantCode(t, h.do("POST", "/cgi-bin/stable_token", nil, map[string]any{"grant_type": "client_credential",
		"appid": tn.AppID, "secret": tn.Secret}, attacker), wxads.CodeTooFrequent)
	// The app's own whitelisted server is not locked out.
	mustOK(t, h.getToken(cred(tn.Secret), owner))
	h.clock.Advance(time.Minute)
	wantCode(t, h.getToken(cred(tn.Secret), attacker), wxads.CodeIPNotWhitelisted)

	text := log.String()
	if n := strings.Count(text, `"msg":"wrong secret"`); n != server.SecretFailuresPerIP {
		t.Errorf("%d wrong-secret log lines, want %d:\n%s", n, server.SecretFailuresPerIP, text)
	}
	for _, want := range []string{`"appid":"` + tn.AppID + `"`, `"ip":"198.51.100.7"`,
		`"failures_from_ip":10`} {
		if !strings.Contains(text, want) {
			t.Errorf("log lacks %s", want)
		}
	}
	if strings.Contains(text, guess) || strings.Contains(text, tn.Secret) {
		t.Errorf("a secret reached the log")
	}
}

// The per-appid limit stops guesses spread over many addresses, but not
// the app's own whitelisted servers.
func TestWrongSecretsPerAppID(t *testing.T) {
	h := newHarness(t, trustProxies("127.0.0.1/32"))
	tn := h.newTenant() // whitelist: loopback only
	cred := url.Values{"grant_type": {"client_credential"}, "appid": {tn.AppID}, "secret": {"ffffffffffffffffffffffffffffffff"}}
	for i := range server.SecretFailuresPerAppID {
		from := xff(fmt.Sprintf("198.51.100.%d", i+1))
		wantCode(t, h.getToken(cred, from), wxads.CodeInvalidCredential)
	}
	wantCode(t, h.getToken(cred, xff("203.0.113.77")), wxads.CodeTooFrequent)
	// The whitelisted (loopback) caller with the right secret still gets a token.
	cred.Set("secret", tn.Secret)
	mustOK(t, h.getToken(cred, nil))
}
