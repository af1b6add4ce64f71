package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"net/netip"

	"github.com/wxads/wxads"
)

var _ wxads.AccountStore = (*DB)(nil)

func (db *DB) CreateAdvertiser(ctx context.Context, a *wxads.Advertiser) error {
	res, err := db.write.ExecContext(ctx,
		`INSERT INTO advertisers (name, status, created_time) VALUES (?, ?, ?)`, a.Name, a.Status, a.CreatedTime)
	if err != nil {
		return translate(err)
	}
	a.ID, err = res.LastInsertId()
	return err
}

func (db *DB) Advertiser(ctx context.Context, id int64) (*wxads.Advertiser, error) {
	a := &wxads.Advertiser{ID: id}
	err := db.read.QueryRowContext(ctx, `SELECT name, status, created_time FROM advertisers WHERE id = ?`, id).
		Scan(&a.Name, &a.Status, &a.CreatedTime)
	if err != nil {
		return nil, translate(err)
	}
	return a, nil
}

func (db *DB) SetAdvertiserStatus(ctx context.Context, id int64, status string) error {
	return db.execOne(ctx, `UPDATE advertisers SET status = ? WHERE id = ?`, status, id)
}

func (db *DB) CreateApp(ctx context.Context, app *wxads.App) error {
	wl, err := encodeWhitelist(app.IPWhitelist)
	if err != nil {
		return err
	}
	_, err = db.write.ExecContext(ctx,
		`INSERT INTO apps (appid, account_id, name, secret_hash, ip_whitelist, created_time) VALUES (?, ?, ?, ?, ?, ?)`,
		app.AppID, app.AccountID, app.Name, app.SecretHash, wl, app.CreatedTime)
	return translate(err)
}

func (db *DB) App(ctx context.Context, appid string) (*wxads.App, error) {
	app := &wxads.App{AppID: appid}
	var wl string
	err := db.read.QueryRowContext(ctx,
		`SELECT account_id, name, secret_hash, ip_whitelist, created_time FROM apps WHERE appid = ?`, appid).
		Scan(&app.AccountID, &app.Name, &app.SecretHash, &wl, &app.CreatedTime)
	if err != nil {
		return nil, translate(err)
	}
	if app.IPWhitelist, err = decodeWhitelist(wl); err != nil {
		return nil, fmt.Errorf("sqlite: app %s whitelist: %w", appid, err)
	}
	return app, nil
}

func (db *DB) SetAppSecret(ctx context.Context, appid string, secretHash []byte) error {
	return db.execOne(ctx, `UPDATE apps SET secret_hash = ? WHERE appid = ?`, secretHash, appid)
}

func (db *DB) SetAppWhitelist(ctx context.Context, appid string, list []wxads.Prefix) error {
	wl, err := encodeWhitelist(list)
	if err != nil {
		return err
	}
	return db.execOne(ctx, `UPDATE apps SET ip_whitelist = ? WHERE appid = ?`, wl, appid)
}

func (db *DB) AddFollowers(ctx context.Context, appid string, openids []string, now int64) error {
	tx, err := db.write.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if err := addFollowers(ctx, tx, appid, openids, now); err != nil {
		return err
	}
	return tx.Commit()
}

func addFollowers(ctx context.Context, tx execer, appid string, openids []string, now int64) error {
	for _, o := range openids {
		if _, err := tx.ExecContext(ctx,
			`INSERT OR IGNORE INTO followers (appid, openid, created_time) VALUES (?, ?, ?)`, appid, o, now); err != nil {
			return err
		}
	}
	return nil
}

func (db *DB) IsFollower(ctx context.Context, appid, openid string) (bool, error) {
	var n int
	err := db.read.QueryRowContext(ctx, `SELECT COUNT(*) FROM followers WHERE appid = ? AND openid = ?`, appid, openid).Scan(&n)
	return n > 0, err
}

// execOne runs a single-row update; ErrNotFound when no row matched.
func (db *DB) execOne(ctx context.Context, query string, args ...any) error {
	res, err := db.write.ExecContext(ctx, query, args...)
	if err != nil {
		return translate(err)
	}
	if n, err := res.RowsAffected(); err != nil {
		return err
	} else if n == 0 {
		return wxads.ErrNotFound
	}
	return nil
}

func encodeWhitelist(list []wxads.Prefix) (string, error) {
	s := make([]string, len(list))
	for i, p := range list {
		s[i] = p.String()
	}
	b, err := json.Marshal(s)
	return string(b), err
}

func decodeWhitelist(text string) ([]wxads.Prefix, error) {
	var s []string
	if err := json.Unmarshal([]byte(text), &s); err != nil {
		return nil, err
	}
	list := make([]wxads.Prefix, len(s))
	for i, v := range s {
		p, err := netip.ParsePrefix(v)
		if err != nil {
			return nil, err
		}
		list[i] = p
	}
	return list, nil
}

type execer interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
}
