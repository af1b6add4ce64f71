package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"

	"github.com/wxads/wxads"
)

// Identification by wechat_unionid (SPEC §11): a v3.0 action whose
// (wechat_app_id, wechat_unionid) is a follower of an app of the caller's
// advertiser is that follower. One statement per request over a JSON list
// of probes {a: appid, k: unionid}, each a SEARCH of followers_unionid
// (the partial index on unionid <> ""): the values are in the list, never
// bound parameters, so the statement is not re-planned per binding
// (reprepare_test.go), and the literal `unionid <> ""` lets the planner use
// the partial index.
const qFollowersByUnionID = `SELECT j.key, f.openid FROM json_each(?) AS j
	JOIN followers AS f ON f.appid = j.value ->> 'a' AND f.unionid = j.value ->> 'k' AND f.unionid <> ''`

// AddFollowersWithUnionIDs records followers with their unionids in one
// transaction; a conflict (wxads.FollowerConflict) stores nothing.
func (db *DB) AddFollowersWithUnionIDs(ctx context.Context, appid string, followers []wxads.Follower, now int64) error {
	tx, err := db.write.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	for i, f := range followers {
		if _, err := tx.ExecContext(ctx,
			`INSERT OR IGNORE INTO followers (appid, openid, created_time) VALUES (?, ?, ?)`, appid, f.OpenID, now); err != nil {
			return err
		}
		if f.UnionID == "" {
			continue
		}
		// Checked before writing so that the error names the holder; the
		// unique index is the guarantee.
		var kept string
		if err := tx.QueryRowContext(ctx, `SELECT unionid FROM followers WHERE appid = ? AND openid = ?`,
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
		err := tx.QueryRowContext(ctx, `SELECT openid FROM followers WHERE appid = ? AND unionid = ? AND unionid <> ''`,
			appid, f.UnionID).Scan(&holder)
		switch {
		case err == nil:
			return &wxads.FollowerConflict{Index: i, OpenID: f.OpenID, UnionID: f.UnionID, HeldBy: holder}
		case !errors.Is(err, sql.ErrNoRows):
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE followers SET unionid = ? WHERE appid = ? AND openid = ?`,
			f.UnionID, appid, f.OpenID); err != nil {
			return translate(err)
		}
	}
	defer db.lookups.changed() // after the commit, even a failed one (harmless)
	return tx.Commit()
}

// byUnionID identifies the actions among as that their openid did not and
// that carry a wechat_unionid of a follower of their app, an app of the
// advertiser. It does not use the follower cache (lookupcache.go): only
// actions their openid did not identify get here, and the look-up is one
// statement for all of them.
func (id *identifier) byUnionID(as []*wxads.Action) error {
	var probes []probe
	var owners []int // probes[i] is the unionid of as[owners[i]]
	for i, a := range as {
		if a.Identified || a.AppID == "" {
			continue
		}
		u := a.UnionID()
		if u == "" {
			continue
		}
		if owner, err := id.owner(a.AppID); err != nil {
			return err
		} else if owner != id.account {
			continue
		}
		probes = append(probes, probe{AppID: a.AppID, Key: u})
		owners = append(owners, i)
	}
	if len(probes) == 0 {
		return nil
	}
	list, err := json.Marshal(probes)
	if err != nil {
		return err
	}
	rows, err := id.db.readStmts[qFollowersByUnionID].QueryContext(id.ctx, string(list))
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var k int
		var openid string
		if err := rows.Scan(&k, &openid); err != nil {
			return err
		}
		a := as[owners[k]]
		a.Identified, a.FollowerOpenID = true, openid
		a.IdentifiedBy = wxads.UserID{Kind: wxads.KindUnionID, Value: probes[k].Key}.String()
	}
	return rows.Err()
}
