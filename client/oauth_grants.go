package client

import (
	"context"
	"encoding/json"
	"net/url"
	"strconv"
)

// OAuthGrant is a developer app (OAuth client) an advertiser has
// authorized, as GET /ext/v1/oauth_grants/get lists it. Times are
// yyyy-MM-dd HH:mm:ss GMT+8; "" when it has not happened.
type OAuthGrant struct {
	ClientID       int64    `json:"client_id"`
	ClientName     string   `json:"client_name"`
	Scopes         []string `json:"scope_list"`
	AuthorizedTime string   `json:"authorized_time"`
	LastIssuedTime string   `json:"last_issued_time"` // the latest token issued (code traded or refresh)
	LastUsedTime   string   `json:"last_used_time"`   // the latest API call with its tokens, to the minute
	LiveTokens     int64    `json:"live_token_count"` // access and refresh tokens not yet expired
	PendingCodes   int64    `json:"pending_code_count"`
}

type grantList struct {
	List []OAuthGrant `json:"list"`
}

type grantRevoked struct {
	Revoked int64 `json:"revoked_token_count"`
}

// OAuthGrants lists the developer apps the client's advertiser has
// authorized on the Tencent side (its OAuth grants).
func (c *Client) OAuthGrants(ctx context.Context) ([]OAuthGrant, error) {
	out := new(grantList)
	if err := c.t.do(ctx, marketing("GET", "/ext/v1/oauth_grants/get", nil, nil), out); err != nil {
		return nil, err
	}
	return out.List, nil
}

// RevokeOAuthGrant ends the advertiser's authorization of the developer app
// clientID at once: every access and refresh token of the app for this
// advertiser stops working (11002 on its next call) and codes not yet
// traded are void. It returns the number of tokens ended. A client the
// advertiser never authorized (or already revoked) is ErrNotAccessible.
// It is sent once: after a network error, check OAuthGrants before trying
// again, since a repeat of a revocation that was applied is refused.
func (c *Client) RevokeOAuthGrant(ctx context.Context, clientID int64) (int64, error) {
	body, _ := json.Marshal(map[string]int64{"client_id": clientID})
	call := marketing("POST", "/ext/v1/oauth_grants/revoke", nil, body)
	call.once = true
	out := new(grantRevoked)
	if err := c.t.do(ctx, call, out); err != nil {
		return 0, err
	}
	return out.Revoked, nil
}

// OAuthGrants lists the developer apps advertiser accountID has authorized.
func (a *Admin) OAuthGrants(ctx context.Context, accountID int64) ([]OAuthGrant, error) {
	out := new(grantList)
	err := a.read(ctx, "/admin/v1/oauth_grants", url.Values{"account_id": {strconv.FormatInt(accountID, 10)}}, out)
	return out.List, err
}

// RevokeOAuthGrant ends advertiser accountID's authorization of the
// developer app clientID, as Client.RevokeOAuthGrant does for its own.
func (a *Admin) RevokeOAuthGrant(ctx context.Context, accountID, clientID int64) (int64, error) {
	out := new(grantRevoked)
	err := a.write(ctx, "POST", "/admin/v1/oauth_grants/revoke", map[string]int64{"account_id": accountID, "client_id": clientID}, out)
	return out.Revoked, err
}
