package server_test

import (
	"bytes"
	"encoding/base64"
	"encoding/hex"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/wxads/wxads/server"
)

// No admin read carries a secret, its hash or a token, in any encoding.
func TestAdminReadsRevealNoSecret(t *testing.T) {
	h := newHarness(t)
	tn := h.newTenant()
	stable := tokenOf(t, h.stableToken(tn.AppID, tn.Secret, false)).AccessToken
	h.followers(tn.AppID, 2)
	mustOK(t, h.admin("POST", "/admin/v1/ad_events", map[string]any{"events": []map[string]any{{"type": "CLICK",
		"appid": tn.AppID, "openid": server.NewOpenID(), "ad_id": 1, "time": harnessNow.Unix()}}}))
	hash := server.HashSecret(tn.Secret)
	forbidden := map[string]string{"secret": tn.Secret, "token": tn.Token, "stable token": stable,
		"hash (hex)": hex.EncodeToString(hash), "hash (base64)": base64.StdEncoding.EncodeToString(hash)}
	for _, path := range []string{"/admin/v1/advertisers", "/admin/v1/advertisers/" + itoa(tn.AccountID),
		"/admin/v1/apps", "/admin/v1/apps?account_id=" + itoa(tn.AccountID), "/admin/v1/apps/" + tn.AppID,
		"/admin/v1/apps/" + tn.AppID + "/followers", "/admin/v1/ad_events?appid=" + tn.AppID} {
		p, q, _ := strings.Cut(path, "?")
		v, _ := url.ParseQuery(q)
		e := mustOK(t, h.adminGet(p, v))
		for what, s := range forbidden {
			if bytes.Contains(e.Raw, []byte(s)) {
				t.Errorf("GET %s reveals the %s: %s", path, what, e.Raw)
			}
		}
		if bytes.Contains(e.Raw, []byte(`"secret`)) || bytes.Contains(e.Raw, []byte(`token`)) {
			t.Errorf("GET %s has a secret or token field: %s", path, e.Raw)
		}
	}
}

// Every read needs the admin bearer token.
func TestAdminReadsNeedBearerToken(t *testing.T) {
	h := newHarness(t)
	tn := h.newTenant()
	for _, path := range []string{"/admin/v1/advertisers", "/admin/v1/advertisers/" + itoa(tn.AccountID),
		"/admin/v1/apps", "/admin/v1/apps/" + tn.AppID, "/admin/v1/apps/" + tn.AppID + "/followers",
		"/admin/v1/ad_events", "/admin/v1/apps/" + tn.AppID + "/revoke_tokens"} {
		for _, hdr := range []http.Header{nil, {"Authorization": {"Bearer wrong"}}} {
			if e := h.do("GET", path, url.Values{"appid": {tn.AppID}}, nil, hdr); e.Status != http.StatusUnauthorized {
				t.Errorf("GET %s without the admin token: HTTP %d %s", path, e.Status, e.Raw)
			}
		}
	}
	if e := h.do("POST", "/admin/v1/apps/"+tn.AppID+"/revoke_tokens", nil, nil, nil); e.Status != http.StatusUnauthorized {
		t.Errorf("revoke_tokens without the admin token: HTTP %d", e.Status)
	}
	mustOK(t, h.useToken(tn.Token)) // nothing was revoked
}
