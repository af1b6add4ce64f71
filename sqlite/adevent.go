package sqlite

import (
	"context"
	"database/sql"

	"github.com/wxads/wxads"
)

var _ wxads.AdEventStore = (*DB)(nil)

// AddAdEvents stores events in one transaction; a FOLLOW makes its openid a
// follower of the app.
func (db *DB) AddAdEvents(ctx context.Context, events []wxads.AdEvent, now int64) error {
	tx, err := db.write.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	st, err := tx.PrepareContext(ctx, `INSERT INTO ad_events (type, appid, openid, ad_id, campaign_id, click_id, time)
		VALUES (?, ?, ?, ?, ?, ?, ?)`)
	if err != nil {
		return err
	}
	defer st.Close()
	for _, e := range events {
		if _, err := st.ExecContext(ctx, e.Type, e.AppID, e.OpenID, e.AdID, e.CampaignID, e.ClickID, e.Time); err != nil {
			return err
		}
		if e.Type == wxads.EventFollow {
			if err := addFollowers(ctx, tx, e.AppID, []string{e.OpenID}, now); err != nil {
				return err
			}
		}
	}
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
		`SELECT type, appid, openid, ad_id, campaign_id, click_id, time FROM ad_events WHERE appid = ? ORDER BY id`,
		[]any{appid}, offset, limit, func(rows *sql.Rows) error {
			var e wxads.AdEvent
			if err := rows.Scan(&e.Type, &e.AppID, &e.OpenID, &e.AdID, &e.CampaignID, &e.ClickID, &e.Time); err != nil {
				return err
			}
			list = append(list, e)
			return nil
		})
	return list, total, err
}
