package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"strings"

	"github.com/wxads/wxads"
)

var _ wxads.OAuthStore = (*DB)(nil)

func (db *DB) CreateOAuthClient(ctx context.Context, c *wxads.OAuthClient) error {
	uris, err := json.Marshal(c.RedirectURIs)
	if err != nil {
		return err
	}
	res, err := db.write.ExecContext(ctx,
		`INSERT INTO oauth_clients (name, secret_hash, redirect_uris, created_time) VALUES (?, ?, ?, ?)`,
		c.Name, c.SecretHash, string(uris), c.CreatedTime)
	if err != nil {
		return translate(err)
	}
	c.ID, err = res.LastInsertId()
	return err
}

func (db *DB) OAuthClient(ctx context.Context, id int64) (*wxads.OAuthClient, error) {
	c := &wxads.OAuthClient{ID: id}
	var uris string
	err := db.read.QueryRowContext(ctx, `SELECT name, secret_hash, redirect_uris, created_time FROM oauth_clients WHERE id = ?`, id).
		Scan(&c.Name, &c.SecretHash, &uris, &c.CreatedTime)
	if err != nil {
		return nil, translate(err)
	}
	return c, json.Unmarshal([]byte(uris), &c.RedirectURIs)
}

func (db *DB) IssueOAuthCode(ctx context.Context, c wxads.OAuthCode) error {
	_, err := db.write.ExecContext(ctx, `INSERT INTO oauth_codes
		(hash, client_id, account_id, redirect_uri, scopes, issued_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?)`,
		c.Hash, c.ClientID, c.AccountID, c.RedirectURI, strings.Join(c.Scopes, ","), c.IssuedAt, c.ExpiresAt)
	return translate(err)
}

// RedeemOAuthCode runs on the one writer connection in an immediate
// transaction, so two redemptions of one code are serialized and only the
// first sees used_at = 0.
func (db *DB) RedeemOAuthCode(ctx context.Context, hash []byte, now int64, check func(*wxads.OAuthCode) error,
	access, refresh wxads.OAuthToken) (*wxads.OAuthCode, error) {
	tx, err := db.write.BeginTx(ctx, nil)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	c := &wxads.OAuthCode{Hash: hash}
	var scopes string
	err = tx.QueryRowContext(ctx, `SELECT client_id, account_id, redirect_uri, scopes, issued_at, expires_at, used_at
		FROM oauth_codes WHERE hash = ?`, hash).
		Scan(&c.ClientID, &c.AccountID, &c.RedirectURI, &scopes, &c.IssuedAt, &c.ExpiresAt, &c.UsedAt)
	if err != nil {
		return nil, translate(err)
	}
	c.Scopes = splitScopes(scopes)
	if check != nil {
		if err := check(c); err != nil {
			return c, err
		}
	}
	switch {
	case c.UsedAt != 0:
		return c, wxads.ErrCodeUsed
	case now > c.ExpiresAt:
		return c, wxads.ErrExpired
	}
	if _, err := tx.ExecContext(ctx, `UPDATE oauth_codes SET used_at = ? WHERE hash = ?`, now, hash); err != nil {
		return nil, err
	}
	refresh.Kind, access.Kind, access.Refresh = wxads.OAuthRefresh, wxads.OAuthAccess, refresh.Hash
	for _, t := range []*wxads.OAuthToken{&refresh, &access} {
		t.ClientID, t.AccountID, t.Scopes = c.ClientID, c.AccountID, c.Scopes
		if err := insertOAuthToken(ctx, tx, t); err != nil {
			return nil, err
		}
	}
	return c, tx.Commit()
}

func (db *DB) RefreshOAuth(ctx context.Context, refreshHash []byte, now int64, check func(*wxads.OAuthToken) error,
	access wxads.OAuthToken, refreshExpiresAt int64) (*wxads.OAuthToken, error) {
	tx, err := db.write.BeginTx(ctx, nil)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	rt, err := oauthToken(ctx, tx.QueryRowContext(ctx, oauthTokenQuery, refreshHash), refreshHash)
	if err != nil {
		return nil, err
	}
	if rt.Kind != wxads.OAuthRefresh {
		return nil, wxads.ErrNotFound
	}
	if check != nil {
		if err := check(rt); err != nil {
			return rt, err
		}
	}
	if now > rt.ExpiresAt {
		return rt, wxads.ErrExpired
	}
	if _, err := tx.ExecContext(ctx, `UPDATE oauth_tokens SET expires_at = ? WHERE hash = ?`, refreshExpiresAt, refreshHash); err != nil {
		return nil, err
	}
	rt.ExpiresAt = refreshExpiresAt
	access.Kind, access.Refresh = wxads.OAuthAccess, refreshHash
	access.ClientID, access.AccountID, access.Scopes = rt.ClientID, rt.AccountID, rt.Scopes
	if err := insertOAuthToken(ctx, tx, &access); err != nil {
		return nil, err
	}
	return rt, tx.Commit()
}

func (db *DB) LookupOAuthToken(ctx context.Context, hash []byte) (*wxads.OAuthToken, error) {
	return oauthToken(ctx, db.read.QueryRowContext(ctx, oauthTokenQuery, hash), hash)
}

const oauthTokenQuery = `SELECT kind, client_id, account_id, scopes, issued_at, expires_at, refresh_hash
	FROM oauth_tokens WHERE hash = ?`

func oauthToken(_ context.Context, row *sql.Row, hash []byte) (*wxads.OAuthToken, error) {
	t := &wxads.OAuthToken{Hash: hash}
	var scopes string
	err := row.Scan(&t.Kind, &t.ClientID, &t.AccountID, &scopes, &t.IssuedAt, &t.ExpiresAt, &t.Refresh)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, wxads.ErrNotFound
	} else if err != nil {
		return nil, err
	}
	t.Scopes = splitScopes(scopes)
	return t, nil
}

func insertOAuthToken(ctx context.Context, tx *sql.Tx, t *wxads.OAuthToken) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO oauth_tokens
		(hash, kind, client_id, account_id, scopes, issued_at, expires_at, refresh_hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
		t.Hash, t.Kind, t.ClientID, t.AccountID, strings.Join(t.Scopes, ","), t.IssuedAt, t.ExpiresAt, t.Refresh)
	return translate(err)
}

func splitScopes(s string) []string {
	if s == "" {
		return nil
	}
	return strings.Split(s, ",")
}
