package ingest

import "testing"

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
