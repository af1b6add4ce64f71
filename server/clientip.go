package server

import (
	"net/http"
	"net/netip"
	"strings"
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
	if !inPrefixes(trusted, ip) {
		return ip
	}
	var hops []string
	for _, h := range r.Header.Values("X-Forwarded-For") {
		hops = append(hops, strings.Split(h, ",")...)
	}
	for i := len(hops) - 1; i >= 0; i-- {
		hop, err := netip.ParseAddr(strings.TrimSpace(hops[i]))
		if err != nil {
			// A garbled hop cannot be vouched for: stop at the last proxy we trust.
			return ip
		}
		ip = hop.Unmap()
		if !inPrefixes(trusted, ip) {
			return ip
		}
	}
	return ip
}

func inPrefixes(list []netip.Prefix, ip netip.Addr) bool {
	for _, p := range list {
		if p.Contains(ip) {
			return true
		}
	}
	return false
}
