package wxads

import (
	"context"
	"errors"
)

// Token kinds: /cgi-bin/token tokens and /cgi-bin/stable_token tokens do not
// supersede each other.
const (
	TokenNormal = 0
	TokenStable = 1
)

// Token lifetimes (SPEC §4).
const (
	TokenTTL         = 7200 // seconds
	SupersedeGrace   = 300  // a superseded token lives this much longer
	TokenDailyLimit  = 2000 // /cgi-bin/token issues per appid per GMT+8 day
	StableMinLeft    = 300  // stable token is reissued when it has less left
	ForceDailyLimit  = 20   // force_refresh per appid per day
	ForceMinInterval = 30   // seconds between forced refreshes
)

// Token is an issued access token, known by its hash only.
type Token struct {
	Hash         []byte
	AppID        string
	Kind         int
	Generation   int64 // stable tokens: the derivation counter
	IssuedAt     int64
	ExpiresAt    int64
	SupersededAt int64 // 0 while current
	RevokedAt    int64 // 0 unless revoked: then refused at once, no grace
}

// ErrQuota is returned when a daily issue quota is used up.
var ErrQuota = errors.New("wxads: daily quota exceeded")

// ErrTooFrequent is returned when a forced refresh comes too soon.
var ErrTooFrequent = errors.New("wxads: too frequent")

// ErrSecretChanged is returned when the app's secret is no longer the one
// the caller verified: a reset_secret came between the check and the issue.
var ErrSecretChanged = errors.New("wxads: app secret changed")

// IssueToken asks a TokenStore to store a new /cgi-bin/token token.
type IssueToken struct {
	Token Token
	Day   string // GMT+8 date the quota is counted on
	Limit int
	// SecretHash, when set, is the secret hash the caller verified: the
	// store issues nothing (ErrSecretChanged) unless the app still has it.
	SecretHash []byte
}

// StableIssue asks for the app's stable token per SPEC §4.
type StableIssue struct {
	AppID   string
	Now     int64
	Day     string
	Force   bool
	NewHash func(generation int64) []byte // hash of the token for a generation
	// SecretHash as in IssueToken: nothing is returned or issued
	// (ErrSecretChanged) unless the app still has this secret hash.
	SecretHash []byte
}

// TokenStore keeps token hashes and issue quotas. Each method is atomic, so
// several nodes may share one store.
type TokenStore interface {
	// Issue stores t.Token, supersedes the app's previous token of the same
	// kind, and counts the day's quota; ErrQuota when it is used up.
	Issue(ctx context.Context, t IssueToken) error
	// Stable returns the app's current stable token, issuing a new generation
	// when needed or forced; ErrQuota / ErrTooFrequent for forced refreshes.
	Stable(ctx context.Context, req StableIssue) (*Token, error)
	// Lookup finds a token by hash; ErrNotFound when unknown.
	Lookup(ctx context.Context, hash []byte) (*Token, error)
	// RevokeTokens ends every token of appid, both kinds, at once: Lookup
	// reports them with RevokedAt = now and none is current any more, so the
	// next Stable issues a generation above every earlier one. An app with no
	// tokens is no error.
	RevokeTokens(ctx context.Context, appid string, now int64) error
}
