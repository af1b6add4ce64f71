package server

import (
	"errors"
	"net/http/httptest"
	"net/netip"
	"testing"

	"github.com/wxads/wxads"
)

func TestClientIP(t *testing.T) {
	proxies := []netip.Prefix{
		netip.MustParsePrefix("127.0.0.0/8"),
		netip.MustParsePrefix("::1/128"),
		netip.MustParsePrefix("10.0.0.0/8"),
	}
	cases := []struct {
		name    string
		peer    string
		trusted []netip.Prefix
		xff     []string
		want    string // "" is no address: the caller is refused
	}{
		{"untrusted peer", "203.0.113.5:4000", proxies, nil, "203.0.113.5"},
		{"untrusted peer spoofs loopback", "203.0.113.5:4000", proxies, []string{"127.0.0.1"}, "203.0.113.5"},
		{"untrusted peer spoofs a proxy", "203.0.113.5:4000", proxies, []string{"10.0.0.1"}, "203.0.113.5"},
		{"no trusted proxies", "127.0.0.1:4000", nil, []string{"10.0.0.1"}, "127.0.0.1"},
		{"trusted peer without header", "127.0.0.1:4000", proxies, nil, "127.0.0.1"},
		{"trusted peer forwards", "127.0.0.1:4000", proxies, []string{"198.51.100.7"}, "198.51.100.7"},
		{"right-most untrusted hop wins", "127.0.0.1:4000", proxies,
			[]string{"203.0.113.9, 198.51.100.7"}, "198.51.100.7"},
		{"trusted hops are skipped", "127.0.0.1:4000", proxies,
			[]string{"203.0.113.9, 198.51.100.7, 10.0.0.5, 10.1.1.1"}, "198.51.100.7"},
		{"a forged hop left of the client is ignored", "127.0.0.1:4000", proxies,
			[]string{"127.0.0.1, 198.51.100.7"}, "198.51.100.7"},
		{"every hop trusted", "127.0.0.1:4000", proxies, []string{"10.0.0.9, 10.0.0.5"}, "10.0.0.9"},
		{"several header lines are one list", "127.0.0.1:4000", proxies,
			[]string{"203.0.113.9", "198.51.100.7, 10.0.0.5"}, "198.51.100.7"},
		{"several header lines, client in the last", "127.0.0.1:4000", proxies,
			[]string{"203.0.113.9, 10.0.0.7", "198.51.100.7"}, "198.51.100.7"},
		{"spaces around hops", "127.0.0.1:4000", proxies, []string{"  198.51.100.7 ,10.0.0.5 "}, "198.51.100.7"},
		{"empty list elements are skipped", "127.0.0.1:4000", proxies, []string{"198.51.100.7,, 10.0.0.5,"}, "198.51.100.7"},
		{"hop with a port", "127.0.0.1:4000", proxies, []string{"198.51.100.7:5678"}, "198.51.100.7"},
		{"IPv6 hop with a port", "127.0.0.1:4000", proxies, []string{"[2001:db8::7]:443"}, "2001:db8::7"},
		// A hop that is not an address breaks the chain: the client is unknown,
		// and the trusted proxy that forwarded it is not the client.
		{"garbage hop", "127.0.0.1:4000", proxies, []string{"garbage"}, ""},
		{"unknown hop", "127.0.0.1:4000", proxies, []string{"unknown, 10.0.0.5"}, ""},
		{"garbage between proxies", "127.0.0.1:4000", proxies, []string{"198.51.100.7, garbage, 10.0.0.5"}, ""},
		{"garbage left of the client", "127.0.0.1:4000", proxies, []string{"garbage, 198.51.100.7"}, "198.51.100.7"},
		{"IPv6 peer and hop", "[::1]:4000", proxies, []string{"2001:db8::1"}, "2001:db8::1"},
		{"IPv4-mapped trusted peer", "[::ffff:127.0.0.1]:4000", proxies, []string{"198.51.100.7"}, "198.51.100.7"},
		{"IPv4-mapped untrusted peer", "[::ffff:203.0.113.5]:4000", proxies, []string{"198.51.100.7"}, "203.0.113.5"},
		{"IPv4-mapped peer, no proxies", "[::ffff:127.0.0.1]:4000", nil, nil, "127.0.0.1"},
		{"IPv4-mapped hop", "127.0.0.1:4000", proxies, []string{"::ffff:198.51.100.7"}, "198.51.100.7"},
		{"IPv4-mapped trusted hop", "127.0.0.1:4000", proxies, []string{"198.51.100.7, ::ffff:10.0.0.5"}, "198.51.100.7"},
		{"peer without a port", "127.0.0.1", proxies, nil, ""},
		{"garbage peer", "garbage", proxies, []string{"198.51.100.7"}, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := httptest.NewRequest("GET", "/cgi-bin/token", nil)
			r.RemoteAddr = c.peer
			for _, v := range c.xff {
				r.Header.Add("X-Forwarded-For", v)
			}
			got := clientIP(r, c.trusted)
			if c.want == "" {
				if got.IsValid() {
					t.Errorf("clientIP = %v, want no address", got)
				}
				return
			}
			if want := netip.MustParseAddr(c.want); got != want {
				t.Errorf("clientIP = %v, want %v", got, want)
			}
		})
	}
}

// A whitelist entry is a CIDR or a bare address (one host); an IPv4-mapped
// IPv6 entry covers the IPv4 addresses it maps, since clients are compared
// unmapped.
func TestParseWhitelist(t *testing.T) {
	cases := []struct {
		in   string
		want string // "" is 18005
	}{
		{"10.1.0.0/16", "10.1.0.0/16"},
		{"10.1.2.3/16", "10.1.0.0/16"},
		{"10.9.9.9", "10.9.9.9/32"},
		{" 10.9.9.9 ", "10.9.9.9/32"},
		{"0.0.0.0/0", "0.0.0.0/0"},
		{"2001:db8::/32", "2001:db8::/32"},
		{"2001:db8::7", "2001:db8::7/128"},
		{"::ffff:10.9.9.9", "10.9.9.9/32"},
		{"::ffff:10.0.0.0/104", "10.0.0.0/8"},
		{"", ""},
		{"10.0.0.0/33", ""},
		{"::1/129", ""},
		{"10.0.0", ""},
		{"10.0.0.0/8/8", ""},
		{"10.0.0.1-10.0.0.9", ""},
		{"localhost", ""},
		{"fe80::1%eth0/64", ""},
	}
	for _, c := range cases {
		list, err := parseWhitelist([]string{"127.0.0.1", c.in})
		switch {
		case c.want == "" && err == nil:
			t.Errorf("%q: accepted as %v", c.in, list)
		case c.want == "":
			var e *wxads.Error
			if !errors.As(err, &e) || e.Code != wxads.CodeBadFormat || e.Param != "ip_whitelist[1]" {
				t.Errorf("%q: %v, want 18005 naming ip_whitelist[1]", c.in, err)
			}
		case err != nil:
			t.Errorf("%q: %v", c.in, err)
		case list[1].String() != c.want:
			t.Errorf("%q: got %v, want %s", c.in, list[1], c.want)
		}
	}
}
