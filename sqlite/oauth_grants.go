package sqlite

import (
	"context"

	"github.com/wxads/wxads"
)

// oauthGrantsQuery reads the grants from the pair's tokens and unused codes
// (kind 2 below): there is no grant table to fall out of step with them.
// ?1 is the account, ?2 now.
const oauthGrantsQuery = `WITH g AS (
	SELECT client_id, scopes, issued_at, used_at, kind, expires_at FROM oauth_tokens WHERE account_id = ?1
	UNION ALL
	SELECT client_id, scopes, issued_at, 0, 2, expires_at FROM oauth_codes WHERE account_id = ?1 AND used_at = 0 AND expires_at >= ?2
)
SELECT g.client_id, c.name,
	(SELECT l.scopes FROM g l WHERE l.client_id = g.client_id ORDER BY l.issued_at DESC, l.kind LIMIT 1),
	MIN(g.issued_at),
	MAX(CASE WHEN g.kind < 2 THEN g.issued_at ELSE 0 END),
	MAX(g.used_at),
	SUM(CASE WHEN g.kind < 2 AND g.expires_at >= ?2 THEN 1 ELSE 0 END),
	SUM(CASE WHEN g.kind = 2 THEN 1 ELSE 0 END)
FROM g JOIN oauth_clients c ON c.id = g.client_id
GROUP BY g.client_id, c.name ORDER BY g.client_id`

func (db *DB) OAuthGrants(ctx context.Context, account, now int64) ([]wxads.OAuthGrant, error) {
	rows, err := db.read.QueryContext(ctx, oauthGrantsQuery, account, now)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []wxads.OAuthGrant{}
	for rows.Next() {
		g := wxads.OAuthGrant{AccountID: account}
		var scopes string
		if err := rows.Scan(&g.ClientID, &g.ClientName, &scopes, &g.AuthorizedAt, &g.LastIssuedAt, &g.LastUsedAt,
			&g.LiveTokens, &g.PendingCodes); err != nil {
			return nil, err
		}
		g.Scopes = splitScopes(scopes)
		out = append(out, g)
	}
	return out, rows.Err()
}

// RevokeOAuthGrant runs on the one writer connection, so a redemption or a
// refresh of the pair is wholly before it (its tokens are deleted here) or
// wholly after (its code or refresh token is gone: unknown).
func (db *DB) RevokeOAuthGrant(ctx context.Context, account, client int64) (int64, error) {
	tx, err := db.write.BeginTx(ctx, nil)
	if err != nil {
		return 0, err
	}
	defer tx.Rollback()
	codes, err := tx.ExecContext(ctx, `DELETE FROM oauth_codes WHERE account_id = ? AND client_id = ?`, account, client)
	if err != nil {
		return 0, err
	}
	toks, err := tx.ExecContext(ctx, `DELETE FROM oauth_tokens WHERE account_id = ? AND client_id = ?`, account, client)
	if err != nil {
		return 0, err
	}
	nc, err := codes.RowsAffected()
	if err != nil {
		return 0, err
	}
	nt, err := toks.RowsAffected()
	if err != nil {
		return 0, err
	}
	if nc+nt == 0 {
		return 0, wxads.ErrNotFound
	}
	return nt, tx.Commit()
}

func (db *DB) TouchOAuthToken(ctx context.Context, hash []byte, at int64) error {
	_, err := db.write.ExecContext(ctx, `UPDATE oauth_tokens SET used_at = ? WHERE hash = ? AND used_at < ?`, at, hash, at)
	return err
}
