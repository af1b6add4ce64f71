package postgres

import (
	"context"

	"github.com/jackc/pgx/v5"

	"github.com/wxads/wxads"
)

var _ wxads.AdEventStore = (*DB)(nil)

// AddAdEvents stores events in one transaction; a FOLLOW makes its openid a
// follower of the app.
func (db *DB) AddAdEvents(ctx context.Context, events []wxads.AdEvent, now int64) error {
	return pgx.BeginFunc(ctx, db.pool, func(tx pgx.Tx) error {
		rows := make([][]any, len(events))
		follows := map[string][]string{}
		for i, e := range events {
			rows[i] = []any{e.Type, e.AppID, e.OpenID, e.AdID, e.CampaignID, e.ClickID, e.Time}
			if e.Type == wxads.EventFollow {
				follows[e.AppID] = append(follows[e.AppID], e.OpenID)
			}
		}
		// The events keep their order: on equal times attribution prefers the later stored.
		if _, err := tx.CopyFrom(ctx, pgx.Identifier{"ad_events"},
			[]string{"type", "appid", "openid", "ad_id", "campaign_id", "click_id", "time"},
			pgx.CopyFromRows(rows)); err != nil {
			return err
		}
		for appid, openids := range follows {
			if err := addFollowers(ctx, tx, appid, openids, now); err != nil {
				return err
			}
		}
		return nil
	})
}

// AdReport sums attributed conversions per period, ad, campaign and action type.
func (db *DB) AdReport(ctx context.Context, q wxads.AdReportQuery) ([]wxads.AdReportRow, error) {
	period := "period"
	if q.Granularity == wxads.Daily {
		// GMT+8 midnight of the hour: shift to GMT+8, floor to the day, shift back.
		period = "((period + 28800) / 86400) * 86400 - 28800"
	}
	rows, err := db.pool.Query(ctx, `SELECT `+period+` AS p, ad_id, campaign_id, action_type,
		SUM(conversions)::bigint, LEAST(SUM(value), 9223372036854775807)::bigint FROM ad_rollup
		WHERE account_id = $1 AND period >= $2 AND period < $3
		GROUP BY p, ad_id, campaign_id, action_type ORDER BY p, ad_id, campaign_id, action_type`,
		q.AccountID, q.Start, q.End+86400)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(row pgx.CollectableRow) (wxads.AdReportRow, error) {
		var r wxads.AdReportRow
		err := row.Scan(&r.Period, &r.AdID, &r.CampaignID, &r.ActionType, &r.Conversions, &r.Value)
		return r, err
	})
}
