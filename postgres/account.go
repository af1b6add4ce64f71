package postgres

import (
	"context"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/wxads/wxads"
)

var _ wxads.AccountStore = (*DB)(nil)

func (db *DB) CreateAdvertiser(ctx context.Context, a *wxads.Advertiser) error {
	err := db.pool.QueryRow(ctx, `INSERT INTO advertisers (name, status, created_time) VALUES ($1, $2, $3) RETURNING id`,
		a.Name, a.Status, a.CreatedTime).Scan(&a.ID)
	return translate(err)
}

func (db *DB) Advertiser(ctx context.Context, id int64) (*wxads.Advertiser, error) {
	a := &wxads.Advertiser{ID: id}
	err := db.pool.QueryRow(ctx, `SELECT name, status, created_time FROM advertisers WHERE id = $1`, id).
		Scan(&a.Name, &a.Status, &a.CreatedTime)
	if err != nil {
		return nil, translate(err)
	}
	return a, nil
}

func (db *DB) SetAdvertiserStatus(ctx context.Context, id int64, status string) error {
	return db.execOne(ctx, `UPDATE advertisers SET status = $1 WHERE id = $2`, status, id)
}

func (db *DB) CreateApp(ctx context.Context, app *wxads.App) error {
	_, err := db.pool.Exec(ctx, `INSERT INTO apps (appid, account_id, name, secret_hash, ip_whitelist, created_time)
		VALUES ($1, $2, $3, $4, $5, $6)`,
		app.AppID, app.AccountID, app.Name, app.SecretHash, prefixStrings(app.IPWhitelist), app.CreatedTime)
	return translate(err)
}

func (db *DB) App(ctx context.Context, appid string) (*wxads.App, error) {
	app := &wxads.App{AppID: appid}
	var wl []string
	err := db.pool.QueryRow(ctx,
		`SELECT account_id, name, secret_hash, ip_whitelist, created_time FROM apps WHERE appid = $1`, appid).
		Scan(&app.AccountID, &app.Name, &app.SecretHash, &wl, &app.CreatedTime)
	if err != nil {
		return nil, translate(err)
	}
	if app.IPWhitelist, err = parsePrefixes(appid, wl); err != nil {
		return nil, err
	}
	return app, nil
}

func (db *DB) SetAppSecret(ctx context.Context, appid string, secretHash []byte) error {
	return db.execOne(ctx, `UPDATE apps SET secret_hash = $1 WHERE appid = $2`, secretHash, appid)
}

// ResetSecret replaces the secret and revokes every token of the app in one
// transaction, so no node sees the new secret with the old tokens alive.
func (db *DB) ResetSecret(ctx context.Context, appid string, secretHash []byte, now int64) error {
	return pgx.BeginFunc(ctx, db.pool, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `UPDATE apps SET secret_hash = $1 WHERE appid = $2`, secretHash, appid)
		if err != nil {
			return err
		}
		if tag.RowsAffected() == 0 {
			return wxads.ErrNotFound
		}
		return revokeTokens(ctx, tx, appid, now)
	})
}

func (db *DB) SetAppWhitelist(ctx context.Context, appid string, list []wxads.Prefix) error {
	return db.execOne(ctx, `UPDATE apps SET ip_whitelist = $1 WHERE appid = $2`, prefixStrings(list), appid)
}

func (db *DB) AddFollowers(ctx context.Context, appid string, openids []string, now int64) error {
	return addFollowers(ctx, db.pool, appid, openids, now)
}

// addFollowers inserts the openids in one statement; known ones are kept.
func addFollowers(ctx context.Context, q querier, appid string, openids []string, now int64) error {
	_, err := q.Exec(ctx, `INSERT INTO followers (appid, openid, created_time)
		SELECT $1, o, $3 FROM unnest($2::text[]) AS o ON CONFLICT DO NOTHING`, appid, openids, now)
	return err
}

func (db *DB) IsFollower(ctx context.Context, appid, openid string) (bool, error) {
	var ok bool
	err := db.pool.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM followers WHERE appid = $1 AND openid = $2)`,
		appid, openid).Scan(&ok)
	return ok, err
}

func prefixStrings(list []wxads.Prefix) []string {
	s := make([]string, len(list))
	for i, p := range list {
		s[i] = p.String()
	}
	return s
}

// querier is what a pool and a transaction share.
type querier interface {
	Exec(ctx context.Context, sql string, args ...any) (pgconn.CommandTag, error)
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
}
