package postgres

import (
	"bytes"
	"context"
	"errors"

	"github.com/jackc/pgx/v5"

	"github.com/wxads/wxads"
)

var _ wxads.TokenStore = (*DB)(nil)

const (
	quotaIssue = 0 // /cgi-bin/token issues
	quotaForce = 1 // forced stable refreshes
)

// Issue counts the day's quota, supersedes the current token and stores the
// new one in one transaction, holding the app's token lock: two nodes
// issuing for one app at once run one after the other, so the quota is
// exact and only one token is current.
func (db *DB) Issue(ctx context.Context, it wxads.IssueToken) error {
	return pgx.BeginFunc(ctx, db.pool, func(tx pgx.Tx) error {
		t := it.Token
		if err := lock(ctx, tx, lockToken, t.AppID); err != nil {
			return err
		}
		if err := checkSecret(ctx, tx, t.AppID, it.SecretHash); err != nil {
			return err
		}
		n, _, err := quota(ctx, tx, t.AppID, quotaIssue, it.Day)
		if err != nil {
			return err
		}
		if n >= it.Limit {
			return wxads.ErrQuota
		}
		if err := bumpQuota(ctx, tx, t.AppID, quotaIssue, it.Day, t.IssuedAt); err != nil {
			return err
		}
		return insertToken(ctx, tx, &t)
	})
}

// insertToken supersedes the app's current token of t's kind and stores t.
func insertToken(ctx context.Context, tx pgx.Tx, t *wxads.Token) error {
	if _, err := tx.Exec(ctx,
		`UPDATE tokens SET superseded_at = $1 WHERE appid = $2 AND kind = $3 AND superseded_at = 0`,
		t.IssuedAt, t.AppID, t.Kind); err != nil {
		return err
	}
	_, err := tx.Exec(ctx,
		`INSERT INTO tokens (hash, appid, kind, generation, issued_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6)`,
		t.Hash, t.AppID, t.Kind, t.Generation, t.IssuedAt, t.ExpiresAt)
	return translate(err)
}

// checkSecret makes an issue conditional on the secret the caller verified.
// It runs under the app's token lock, which ResetSecret's revocation also
// takes: a reset committed before it is seen here (nothing is issued), and
// one still running revokes what this issue stores once it gets the lock.
func checkSecret(ctx context.Context, tx pgx.Tx, appid string, want []byte) error {
	if want == nil {
		return nil
	}
	var got []byte
	err := tx.QueryRow(ctx, `SELECT secret_hash FROM apps WHERE appid = $1`, appid).Scan(&got)
	if errors.Is(err, pgx.ErrNoRows) || err == nil && !bytes.Equal(got, want) {
		return wxads.ErrSecretChanged
	}
	return err
}

func quota(ctx context.Context, tx pgx.Tx, appid string, kind int, day string) (count int, lastAt int64, err error) {
	err = tx.QueryRow(ctx, `SELECT count, last_at FROM token_quota WHERE appid = $1 AND kind = $2 AND day = $3`,
		appid, kind, day).Scan(&count, &lastAt)
	if errors.Is(err, pgx.ErrNoRows) {
		return 0, 0, nil
	}
	return count, lastAt, err
}

func bumpQuota(ctx context.Context, tx pgx.Tx, appid string, kind int, day string, now int64) error {
	_, err := tx.Exec(ctx, `INSERT INTO token_quota (appid, kind, day, count, last_at) VALUES ($1, $2, $3, 1, $4)
		ON CONFLICT (appid, kind, day) DO UPDATE SET count = token_quota.count + 1, last_at = excluded.last_at`,
		appid, kind, day, now)
	return err
}

