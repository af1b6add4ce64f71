package server

import (
	"net/http"
	"net/netip"
	"strings"

	"github.com/wxads/wxads"
)

// clientIP is the caller's address: the TCP peer, unless the peer is a
// trusted proxy, then the right-most X-Forwarded-For hop that is not one.
// The header is never believed from an untrusted peer.
func clientIP(r *http.Request, trusted []netip.Prefix) netip.Addr {
	peer, err := netip.ParseAddrPort(r.RemoteAddr)
	if err != nil {
		return netip.Addr{}
	}
	ip := peer.Addr().Unmap()
	if !wxads.Allowed(trusted, ip) {
		return ip
	}
	var hops []string
	for _, h := range r.Header.Values("X-Forwarded-For") {
		hops = append(hops, strings.Split(h, ",")...)
	}
	for i := len(hops) - 1; i >= 0; i-- {
		text := strings.TrimSpace(hops[i])
		if text == "" {
			continue // an empty list element (RFC 9110 §5.6.1)
		}
		hop, ok := parseHop(text)
		if !ok {
			// A garbled hop breaks the chain: the client is unknown, and the
			// trusted proxy that forwarded it is not the client. Fail closed.
			return netip.Addr{}
		}
		ip = hop.Unmap()
		if !wxads.Allowed(trusted, ip) {
			return ip
		}
	}
	return ip
}

// parseHop reads one X-Forwarded-For element: an address, or an address
// with a port as some proxies write it.
func parseHop(text string) (netip.Addr, bool) {
	if a, err := netip.ParseAddr(text); err == nil {
		return a, true
	}
	ap, err := netip.ParseAddrPort(text)
	return ap.Addr(), err == nil
}
