package postgres

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/wxads/wxads"
	"github.com/wxads/wxads/internal/rollup"
)

var _ wxads.ReportStore = (*DB)(nil)

// Report reads the rollups maintained at ingest; its cost follows the rows
// it returns, not the actions stored. Each query reads one range of the
// primary key (set_id, granularity, period, …) in key order
// (internal/rollup).
func (db *DB) Report(ctx context.Context, q wxads.ReportQuery) ([]wxads.ReportRow, error) {
	gran := rollup.Hourly
	if q.Granularity == wxads.Daily {
		gran = rollup.Daily
	}
	var query string
	switch q.Aggregation {
	case wxads.AggNone:
		query = `SELECT r.period, '', '', '', SUM(r.raw)::bigint, SUM(r.identified)::bigint,
			COALESCE((SELECT u.users FROM rollup_user_counts u
				WHERE u.set_id = r.set_id AND u.granularity = r.granularity AND u.period = r.period), 0)
			FROM rollup_types r WHERE r.set_id = $1 AND r.granularity = $2 AND r.period >= $3 AND r.period < $4
			GROUP BY r.set_id, r.granularity, r.period ORDER BY r.period`
	case wxads.AggDomain:
		query = `SELECT period, domain, '', '', raw, identified, 0::bigint FROM rollup_domains
			WHERE set_id = $1 AND granularity = $2 AND period >= $3 AND period < $4 ORDER BY period, domain`
	case wxads.AggActionType:
		query = `SELECT period, '', action_type, custom_action, raw, identified, 0::bigint FROM rollup_types
			WHERE set_id = $1 AND granularity = $2 AND period >= $3 AND period < $4
			ORDER BY period, action_type, custom_action`
	default:
		return nil, fmt.Errorf("postgres: unknown aggregation %q", q.Aggregation)
	}
	rows, err := db.pool.Query(ctx, query, q.SetID, gran, q.Start, q.End+86400)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(row pgx.CollectableRow) (wxads.ReportRow, error) {
		var r wxads.ReportRow
		err := row.Scan(&r.Period, &r.Domain, &r.ActionType, &r.CustomAction, &r.Raw, &r.Identified, &r.Users)
		return r, err
	})
}
