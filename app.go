package wxads

import (
	"context"
	"fmt"
	"net/netip"
	"strings"
)

// Advertiser statuses.
const (
	StatusApproved = "APPROVED"
	StatusPending  = "PENDING"
)

// Advertiser is a tenant: it owns apps, data sources and everything in them.
type Advertiser struct {
	ID          int64
	Name        string
	Status      string
	CreatedTime int64
}

// App is a WeChat official account of an advertiser.
type App struct {
	AppID       string
	AccountID   int64
	Name        string
	SecretHash  []byte
	IPWhitelist []netip.Prefix
	CreatedTime int64
}

// AccountStore holds advertisers, apps and followers.
type AccountStore interface {
	CreateAdvertiser(ctx context.Context, a *Advertiser) error
	Advertiser(ctx context.Context, id int64) (*Advertiser, error)
	SetAdvertiserStatus(ctx context.Context, id int64, status string) error

	CreateApp(ctx context.Context, app *App) error
	App(ctx context.Context, appid string) (*App, error)
	// SetAppSecret replaces the secret hash only; tokens are untouched.
	SetAppSecret(ctx context.Context, appid string, secretHash []byte) error
	// ResetSecret replaces the secret hash and revokes every token of the app
	// (as TokenStore.RevokeTokens at now) in one transaction; ErrNotFound when
	// the app does not exist, and then nothing changes.
	ResetSecret(ctx context.Context, appid string, secretHash []byte, now int64) error
	SetAppWhitelist(ctx context.Context, appid string, list []Prefix) error

	// AddFollowers records openids as followers of appid (existing ones are kept).
	AddFollowers(ctx context.Context, appid string, openids []string, now int64) error
	IsFollower(ctx context.Context, appid, openid string) (bool, error)

	// Admin reads, paged: each returns at most limit rows after skipping
	// offset, and the total; limit 0 returns the total only.
	//
	// ListAdvertisers orders by account id.
	ListAdvertisers(ctx context.Context, offset, limit int) ([]Advertiser, int, error)
	// ListApps lists the apps of accountID (0: of every advertiser) by
	// created time, then appid. SecretHash is left nil: lists never carry it.
	ListApps(ctx context.Context, accountID int64, offset, limit int) ([]App, int, error)
	// ListFollowers lists the followers of appid by openid.
	ListFollowers(ctx context.Context, appid string, offset, limit int) ([]Follower, int, error)
}

// Follower is a WeChat user following an app, since CreatedTime.
type Follower struct {
	OpenID      string
	CreatedTime int64
}

// Prefix is an IP whitelist entry.
type Prefix = netip.Prefix

// DefaultWhitelist is what an app gets when its creator gives no whitelist.
func DefaultWhitelist() []Prefix {
	return []Prefix{netip.MustParsePrefix("127.0.0.0/8"), netip.MustParsePrefix("::1/128")}
}

// Allowed reports whether ip is inside one of the prefixes.
func Allowed(list []Prefix, ip netip.Addr) bool {
	ip = ip.Unmap()
	for _, p := range list {
		if p.Contains(ip) {
			return true
		}
	}
	return false
}

// ValidOpenID reports whether s has the platform's openid shape: 28
// characters of [A-Za-z0-9_-] starting with 'o'.
func ValidOpenID(s string) bool {
	if len(s) != 28 || s[0] != 'o' {
		return false
	}
	for i := 1; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-') {
			return false
		}
	}
	return true
}

// ParsePrefix reads an IP whitelist or trusted-proxy entry: a CIDR, or a
// bare address meaning that one host. IPv4-mapped IPv6 entries become their
// IPv4 form (clients are compared unmapped); zoned addresses are refused.
func ParsePrefix(s string) (Prefix, error) {
	s = strings.TrimSpace(s)
	p, err := netip.ParsePrefix(s)
	if err != nil {
		addr, aerr := netip.ParseAddr(s)
		if aerr != nil {
			return Prefix{}, err
		}
		if addr.Zone() != "" {
			return Prefix{}, fmt.Errorf("address %q has a zone", s)
		}
		p = netip.PrefixFrom(addr, addr.BitLen())
	}
	if p.Addr().Is4In6() && p.Bits() >= 96 {
		p = netip.PrefixFrom(p.Addr().Unmap(), p.Bits()-96)
	}
	return p.Masked(), nil
}
