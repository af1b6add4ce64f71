package wxads

import (
	"context"
	"errors"
)

// OAuth 2.0 lifetimes on the Tencent side (SPEC §10), in seconds.
const (
	OAuthCodeTTL    = 300     // an authorization code
	OAuthAccessTTL  = 86400   // an access token
	OAuthRefreshTTL = 2592000 // a refresh token, restarted by each refresh
)

// OAuth scopes an app may ask for; an empty scope asks for all of them.
var OAuthScopes = []string{"ads_management", "ads_insights", "account_management", "audience_management", "user_actions"}

// OAuthClient is a developer app on the Tencent side.
type OAuthClient struct {
	ID           int64 // assigned by the store
	Name         string
	SecretHash   []byte
	RedirectURIs []string // matched exactly, never by prefix
	CreatedTime  int64
}

// OAuthCode is an authorization code, known by its hash only.
type OAuthCode struct {
	Hash        []byte
	ClientID    int64
	AccountID   int64
	RedirectURI string // "" when issued through the admin API
	Scopes      []string
	IssuedAt    int64
	ExpiresAt   int64
	UsedAt      int64 // 0 until redeemed
}

// OAuth token kinds.
const (
	OAuthAccess  = 0
	OAuthRefresh = 1
)

// OAuthToken is an access or refresh token, known by its hash only.
type OAuthToken struct {
	Hash      []byte
	Kind      int
	ClientID  int64
	AccountID int64
	Scopes    []string
	IssuedAt  int64
	ExpiresAt int64
	// Refresh links an access token to the refresh token it came from.
	Refresh []byte
}

// ErrCodeUsed is returned when an authorization code was redeemed before.
var ErrCodeUsed = errors.New("wxads: authorization code already used")

// ErrExpired is returned when a code or refresh token is past its life.
var ErrExpired = errors.New("wxads: expired")

// OAuthStore keeps developer apps, codes and tokens. Each method is atomic.
type OAuthStore interface {
	// CreateOAuthClient stores c and sets c.ID.
	CreateOAuthClient(ctx context.Context, c *OAuthClient) error
	// OAuthClient finds a client; ErrNotFound when unknown.
	OAuthClient(ctx context.Context, id int64) (*OAuthClient, error)
	// IssueOAuthCode stores a new authorization code.
	IssueOAuthCode(ctx context.Context, c OAuthCode) error
	// RedeemOAuthCode marks the code used and stores access and refresh in
	// one transaction, so a code works once however many callers race:
	// ErrNotFound when unknown, ErrCodeUsed when redeemed before,
	// ErrExpired when past ExpiresAt at now. check, when not nil, sees the
	// code first (its client, redirect URI) and may refuse with its own
	// error, which leaves the code unused. access and refresh get the
	// code's account and scopes.
	RedeemOAuthCode(ctx context.Context, hash []byte, now int64, check func(*OAuthCode) error, access, refresh OAuthToken) (*OAuthCode, error)
	// RefreshOAuth stores access for the refresh token's account and scopes
	// and restarts the refresh token to expire at refreshExpiresAt:
	// ErrNotFound when unknown, ErrExpired when past its life at now.
	// check as in RedeemOAuthCode.
	RefreshOAuth(ctx context.Context, refreshHash []byte, now int64, check func(*OAuthToken) error, access OAuthToken, refreshExpiresAt int64) (*OAuthToken, error)
	// LookupOAuthToken finds an access or refresh token by hash; ErrNotFound when unknown.
	LookupOAuthToken(ctx context.Context, hash []byte) (*OAuthToken, error)

	// OAuthGrants lists the developer apps account has authorized: every
	// client holding a token or an unused code of the account, by client id;
	// live counts are taken at now. Never another account's.
	OAuthGrants(ctx context.Context, account, now int64) ([]OAuthGrant, error)
	// RevokeOAuthGrant ends account's authorization of client at once: every
	// access and refresh token of the pair and every code not yet redeemed
	// are gone, and a redemption or refresh racing with it either finishes
	// first (and its tokens are gone too) or fails as unknown. It returns how
	// many tokens it removed; ErrNotFound when the pair holds no token or code.
	RevokeOAuthGrant(ctx context.Context, account, client int64) (tokens int64, err error)
	// TouchOAuthToken records that the token was used at at (kept when
	// later than the last use recorded). Callers throttle it: it writes.
	TouchOAuthToken(ctx context.Context, hash []byte, at int64) error
}

// OAuthGrant is an advertiser's authorization of one developer app, as its
// tokens and codes show it. Revoking it deletes them, so a grant lives from
// its first code to its revocation; one whose tokens have all expired stays
// listed (with no live token) until revoked.
type OAuthGrant struct {
	ClientID   int64
	ClientName string
	AccountID  int64
	// Scopes of the latest token or code issued for the pair.
	Scopes []string
	// AuthorizedAt is when the oldest code or token still held was issued.
	AuthorizedAt int64
	// LastIssuedAt is the latest token issued (redemption or refresh); 0 none yet.
	LastIssuedAt int64
	// LastUsedAt is the latest recorded API call with one of its access
	// tokens (TouchOAuthToken); 0 never.
	LastUsedAt int64
	// LiveTokens counts access and refresh tokens not expired at now;
	// PendingCodes the codes neither redeemed nor expired.
	LiveTokens   int64
	PendingCodes int64
}