// Stable hands out the app's current stable token or derives the next
// generation, under the same per-app lock as Issue.
func (db *DB) Stable(ctx context.Context, req wxads.StableIssue) (*wxads.Token, error) {
	var out *wxads.Token
	err := pgx.BeginFunc(ctx, db.pool, func(tx pgx.Tx) error {
		if err := lock(ctx, tx, lockToken, req.AppID); err != nil {
			return err
		}
		if err := checkSecret(ctx, tx, req.AppID, req.SecretHash); err != nil {
			return err
		}
		cur := &wxads.Token{AppID: req.AppID, Kind: wxads.TokenStable}
		err := tx.QueryRow(ctx, `SELECT hash, generation, issued_at, expires_at FROM tokens
			WHERE appid = $1 AND kind = $2 AND superseded_at = 0`, req.AppID, wxads.TokenStable).
			Scan(&cur.Hash, &cur.Generation, &cur.IssuedAt, &cur.ExpiresAt)
		switch {
		case errors.Is(err, pgx.ErrNoRows):
			cur = nil
		case err != nil:
			return err
		}
		// The current token is handed out again only if this node's key
		// derives it: after a server key change nobody could use it.
		if !req.Force && cur != nil && cur.ExpiresAt-req.Now >= wxads.StableMinLeft &&
			bytes.Equal(req.NewHash(cur.Generation), cur.Hash) {
			out = cur
			return nil
		}
		if req.Force {
			if err := forceAllowed(ctx, tx, req); err != nil {
				return err
			}
		}
		var gen int64
		if err := tx.QueryRow(ctx, `SELECT COALESCE(MAX(generation), 0) + 1 FROM tokens WHERE appid = $1 AND kind = $2`,
			req.AppID, wxads.TokenStable).Scan(&gen); err != nil {
			return err
		}
		t := &wxads.Token{
			Hash: req.NewHash(gen), AppID: req.AppID, Kind: wxads.TokenStable, Generation: gen,
			IssuedAt: req.Now, ExpiresAt: req.Now + wxads.TokenTTL,
		}
		if err := insertToken(ctx, tx, t); err != nil {
			return err
		}
		out = t
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// forceAllowed counts a forced refresh: at most ForceDailyLimit a day,
// ForceMinInterval apart. The interval spans days, so it looks at the
// latest forced refresh of any day.
func forceAllowed(ctx context.Context, tx pgx.Tx, req wxads.StableIssue) error {
	var lastAt int64
	if err := tx.QueryRow(ctx, `SELECT COALESCE(MAX(last_at), 0) FROM token_quota WHERE appid = $1 AND kind = $2`,
		req.AppID, quotaForce).Scan(&lastAt); err != nil {
		return err
	}
	n, _, err := quota(ctx, tx, req.AppID, quotaForce, req.Day)
	if err != nil {
		return err
	}
	if n >= wxads.ForceDailyLimit {
		return wxads.ErrQuota
	}
	if lastAt != 0 && req.Now-lastAt < wxads.ForceMinInterval {
		return wxads.ErrTooFrequent
	}
	return bumpQuota(ctx, tx, req.AppID, quotaForce, req.Day, req.Now)
}

func (db *DB) Lookup(ctx context.Context, hash []byte) (*wxads.Token, error) {
	t := &wxads.Token{Hash: hash}
	err := db.pool.QueryRow(ctx, `SELECT appid, kind, generation, issued_at, expires_at, superseded_at, revoked_at
		FROM tokens WHERE hash = $1`, hash).
		Scan(&t.AppID, &t.Kind, &t.Generation, &t.IssuedAt, &t.ExpiresAt, &t.SupersededAt, &t.RevokedAt)
	if err != nil {
		return nil, translate(err)
	}
	return t, nil
}

// RevokeTokens ends every token of appid in one statement, under the app's
// token lock so no issue on another node slips a live token in between.
// Revoked tokens are no longer current either, so the next Stable issues a
// generation above every earlier one.
func (db *DB) RevokeTokens(ctx context.Context, appid string, now int64) error {
	return pgx.BeginFunc(ctx, db.pool, func(tx pgx.Tx) error { return revokeTokens(ctx, tx, appid, now) })
}

func revokeTokens(ctx context.Context, tx pgx.Tx, appid string, now int64) error {
	if err := lock(ctx, tx, lockToken, appid); err != nil {
		return err
	}
	_, err := tx.Exec(ctx, `UPDATE tokens SET revoked_at = $1,
		superseded_at = CASE WHEN superseded_at = 0 THEN $1 ELSE superseded_at END
		WHERE appid = $2 AND revoked_at = 0`, now, appid)
	return err
}
