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
	return execOne(ctx, db.write, `UPDATE advertisers SET status = ? WHERE id = ?`, status, id)
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
	return execOne(ctx, db.write, `UPDATE apps SET secret_hash = ? WHERE appid = ?`, secretHash, appid)
}

// ResetSecret replaces the secret and revokes every token of the app in one
// transaction, so no node sees the new secret with the old tokens alive.
func (db *DB) ResetSecret(ctx context.Context, appid string, secretHash []byte, now int64) error {
	tx, err := db.write.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if err := execOne(ctx, tx, `UPDATE apps SET secret_hash = ? WHERE appid = ?`, secretHash, appid); err != nil {
		return err
	}
	if err := revokeTokens(ctx, tx, appid, now); err != nil {
		return err
	}
	return tx.Commit()
}

func (db *DB) SetAppWhitelist(ctx context.Context, appid string, list []wxads.Prefix) error {
	wl, err := encodeWhitelist(list)
	if err != nil {
		return err
	}
	return execOne(ctx, db.write, `UPDATE apps SET ip_whitelist = ? WHERE appid = ?`, wl, appid)
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
	defer db.lookups.changed() // after the commit, even a failed one (harmless)
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
func execOne(ctx context.Context, tx execer, query string, args ...any) error {
	res, err := tx.ExecContext(ctx, query, args...)
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

// listPage runs count for the total, then (unless limit is 0) list with
// limit and offset appended to args, calling scan for each row.
func (db *DB) listPage(ctx context.Context, count, list string, args []any, offset, limit int,
	scan func(*sql.Rows) error) (int, error) {
	var total int
	if err := db.read.QueryRowContext(ctx, count, args...).Scan(&total); err != nil {
		return 0, err
	}
	if limit == 0 || offset >= total {
		return total, nil
	}
	rows, err := db.read.QueryContext(ctx, list+` LIMIT ? OFFSET ?`, append(args, limit, offset)...)
	if err != nil {
		return 0, err
	}
	defer rows.Close()
	for rows.Next() {
		if err := scan(rows); err != nil {
			return 0, err
		}
	}
	return total, rows.Err()
}

func (db *DB) ListAdvertisers(ctx context.Context, offset, limit int) ([]wxads.Advertiser, int, error) {
	var list []wxads.Advertiser
	total, err := db.listPage(ctx, `SELECT COUNT(*) FROM advertisers`,
		`SELECT id, name, status, created_time FROM advertisers ORDER BY id`, nil, offset, limit,
		func(rows *sql.Rows) error {
			var a wxads.Advertiser
			if err := rows.Scan(&a.ID, &a.Name, &a.Status, &a.CreatedTime); err != nil {
				return err
			}
			list = append(list, a)
			return nil
		})
	return list, total, err
}

// ListApps never reads the secret hash: SecretHash stays nil.
func (db *DB) ListApps(ctx context.Context, accountID int64, offset, limit int) ([]wxads.App, int, error) {
	where, args := ``, []any(nil)
	if accountID != 0 {
		where, args = ` WHERE account_id = ?`, []any{accountID}
	}
	var list []wxads.App
	total, err := db.listPage(ctx, `SELECT COUNT(*) FROM apps`+where,
		`SELECT appid, account_id, name, ip_whitelist, created_time FROM apps`+where+` ORDER BY created_time, appid`,
		args, offset, limit, func(rows *sql.Rows) error {
			var app wxads.App
			var wl string
			if err := rows.Scan(&app.AppID, &app.AccountID, &app.Name, &wl, &app.CreatedTime); err != nil {
				return err
			}
			var err error
			if app.IPWhitelist, err = decodeWhitelist(wl); err != nil {
				return fmt.Errorf("sqlite: app %s whitelist: %w", app.AppID, err)
			}
			list = append(list, app)
			return nil
		})
	return list, total, err
}

func (db *DB) ListFollowers(ctx context.Context, appid string, offset, limit int) ([]wxads.Follower, int, error) {
	var list []wxads.Follower
	total, err := db.listPage(ctx, `SELECT COUNT(*) FROM followers WHERE appid = ?`,
		`SELECT openid, unionid, created_time FROM followers WHERE appid = ? ORDER BY openid`, []any{appid}, offset, limit,
		func(rows *sql.Rows) error {
			var f wxads.Follower
			if err := rows.Scan(&f.OpenID, &f.UnionID, &f.CreatedTime); err != nil {
				return err
			}
			list = append(list, f)
			return nil
		})
	return list, total, err
}
