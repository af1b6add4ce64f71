package wxads_test

import (
	"net/netip"
	"testing"

	"github.com/wxads/wxads"
)

func TestParsePrefix(t *testing.T) {
	for in, want := range map[string]string{
		"10.0.0.0/8":          "10.0.0.0/8",
		"10.1.2.3/8":          "10.0.0.0/8",
		" 10.9.9.9 ":          "10.9.9.9/32",
		"2001:db8::1":         "2001:db8::1/128",
		"2001:db8::/32":       "2001:db8::/32",
		"::ffff:10.0.0.0/104": "10.0.0.0/8",
		"::ffff:192.168.1.1":  "192.168.1.1/32",
		"fe80::1%eth0":        "",
		"fe80::1%eth0/64":     "",
		"10.0.0.0/33":         "",
		"not an ip":           "",
		"":                    "",
	} {
		p, err := wxads.ParsePrefix(in)
		if want == "" {
			if err == nil {
				t.Errorf("ParsePrefix(%q) = %v, want an error", in, p)
			}
			continue
		}
		if err != nil || p.String() != want {
			t.Errorf("ParsePrefix(%q) = %v, %v; want %s", in, p, err, want)
		}
	}
	list := []wxads.Prefix{netip.MustParsePrefix("10.0.0.0/8")}
	if !wxads.Allowed(list, netip.MustParseAddr("::ffff:10.1.1.1")) || wxads.Allowed(list, netip.MustParseAddr("11.0.0.1")) {
		t.Error("Allowed does not compare unmapped addresses")
	}
}
