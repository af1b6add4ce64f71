package sqlite

import (
	"context"
	"database/sql"

	"github.com/wxads/wxads"
)

var _ wxads.AdEventStore = (*DB)(nil)

// AddAdEvents stores events in one transaction; a FOLLOW makes its openid a
// follower of the app. Each event names its app's advertiser, and each of
// its device ids gets an ad_event_ids row for the v3.0 look-ups.
func (db *DB) AddAdEvents(ctx context.Context, events []wxads.AdEvent, now int64) error {
	tx, err := db.write.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	st, err := tx.PrepareContext(ctx, `INSERT INTO ad_events (type, appid, openid, ad_id, campaign_id, click_id, time,
		account_id, user_ids) VALUES (?, ?, ?, ?, ?, ?, ?, COALESCE((SELECT account_id FROM apps WHERE appid = ?), 0), ?)`)
	if err != nil {
		return err
	}
	defer st.Close()
	ids, err := tx.PrepareContext(ctx, `INSERT OR IGNORE INTO ad_event_ids (account_id, kind, value, type, time, event_id)
		SELECT account_id, ?, ?, type, time, id FROM ad_events WHERE id = ?`)
	if err != nil {
		return err
	}
	defer ids.Close()
	for _, e := range events {
		res, err := st.ExecContext(ctx, e.Type, e.AppID, e.OpenID, e.AdID, e.CampaignID, e.ClickID, e.Time, e.AppID,
			wxads.EncodeUserIDs(e.UserIDs))
		if err != nil {
			return err
		}
		if len(e.UserIDs) > 0 {
			id, err := res.LastInsertId()
			if err != nil {
				return err
			}
			for _, u := range e.UserIDs {
				if _, err := ids.ExecContext(ctx, u.Kind, u.Value, id); err != nil {
					return err
				}
			}
		}
		if e.Type == wxads.EventFollow && e.OpenID != "" {
			if err := addFollowers(ctx, tx, e.AppID, []string{e.OpenID}, now); err != nil {
				return err
			}
		}
	}
	defer db.lookups.changed() // new events and followers: cached "no" answers are stale (lookupcache.go)
	return tx.Commit()
}

// AdReport sums attributed conversions per period, ad, campaign and action type.
func (db *DB) AdReport(ctx context.Context, q wxads.AdReportQuery) ([]wxads.AdReportRow, error) {
	period := "period"
	if q.Granularity == wxads.Daily {
		// GMT+8 midnight of the hour: shift to GMT+8, floor to the day, shift back.
		period = "((period + 28800) / 86400) * 86400 - 28800"
	}
	rows, err := db.read.QueryContext(ctx, `SELECT `+period+` AS p, ad_id, campaign_id, action_type,
		SUM(conversions), SUM(value >> 10), SUM(value & 1023) FROM ad_rollup
		WHERE account_id = ? AND period >= ? AND period < ?
		GROUP BY p, ad_id, campaign_id, action_type ORDER BY p, ad_id, campaign_id, action_type`,
		q.AccountID, q.Start, q.End+86400)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var list []wxads.AdReportRow
	for rows.Next() {
		var r wxads.AdReportRow
		var hi, lo int64
		if err := rows.Scan(&r.Period, &r.AdID, &r.CampaignID, &r.ActionType, &r.Conversions, &hi, &lo); err != nil {
			return nil, err
		}
		r.Value = joinSum(hi, lo)
		list = append(list, r)
	}
	return list, rows.Err()
}

// ListAdEvents pages one app's events in the order they were stored.
func (db *DB) ListAdEvents(ctx context.Context, appid string, offset, limit int) ([]wxads.AdEvent, int, error) {
	var list []wxads.AdEvent
	total, err := db.listPage(ctx, `SELECT COUNT(*) FROM ad_events WHERE appid = ?`,
		`SELECT type, appid, openid, ad_id, campaign_id, click_id, time, user_ids FROM ad_events WHERE appid = ? ORDER BY id`,
		[]any{appid}, offset, limit, func(rows *sql.Rows) error {
			var e wxads.AdEvent
			var ids string
			if err := rows.Scan(&e.Type, &e.AppID, &e.OpenID, &e.AdID, &e.CampaignID, &e.ClickID, &e.Time, &ids); err != nil {
				return err
			}
			var err error
			if e.UserIDs, err = wxads.DecodeUserIDs(ids); err != nil {
				return err
			}
			list = append(list, e)
			return nil
		})
	return list, total, err
}
