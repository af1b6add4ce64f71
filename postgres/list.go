package postgres

import (
	"context"
	"fmt"
	"net/netip"
	"strconv"

	"github.com/jackc/pgx/v5"

	"github.com/wxads/wxads"
)

// listPage runs count for the total, then (unless limit is 0 or offset is
// past the end) list with limit and offset appended to args.
func listPage[T any](ctx context.Context, db *DB, count, list string, args []any, offset, limit int,
	scan func(pgx.CollectableRow) (T, error)) ([]T, int, error) {
	var total int
	if err := db.pool.QueryRow(ctx, count, args...).Scan(&total); err != nil {
		return nil, 0, err
	}
	if limit == 0 || offset >= total {
		return nil, total, nil
	}
	n := len(args)
	rows, err := db.pool.Query(ctx, list+` LIMIT $`+strconv.Itoa(n+1)+` OFFSET $`+strconv.Itoa(n+2),
		append(args, limit, offset)...)
	if err != nil {
		return nil, 0, err
	}
	out, err := pgx.CollectRows(rows, scan)
	return out, total, err
}

func (db *DB) ListAdvertisers(ctx context.Context, offset, limit int) ([]wxads.Advertiser, int, error) {
	return listPage(ctx, db, `SELECT COUNT(*) FROM advertisers`,
		`SELECT id, name, status, created_time FROM advertisers ORDER BY id`, nil, offset, limit,
		func(row pgx.CollectableRow) (wxads.Advertiser, error) {
			var a wxads.Advertiser
			err := row.Scan(&a.ID, &a.Name, &a.Status, &a.CreatedTime)
			return a, err
		})
}

// ListApps never reads the secret hash: SecretHash stays nil.
func (db *DB) ListApps(ctx context.Context, accountID int64, offset, limit int) ([]wxads.App, int, error) {
	where, args := ``, []any(nil)
	if accountID != 0 {
		where, args = ` WHERE account_id = $1`, []any{accountID}
	}
	return listPage(ctx, db, `SELECT COUNT(*) FROM apps`+where,
		`SELECT appid, account_id, name, ip_whitelist, created_time FROM apps`+where+` ORDER BY created_time, appid`,
		args, offset, limit, func(row pgx.CollectableRow) (wxads.App, error) {
			var app wxads.App
			var wl []string
			if err := row.Scan(&app.AppID, &app.AccountID, &app.Name, &wl, &app.CreatedTime); err != nil {
				return app, err
			}
			var err error
			app.IPWhitelist, err = parsePrefixes(app.AppID, wl)
			return app, err
		})
}

func (db *DB) ListFollowers(ctx context.Context, appid string, offset, limit int) ([]wxads.Follower, int, error) {
	return listPage(ctx, db, `SELECT COUNT(*) FROM followers WHERE appid = $1`,
		`SELECT openid, unionid, created_time FROM followers WHERE appid = $1 ORDER BY openid`, []any{appid}, offset, limit,
		func(row pgx.CollectableRow) (wxads.Follower, error) {
			var f wxads.Follower
			err := row.Scan(&f.OpenID, &f.UnionID, &f.CreatedTime)
			return f, err
		})
}

// ListAdEvents pages one app's events in the order they were stored.
func (db *DB) ListAdEvents(ctx context.Context, appid string, offset, limit int) ([]wxads.AdEvent, int, error) {
	return listPage(ctx, db, `SELECT COUNT(*) FROM ad_events WHERE appid = $1`,
		`SELECT type, appid, openid, ad_id, campaign_id, click_id, time, user_ids FROM ad_events WHERE appid = $1 ORDER BY id`,
		[]any{appid}, offset, limit, func(row pgx.CollectableRow) (wxads.AdEvent, error) {
			var e wxads.AdEvent
			var ids string
			if err := row.Scan(&e.Type, &e.AppID, &e.OpenID, &e.AdID, &e.CampaignID, &e.ClickID, &e.Time, &ids); err != nil {
				return e, err
			}
			var err error
			e.UserIDs, err = wxads.DecodeUserIDs(ids)
			return e, err
		})
}

func parsePrefixes(appid string, list []string) ([]wxads.Prefix, error) {
	out := make([]wxads.Prefix, len(list))
	for i, s := range list {
		var err error
		if out[i], err = netip.ParsePrefix(s); err != nil {
			return nil, fmt.Errorf("postgres: app %s whitelist: %w", appid, err)
		}
	}
	return out, nil
}
