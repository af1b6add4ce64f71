package ingest

import (
	"net/url"
	"strings"

	"github.com/wxads/wxads"
)

// url reads the required url and derives Domain from it.
func (d *actionDecoder) url() {
	raw, ok := d.bounded(fURL, MaxURLBytes)
	if !ok {
		return
	}
	domain, ok := hostOf(raw)
	if !ok {
		d.fail(fURL, wxads.CodeBadFormat)
		return
	}
	d.a.URL, d.a.Domain = raw, domain
}

// hostOf checks that raw is an absolute http or https URL with a host, as
// net/url.Parse understands one, and returns the host in lower case without
// port. Plain URLs (an ASCII host name, a numeric port, no userinfo, no
// '%') take a fast path; the rest go through url.Parse.
func hostOf(raw string) (string, bool) {
	var rest string
	switch {
	case len(raw) >= 7 && strings.EqualFold(raw[:7], "http://"):
		rest = raw[7:]
	case len(raw) >= 8 && strings.EqualFold(raw[:8], "https://"):
		rest = raw[8:]
	default:
		return "", false
	}
	host, colon, upper := len(rest), -1, false
	for i := 0; i < len(rest); i++ {
		switch c := rest[i]; {
		case 'a' <= c && c <= 'z', '0' <= c && c <= '9', c == '-', c == '.', c == '_':
		case 'A' <= c && c <= 'Z':
			upper = true
		case c == ':' && colon < 0:
			colon = i
		case c == '/' || c == '?' || c == '#':
			host = i
		default:
			return hostOfParse(raw)
		}
		if host == i {
			break
		}
	}
	if strings.IndexByte(rest[host:], '%') >= 0 || hasCTL(rest[host:]) {
		return hostOfParse(raw)
	}
	name := rest[:host]
	if colon >= 0 {
		for i := colon + 1; i < host; i++ {
			if rest[i] < '0' || rest[i] > '9' {
				return hostOfParse(raw)
			}
		}
		name = rest[:colon]
	}
	if name == "" {
		return "", false
	}
	if upper {
		name = strings.ToLower(name)
	}
	return name, true
}

// hasCTL reports whether s holds an ASCII control character, which
// url.Parse rejects.
func hasCTL(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < 0x20 || s[i] == 0x7f {
			return true
		}
	}
	return false
}

// hostOfParse is hostOf's slow path.
func hostOfParse(raw string) (string, bool) {
	u, err := url.Parse(raw)
	if err != nil || u.Scheme != "http" && u.Scheme != "https" || u.Opaque != "" {
		return "", false
	}
	host := u.Hostname()
	if host == "" {
		return "", false
	}
	return strings.ToLower(host), true
}
