package server_test

import (
	"net/netip"
	"testing"

	"github.com/wxads/wxads"
	"github.com/wxads/wxads/server"
)

// 40164 names the address the server saw (SPEC §3): IPv4 in both forms, an
// IPv6 caller once, so a developer learns which egress address to whitelist.
func TestNotWhitelistedNamesCallerIP(t *testing.T) {
	h := newHarness(t, func(c *server.Config) {
		c.TrustedProxies = []netip.Prefix{netip.MustParsePrefix("127.0.0.0/8")}
	})
	account := h.newAdvertiser("APPROVED")
	walled, secret := h.newApp(account, []string{"10.0.0.0/8"})
	cases := []struct{ xff, want string }{
		{"", "invalid ip 127.0.0.1 ipv6 ::ffff:127.0.0.1, not in whitelist"},
		{"203.0.113.7", "invalid ip 203.0.113.7 ipv6 ::ffff:203.0.113.7, not in whitelist"},
		{"2001:db8::7", "invalid ip 2001:db8::7, not in whitelist"},
	}
	for _, c := range cases {
		hdr := xff(c.xff)
		if c.xff == "" {
			hdr = nil
		}
		e := h.getToken(credQuery(walled, secret), hdr)
		wantCode(t, e, wxads.CodeIPNotWhitelisted)
		if e.Errmsg != c.want {
			t.Errorf("X-Forwarded-For %q: errmsg %q, want %q", c.xff, e.Errmsg, c.want)
		}
	}
}
