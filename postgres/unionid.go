package postgres

import (
	"context"
	"errors"

	"github.com/jackc/pgx/v5"

	"github.com/wxads/wxads"
)

// Identification by wechat_unionid (SPEC §11): one statement per request
// over parallel arrays (appid, unionid), each probe a scan of the partial
// index followers_unionid (the literal `unionid <> ""` lets the planner
// use it).
const qFollowersByUnionID = `SELECT p.i, f.openid FROM unnest($1::text[], $2::text[]) WITH ORDINALITY AS p(a, u, i)
	JOIN followers f ON f.appid = p.a AND f.unionid = p.u AND f.unionid <> ''`

// AddFollowersWithUnionIDs records followers with their unionids in one
// transaction; a conflict (wxads.FollowerConflict) stores nothing.
func (db *DB) AddFollowersWithUnionIDs(ctx context.Context, appid string, followers []wxads.Follower, now int64) error {
	return pgx.BeginFunc(ctx, db.pool, func(tx pgx.Tx) error {
		for i, f := range followers {
			if _, err := tx.Exec(ctx, `INSERT INTO followers (appid, openid, created_time) VALUES ($1, $2, $3)
				ON CONFLICT DO NOTHING`, appid, f.OpenID, now); err != nil {
				return err
			}
			if f.UnionID == "" {
				continue
			}
			// Checked before writing so that the error names the holder;
			// the unique index is the guarantee (a concurrent call that
			// wins the race makes this one a conflict too).
			var kept string
			if err := tx.QueryRow(ctx, `SELECT unionid FROM followers WHERE appid = $1 AND openid = $2 FOR UPDATE`,
				appid, f.OpenID).Scan(&kept); err != nil {
				return err
			}
			if kept == f.UnionID {
				continue
			}
			if kept != "" {
				return &wxads.FollowerConflict{Index: i, OpenID: f.OpenID, UnionID: f.UnionID, Kept: kept}
			}
			var holder string
			err := tx.QueryRow(ctx, `SELECT openid FROM followers WHERE appid = $1 AND unionid = $2 AND unionid <> ''`,
				appid, f.UnionID).Scan(&holder)
			switch {
			case err == nil:
				return &wxads.FollowerConflict{Index: i, OpenID: f.OpenID, UnionID: f.UnionID, HeldBy: holder}
			case !errors.Is(err, pgx.ErrNoRows):
				return err
			}
			if _, err := tx.Exec(ctx, `UPDATE followers SET unionid = $1 WHERE appid = $2 AND openid = $3`,
				f.UnionID, appid, f.OpenID); err != nil {
				if err := translate(err); errors.Is(err, wxads.ErrConflict) {
					return &wxads.FollowerConflict{Index: i, OpenID: f.OpenID, UnionID: f.UnionID, HeldBy: "(another call)"}
				}
				return err
			}
		}
		return nil
	})
}

// byUnionID identifies the actions their openid did not and that carry a
// wechat_unionid of a follower of their app, an app of account.
func (db *DB) byUnionID(ctx context.Context, account int64, actions []wxads.Action) error {
	var apps, unionids []string
	var owners []int // the k-th probe is actions[owners[k]]'s
	for i := range actions {
		a := &actions[i]
		if a.Identified || a.AppID == "" {
			continue
		}
		u := a.UnionID()
		if u == "" {
			continue
		}
		if owner, _ := db.owners.Load(a.AppID); owner != account {
			continue
		}
		apps, unionids, owners = append(apps, a.AppID), append(unionids, u), append(owners, i)
	}
	if len(apps) == 0 {
		return nil
	}
	rows, err := db.pool.Query(ctx, qFollowersByUnionID, apps, unionids)
	if err != nil {
		return err
	}
	var k int64
	var openid string
	_, err = pgx.ForEachRow(rows, []any{&k, &openid}, func() error {
		a := &actions[owners[k-1]] // WITH ORDINALITY counts from 1
		a.Identified, a.FollowerOpenID = true, openid
		a.IdentifiedBy = wxads.UserID{Kind: wxads.KindUnionID, Value: unionids[k-1]}.String()
		return nil
	})
	return err
}
