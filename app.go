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
	// AddFollowersWithUnionIDs records followers of appid as AddFollowers
	// does, and gives each its UnionID when set (CreatedTime is ignored: a new
	// follower is created at now). A unionid identifies one follower per app
	// and an openid keeps at most one unionid: a follower whose unionid
	// another openid of the app holds, or whose openid already holds another
	// unionid, is a *FollowerConflict (errors.Is ErrConflict) and nothing of
	// the call is stored. Giving a follower the unionid it already has is
	// not a conflict.
	AddFollowersWithUnionIDs(ctx context.Context, appid string, followers []Follower, now int64) error
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

// Follower is a WeChat user following an app, since CreatedTime. UnionID
// is the user's id across the apps of one WeChat open platform account, ""
// when the platform does not know it; a v3.0 action naming it instead of
// the openid is identified as this follower (SPEC §11).
type Follower struct {
	OpenID      string
	UnionID     string
	CreatedTime int64
}

// MaxUnionIDLen is the longest unionid a follower or an action may carry
// (bytes; SPEC §11: wechat_unionid ≤ 64).
const MaxUnionIDLen = 64

// FollowerConflict is AddFollowersWithUnionIDs refusing followers[Index]:
// its UnionID is held by another openid of the app (HeldBy), or its OpenID
// already holds another unionid (Kept).
type FollowerConflict struct {
	Index   int
	OpenID  string
	UnionID string
	HeldBy  string // the openid holding UnionID, "" when the conflict is Kept
	Kept    string // the unionid OpenID already holds, "" when the conflict is HeldBy
}

func (e *FollowerConflict) Error() string {
	if e.HeldBy != "" {
		return fmt.Sprintf("wxads: followers[%d]: unionid %q is already held by openid %s of this app", e.Index, e.UnionID, e.HeldBy)
	}
	return fmt.Sprintf("wxads: followers[%d]: openid %s already holds unionid %q (an openid keeps one unionid)", e.Index, e.OpenID, e.Kept)
}

// Is makes a FollowerConflict an ErrConflict.
func (e *FollowerConflict) Is(target error) bool { return target == ErrConflict }

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

// KindUnionID is the UserID kind of a v3.0 action's wechat_unionid.
const KindUnionID = "wechat_unionid"

// UnionID is the wechat_unionid among a's user ids, "" when none.
func (a *Action) UnionID() string {
	for _, u := range a.UserIDs {
		if u.Kind == KindUnionID {
			return u.Value
		}
	}
	return ""
}

// ByFollower reports whether a was identified as a follower of its app —
// by its openid, or by its unionid (at ingest FollowerOpenID is then that
// follower's openid) — rather than by a device id.
func (a *Action) ByFollower() bool { return a.Identified && byFollower(a.IdentifiedBy) }

// UserOpenID is the openid of the follower a is identified as: its own,
// or the one holding its unionid.
func (a *Action) UserOpenID() string { return userOpenID(a.FollowerOpenID, a.OpenID) }

// byFollower: what identified an action (IdentifiedBy) was a follower's
// openid ("") or unionid, not a device id.
func byFollower(identifiedBy string) bool {
	return identifiedBy == "" || strings.HasPrefix(identifiedBy, KindUnionID+":")
}

func userOpenID(followerOpenID, openID string) string {
	if followerOpenID != "" {
		return followerOpenID
	}
	return openID
}
