package sqlite

import (
	"bytes"
	"context"
	"database/sql"
	"errors"

	"github.com/wxads/wxads"
)

var _ wxads.TokenStore = (*DB)(nil)

const (
	quotaIssue = 0 // /cgi-bin/token issues
	quotaForce = 1 // forced stable refreshes
)

func (db *DB) Issue(ctx context.Context, it wxads.IssueToken) error {
	tx, err := db.write.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	t := it.Token
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
	if err := insertToken(ctx, tx, &t); err != nil {
		return err
	}
	return tx.Commit()
}

// insertToken supersedes the app's current token of t's kind and stores t.
func insertToken(ctx context.Context, tx *sql.Tx, t *wxads.Token) error {
	if _, err := tx.ExecContext(ctx,
		`UPDATE tokens SET superseded_at = ? WHERE appid = ? AND kind = ? AND superseded_at = 0`,
		t.IssuedAt, t.AppID, t.Kind); err != nil {
		return err
	}
	_, err := tx.ExecContext(ctx,
		`INSERT INTO tokens (hash, appid, kind, generation, issued_at, expires_at) VALUES (?, ?, ?, ?, ?, ?)`,
		t.Hash, t.AppID, t.Kind, t.Generation, t.IssuedAt, t.ExpiresAt)
	return translate(err)
}

// checkSecret makes an issue conditional on the secret the caller verified,
// inside the issuing transaction: a reset_secret committed in between (it
// revoked every token) must not be followed by a token for the old secret.
func checkSecret(ctx context.Context, tx *sql.Tx, appid string, want []byte) error {
	if want == nil {
		return nil
	}
	var got []byte
	err := tx.QueryRowContext(ctx, `SELECT secret_hash FROM apps WHERE appid = ?`, appid).Scan(&got)
	if errors.Is(err, sql.ErrNoRows) || err == nil && !bytes.Equal(got, want) {
		return wxads.ErrSecretChanged
	}
	return err
}

func quota(ctx context.Context, tx *sql.Tx, appid string, kind int, day string) (count int, lastAt int64, err error) {
	err = tx.QueryRowContext(ctx, `SELECT count, last_at FROM token_quota WHERE appid = ? AND kind = ? AND day = ?`,
		appid, kind, day).Scan(&count, &lastAt)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, 0, nil
	}
	return count, lastAt, err
}

func bumpQuota(ctx context.Context, tx *sql.Tx, appid string, kind int, day string, now int64) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO token_quota (appid, kind, day, count, last_at) VALUES (?, ?, ?, 1, ?)
		ON CONFLICT (appid, kind, day) DO UPDATE SET count = count + 1, last_at = excluded.last_at`,
		appid, kind, day, now)
	return err
}

func (db *DB) Stable(ctx context.Context, req wxads.StableIssue) (*wxads.Token, error) {
	tx, err := db.write.BeginTx(ctx, nil)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	if err := checkSecret(ctx, tx, req.AppID, req.SecretHash); err != nil {
		return nil, err
	}
	cur := &wxads.Token{AppID: req.AppID, Kind: wxads.TokenStable}
	err = tx.QueryRowContext(ctx, `SELECT hash, generation, issued_at, expires_at FROM tokens
		WHERE appid = ? AND kind = ? AND superseded_at = 0`, req.AppID, wxads.TokenStable).
		Scan(&cur.Hash, &cur.Generation, &cur.IssuedAt, &cur.ExpiresAt)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		cur = nil
	case err != nil:
		return nil, err
	}
	// The current token is handed out again only if this node's key derives
	// it: after a server key change it would be a token nobody can use.
	if !req.Force && cur != nil && cur.ExpiresAt-req.Now >= wxads.StableMinLeft &&
		bytes.Equal(req.NewHash(cur.Generation), cur.Hash) {
		return cur, nil
	}
	if req.Force {
		// Forced refreshes: at most ForceDailyLimit a day, ForceMinInterval apart.
		// The interval spans days, so look at the latest forced refresh of any day.
		var lastAt int64
		err := tx.QueryRowContext(ctx, `SELECT COALESCE(MAX(last_at), 0) FROM token_quota WHERE appid = ? AND kind = ?`,
			req.AppID, quotaForce).Scan(&lastAt)
		if err != nil {
			return nil, err
		}
		n, _, err := quota(ctx, tx, req.AppID, quotaForce, req.Day)
		if err != nil {
			return nil, err
		}
		if n >= wxads.ForceDailyLimit {
			return nil, wxads.ErrQuota
		}
		if lastAt != 0 && req.Now-lastAt < wxads.ForceMinInterval {
			return nil, wxads.ErrTooFrequent
		}
		if err := bumpQuota(ctx, tx, req.AppID, quotaForce, req.Day, req.Now); err != nil {
			return nil, err
		}
	}
	var gen int64 = 1
	if err := tx.QueryRowContext(ctx, `SELECT COALESCE(MAX(generation), 0) + 1 FROM tokens WHERE appid = ? AND kind = ?`,
		req.AppID, wxads.TokenStable).Scan(&gen); err != nil {
		return nil, err
	}
	t := &wxads.Token{
		Hash: req.NewHash(gen), AppID: req.AppID, Kind: wxads.TokenStable, Generation: gen,
		IssuedAt: req.Now, ExpiresAt: req.Now + wxads.TokenTTL,
	}
	if err := insertToken(ctx, tx, t); err != nil {
		return nil, err
	}
	return t, tx.Commit()
}

func (db *DB) Lookup(ctx context.Context, hash []byte) (*wxads.Token, error) {
	t := &wxads.Token{Hash: hash}
	err := db.read.QueryRowContext(ctx, `SELECT appid, kind, generation, issued_at, expires_at, superseded_at, revoked_at
		FROM tokens WHERE hash = ?`, hash).
		Scan(&t.AppID, &t.Kind, &t.Generation, &t.IssuedAt, &t.ExpiresAt, &t.SupersededAt, &t.RevokedAt)
	if err != nil {
		return nil, translate(err)
	}
	return t, nil
}

// RevokeTokens ends every token of appid in one statement. Revoked tokens
// are no longer current either, so the next Stable issues a new generation
// (MAX(generation) + 1 over the rows kept here): the old holder's token is
// never derived again.
func (db *DB) RevokeTokens(ctx context.Context, appid string, now int64) error {
	return revokeTokens(ctx, db.write, appid, now)
}

func revokeTokens(ctx context.Context, tx execer, appid string, now int64) error {
	_, err := tx.ExecContext(ctx, `UPDATE tokens SET revoked_at = ?,
		superseded_at = CASE WHEN superseded_at = 0 THEN ? ELSE superseded_at END
		WHERE appid = ? AND revoked_at = 0`, now, now, appid)
	return err
}
