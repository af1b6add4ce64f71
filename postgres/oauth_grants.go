package postgres

import (
	"context"
	"strconv"

	"github.com/jackc/pgx/v5"

	"github.com/wxads/wxads"
)

// lockGrantRevoke namespaces the advisory lock that serializes revocations of
// one (account, client) pair (the second key is a hash of the pair).
const lockGrantRevoke = 7302

// oauthGrantsQuery reads the grants from the pair's tokens and unused codes
// (kind 2 below): there is no grant table to fall out of step with them.
// $1 is the account, $2 now.
const oauthGrantsQuery = `WITH g AS (
	SELECT client_id, scopes, issued_at, used_at, kind, expires_at FROM oauth_tokens WHERE account_id = $1
	UNION ALL
	SELECT client_id, scopes, issued_at, 0, 2, expires_at FROM oauth_codes WHERE account_id = $1 AND used_at = 0 AND expires_at >= $2
)
SELECT g.client_id, c.name,
	(SELECT l.scopes FROM g l WHERE l.client_id = g.client_id ORDER BY l.issued_at DESC, l.kind LIMIT 1),
	MIN(g.issued_at),
	MAX(CASE WHEN g.kind < 2 THEN g.issued_at ELSE 0 END),
	MAX(g.used_at),
	SUM(CASE WHEN g.kind < 2 AND g.expires_at >= $2 THEN 1 ELSE 0 END),
	SUM(CASE WHEN g.kind = 2 THEN 1 ELSE 0 END)
FROM g JOIN oauth_clients c ON c.id = g.client_id
GROUP BY g.client_id, c.name ORDER BY g.client_id`

func (db *DB) OAuthGrants(ctx context.Context, account, now int64) ([]wxads.OAuthGrant, error) {
	rows, err := db.pool.Query(ctx, oauthGrantsQuery, account, now)
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

// RevokeOAuthGrant deletes the pair's codes and tokens so that nothing racing
// with it survives, on any node: it first locks the pair's refresh tokens,
// waiting for refreshes in flight (they hold them FOR UPDATE); deleting the
// codes waits for redemptions in flight (they hold their code FOR UPDATE);
// only then are the tokens deleted, by a statement that sees what those
// committed. A refresh or redemption arriving later finds its refresh token
// or code gone. Neither waits on anything revoke holds, so they cannot
// deadlock with it; two revocations of one pair queue on an advisory lock.
func (db *DB) RevokeOAuthGrant(ctx context.Context, account, client int64) (int64, error) {
	var nt int64
	err := pgx.BeginFunc(ctx, db.pool, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock($1, hashtext($2))`,
			lockGrantRevoke, strconv.FormatInt(account, 10)+":"+strconv.FormatInt(client, 10)); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `SELECT 1 FROM oauth_tokens WHERE account_id = $1 AND client_id = $2 AND kind = 1
			ORDER BY hash FOR UPDATE`, account, client); err != nil {
			return err
		}
		codes, err := tx.Exec(ctx, `DELETE FROM oauth_codes WHERE account_id = $1 AND client_id = $2`, account, client)
		if err != nil {
			return err
		}
		toks, err := tx.Exec(ctx, `DELETE FROM oauth_tokens WHERE account_id = $1 AND client_id = $2`, account, client)
		if err != nil {
			return err
		}
		nt = toks.RowsAffected()
		if codes.RowsAffected()+nt == 0 {
			return wxads.ErrNotFound
		}
		return nil
	})
	return nt, err
}

func (db *DB) TouchOAuthToken(ctx context.Context, hash []byte, at int64) error {
	_, err := db.pool.Exec(ctx, `UPDATE oauth_tokens SET used_at = $2 WHERE hash = $1 AND used_at < $2`, hash, at)
	return err
}
