package postgres

import (
	"context"
	"maps"
	"slices"

	"github.com/jackc/pgx/v5"

	"github.com/wxads/wxads"
)

var _ wxads.AdEventStore = (*DB)(nil)

// AddAdEvents stores events in one transaction; a FOLLOW makes its openid a
// follower of the app. Each event names its app's advertiser, and each of
// its device ids gets an ad_event_ids row for the v3.0 look-ups.
func (db *DB) AddAdEvents(ctx context.Context, events []wxads.AdEvent, now int64) error {
	return pgx.BeginFunc(ctx, db.pool, func(tx pgx.Tx) error {
		// Ids are taken from the sequence first, so that the device ids'
		// rows can name their event; sorted, they keep the events' order
		// (on equal times attribution prefers the later stored).
		ids := make([]int64, 0, len(events))
		rows, err := tx.Query(ctx, `SELECT nextval(pg_get_serial_sequence('ad_events', 'id'))
			FROM generate_series(1, $1)`, len(events))
		if err != nil {
			return err
		}
		if ids, err = pgx.AppendRows(ids, rows, pgx.RowTo[int64]); err != nil {
			return err
		}
		slices.Sort(ids)
		owners := map[string]int64{}
		for _, e := range events {
			owners[e.AppID] = 0
		}
		apps := slices.Collect(maps.Keys(owners))
		rows, err = tx.Query(ctx, `SELECT appid, account_id FROM apps WHERE appid = ANY($1)`, apps)
		if err != nil {
			return err
		}
		var appid string
		var owner int64
		if _, err := pgx.ForEachRow(rows, []any{&appid, &owner}, func() error { owners[appid] = owner; return nil }); err != nil {
			return err
		}
		evRows := make([][]any, len(events))
		var idRows [][]any
		follows := map[string][]string{}
		for i, e := range events {
			account := owners[e.AppID]
			evRows[i] = []any{ids[i], e.Type, e.AppID, e.OpenID, e.AdID, e.CampaignID, e.ClickID, e.Time, account,
				wxads.EncodeUserIDs(e.UserIDs)}
			for _, u := range e.UserIDs {
				idRows = append(idRows, []any{account, u.Kind, u.Value, e.Type, e.Time, ids[i]})
			}
			if e.Type == wxads.EventFollow && e.OpenID != "" {
				follows[e.AppID] = append(follows[e.AppID], e.OpenID)
			}
		}
		if _, err := tx.CopyFrom(ctx, pgx.Identifier{"ad_events"},
			[]string{"id", "type", "appid", "openid", "ad_id", "campaign_id", "click_id", "time", "account_id", "user_ids"},
			pgx.CopyFromRows(evRows)); err != nil {
			return err
		}
		if len(idRows) > 0 {
			if _, err := tx.CopyFrom(ctx, pgx.Identifier{"ad_event_ids"},
				[]string{"account_id", "kind", "value", "type", "time", "event_id"}, pgx.CopyFromRows(idRows)); err != nil {
				return err
			}
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
