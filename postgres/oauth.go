package postgres

import (
	"context"
	"encoding/json"
	"strings"

	"github.com/jackc/pgx/v5"

	"github.com/wxads/wxads"
)

var _ wxads.OAuthStore = (*DB)(nil)

func (db *DB) CreateOAuthClient(ctx context.Context, c *wxads.OAuthClient) error {
	uris, err := json.Marshal(c.RedirectURIs)
	if err != nil {
		return err
	}
	return translate(db.pool.QueryRow(ctx,
		`INSERT INTO oauth_clients (name, secret_hash, redirect_uris, created_time) VALUES ($1, $2, $3, $4) RETURNING id`,
		c.Name, c.SecretHash, string(uris), c.CreatedTime).Scan(&c.ID))
}

func (db *DB) OAuthClient(ctx context.Context, id int64) (*wxads.OAuthClient, error) {
	c := &wxads.OAuthClient{ID: id}
	var uris string
	err := db.pool.QueryRow(ctx, `SELECT name, secret_hash, redirect_uris, created_time FROM oauth_clients WHERE id = $1`, id).
		Scan(&c.Name, &c.SecretHash, &uris, &c.CreatedTime)
	if err != nil {
		return nil, translate(err)
	}
	return c, json.Unmarshal([]byte(uris), &c.RedirectURIs)
}

func (db *DB) IssueOAuthCode(ctx context.Context, c wxads.OAuthCode) error {
	_, err := db.pool.Exec(ctx, `INSERT INTO oauth_codes
		(hash, client_id, account_id, redirect_uri, scopes, issued_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
		c.Hash, c.ClientID, c.AccountID, c.RedirectURI, strings.Join(c.Scopes, ","), c.IssuedAt, c.ExpiresAt)
	return translate(err)
}

// RedeemOAuthCode reads the code FOR UPDATE: a second redemption on any
// node waits for the first to commit and then sees used_at set.
func (db *DB) RedeemOAuthCode(ctx context.Context, hash []byte, now int64, check func(*wxads.OAuthCode) error,
	access, refresh wxads.OAuthToken) (*wxads.OAuthCode, error) {
	c := &wxads.OAuthCode{Hash: hash}
	var found bool
	err := pgx.BeginFunc(ctx, db.pool, func(tx pgx.Tx) error {
		var scopes string
		err := tx.QueryRow(ctx, `SELECT client_id, account_id, redirect_uri, scopes, issued_at, expires_at, used_at
			FROM oauth_codes WHERE hash = $1 FOR UPDATE`, hash).
			Scan(&c.ClientID, &c.AccountID, &c.RedirectURI, &scopes, &c.IssuedAt, &c.ExpiresAt, &c.UsedAt)
		if err != nil {
			return translate(err)
		}
		found = true
		c.Scopes = splitScopes(scopes)
		if check != nil {
			if err := check(c); err != nil {
				return err
			}
		}
		switch {
		case c.UsedAt != 0:
			return wxads.ErrCodeUsed
		case now > c.ExpiresAt:
			return wxads.ErrExpired
		}
		if _, err := tx.Exec(ctx, `UPDATE oauth_codes SET used_at = $1 WHERE hash = $2`, now, hash); err != nil {
			return err
		}
		refresh.Kind, access.Kind, access.Refresh = wxads.OAuthRefresh, wxads.OAuthAccess, refresh.Hash
		for _, t := range []*wxads.OAuthToken{&refresh, &access} {
			t.ClientID, t.AccountID, t.Scopes = c.ClientID, c.AccountID, c.Scopes
			if err := insertOAuthToken(ctx, tx, t); err != nil {
				return err
			}
		}
		return nil
	})
	if !found {
		return nil, err
	}
	return c, err
}

func (db *DB) RefreshOAuth(ctx context.Context, refreshHash []byte, now int64, check func(*wxads.OAuthToken) error,
	access wxads.OAuthToken, refreshExpiresAt int64) (*wxads.OAuthToken, error) {
	var rt *wxads.OAuthToken
	err := pgx.BeginFunc(ctx, db.pool, func(tx pgx.Tx) error {
		var err error
		rt, err = oauthToken(tx.QueryRow(ctx, oauthTokenQuery+` FOR UPDATE`, refreshHash), refreshHash)
		if err != nil {
			return err
		}
		if rt.Kind != wxads.OAuthRefresh {
			rt = nil
			return wxads.ErrNotFound
		}
		if check != nil {
			if err := check(rt); err != nil {
				return err
			}
		}
		if now > rt.ExpiresAt {
			return wxads.ErrExpired
		}
		if _, err := tx.Exec(ctx, `UPDATE oauth_tokens SET expires_at = $1 WHERE hash = $2`, refreshExpiresAt, refreshHash); err != nil {
			return err
		}
		access.Kind, access.Refresh = wxads.OAuthAccess, refreshHash
		access.ClientID, access.AccountID, access.Scopes = rt.ClientID, rt.AccountID, rt.Scopes
		return insertOAuthToken(ctx, tx, &access)
	})
	if err == nil {
		rt.ExpiresAt = refreshExpiresAt
	}
	return rt, err
}

func (db *DB) LookupOAuthToken(ctx context.Context, hash []byte) (*wxads.OAuthToken, error) {
	return oauthToken(db.pool.QueryRow(ctx, oauthTokenQuery, hash), hash)
}

const oauthTokenQuery = `SELECT kind, client_id, account_id, scopes, issued_at, expires_at, refresh_hash
	FROM oauth_tokens WHERE hash = $1`

func oauthToken(row pgx.Row, hash []byte) (*wxads.OAuthToken, error) {
	t := &wxads.OAuthToken{Hash: hash}
	var scopes string
	if err := row.Scan(&t.Kind, &t.ClientID, &t.AccountID, &scopes, &t.IssuedAt, &t.ExpiresAt, &t.Refresh); err != nil {
		return nil, translate(err)
	}
	t.Scopes = splitScopes(scopes)
	return t, nil
}

func insertOAuthToken(ctx context.Context, tx pgx.Tx, t *wxads.OAuthToken) error {
	_, err := tx.Exec(ctx, `INSERT INTO oauth_tokens
		(hash, kind, client_id, account_id, scopes, issued_at, expires_at, refresh_hash) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
		t.Hash, t.Kind, t.ClientID, t.AccountID, strings.Join(t.Scopes, ","), t.IssuedAt, t.ExpiresAt, t.Refresh)
	return translate(err)
}

func splitScopes(s string) []string {
	if s == "" {
		return nil
	}
	return strings.Split(s, ",")
}
