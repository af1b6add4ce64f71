package ingest

import (
	"strings"
	"testing"

	"github.com/wxads/wxads"
)

func TestURLRule(t *testing.T) {
	long := `"https://a.example.com/` + strings.Repeat("x", MaxURLBytes-len("https://a.example.com/")) + `"`
	runRules(t, []ruleCase{
		{"http", []member{m("url", `"http://a.example.com"`)}, 0, ""},
		{"https port", []member{m("url", `"HTTPS://A.example.com:8443/x?y#z"`)}, 0, ""},
		{"ipv6", []member{m("url", `"http://[::1]:80/"`)}, 0, ""},
		{"2048 bytes", []member{m("url", long)}, 0, ""},
		{"2049 bytes", []member{m("url", long[:len(long)-1]+`x"`)}, wxads.CodeTooLong, "url"},
		{"missing", []member{m("url", omit)}, wxads.CodeRequired, "url"},
		{"empty", []member{m("url", `""`)}, wxads.CodeEmptyString, "url"},
		{"number", []member{m("url", `5`)}, wxads.CodeWrongType, "url"},
		{"relative", []member{m("url", `"/order"`)}, wxads.CodeBadFormat, "url"},
		{"ftp", []member{m("url", `"ftp://a.example.com/"`)}, wxads.CodeBadFormat, "url"},
		{"no host", []member{m("url", `"http:///x"`)}, wxads.CodeBadFormat, "url"},
		{"port only", []member{m("url", `"http://:80/x"`)}, wxads.CodeBadFormat, "url"},
		{"opaque", []member{m("url", `"http:a.example.com"`)}, wxads.CodeBadFormat, "url"},
		{"space in host", []member{m("url", `"http://a b.com/"`)}, wxads.CodeBadFormat, "url"},
		{"control char", []member{m("url", `"http://a.com/\u0001"`)}, wxads.CodeBadFormat, "url"},
		{"bad port", []member{m("url", `"http://a.com:x/"`)}, wxads.CodeBadFormat, "url"},
	})
}

func TestDomain(t *testing.T) {
	for raw, want := range map[string]string{
		"https://Shop.Example.COM:8443/a": "shop.example.com",
		"http://user:pw@a.example.com/":   "a.example.com",
		"http://[::1]:8080/":              "::1",
		"http://a.example.com":            "a.example.com",
	} {
		a, err := mustDecodeOne(t, actionJSON(m("url", `"`+raw+`"`)))
		if err != nil || a.Domain != want || a.URL != raw {
			t.Errorf("%s: got %q %q %v, want domain %q", raw, a.URL, a.Domain, err, want)
		}
	}
}

var hostCases = []string{
	"http://a.example.com", "https://Shop.Example.COM:8443/a?b=1#c", "HTTPS://x.y/", "http://a.com:",
	"http://a.com:/", "http://:80/", "http:///x", "http://", "https://", "http:a.com", "http:/a.com",
	"ftp://a.com/", "http//a.com", "http://a.com:8x/", "http://a.com:80:90/", "http://a:b:80/",
	"http://user:pw@a.com/", "http://u@:80/", "http://[::1]:8080/", "http://[::1/", "http://[1.2.3.4]/",
	"http://[fe80::1%25en0]/", "http://a b.com/", "http://a.com/a b", "http://a.com/%zz", "http://a.com/?q=100%",
	"http://a.com/#%zz", "http://a.com/\x01", "http://a.com/\x7f", "http://ä.com/", "http://a%41.com/",
	"http://a.com\\x/", "http://a!b.com/", "http://a_b.com/?x#y", "http://a.com?x/y", "http://a.com#x:y",
}

func TestHostOfMatchesURLParse(t *testing.T) {
	for _, raw := range hostCases {
		checkHost(t, raw)
	}
}

func FuzzHostOf(f *testing.F) {
	for _, raw := range hostCases {
		f.Add(raw)
	}
	f.Fuzz(checkHost)
}

// checkHost expects the fast path to agree with url.Parse.
func checkHost(t *testing.T, raw string) {
	host, ok := hostOf(raw)
	want, wantOK := hostOfParse(raw)
	if host != want || ok != wantOK {
		t.Errorf("hostOf(%q) = %q, %v; url.Parse gives %q, %v", raw, host, ok, want, wantOK)
	}
}
