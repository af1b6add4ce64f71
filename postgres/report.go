package postgres

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/wxads/wxads"
)

var _ wxads.ReportStore = (*DB)(nil)

// Report reads the rollups maintained at ingest; its cost follows the rows
// it returns, not the actions stored. Each query reads one range of the
// primary key (set_id, period, …).
func (db *DB) Report(ctx context.Context, q wxads.ReportQuery) ([]wxads.ReportRow, error) {
	table, gran := "rollup_hourly", 0
	if q.Granularity == wxads.Daily {
		table, gran = "rollup_daily", 1
	}
	var query string
	switch q.Aggregation {
	case wxads.AggNone:
		query = fmt.Sprintf(`SELECT r.period, '', '', '', SUM(r.raw)::bigint, SUM(r.identified)::bigint,
			COALESCE((SELECT u.users FROM rollup_user_counts u
				WHERE u.set_id = r.set_id AND u.granularity = %d AND u.period = r.period), 0)
			FROM %s r WHERE r.set_id = $1 AND r.period >= $2 AND r.period < $3
			GROUP BY r.set_id, r.period ORDER BY r.period`, gran, table)
	case wxads.AggDomain:
		query = `SELECT period, domain, '', '', SUM(raw)::bigint, SUM(identified)::bigint, 0::bigint
			FROM ` + table + ` WHERE set_id = $1 AND period >= $2 AND period < $3
			GROUP BY period, domain ORDER BY period, domain`
	case wxads.AggActionType:
		query = `SELECT period, '', action_type, custom_action, SUM(raw)::bigint, SUM(identified)::bigint, 0::bigint
			FROM ` + table + ` WHERE set_id = $1 AND period >= $2 AND period < $3
			GROUP BY period, action_type, custom_action ORDER BY period, action_type, custom_action`
	default:
		return nil, fmt.Errorf("postgres: unknown aggregation %q", q.Aggregation)
	}
	rows, err := db.pool.Query(ctx, query, q.SetID, q.Start, q.End+86400)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(row pgx.CollectableRow) (wxads.ReportRow, error) {
		var r wxads.ReportRow
		err := row.Scan(&r.Period, &r.Domain, &r.ActionType, &r.CustomAction, &r.Raw, &r.Identified, &r.Users)
		return r, err
	})
}
