package sqlite

import (
	"context"
	"fmt"

	"github.com/wxads/wxads"
)

var _ wxads.ReportStore = (*DB)(nil)

// Report reads the rollups maintained at ingest; its cost follows the rows
// it returns, not the actions stored.
func (db *DB) Report(ctx context.Context, q wxads.ReportQuery) ([]wxads.ReportRow, error) {
	table, gran := "rollup_hourly", 0
	if q.Granularity == wxads.Daily {
		table, gran = "rollup_daily", 1
	}
	var keys, users string
	switch q.Aggregation {
	case wxads.AggDomain:
		keys = "domain, '', ''"
	case wxads.AggActionType:
		keys = "'', action_type, custom_action"
	case wxads.AggNone:
		keys = "'', '', ''"
		users = fmt.Sprintf(`(SELECT users FROM rollup_user_counts u
			WHERE u.set_id = r.set_id AND u.granularity = %d AND u.period = r.period)`, gran)
	default:
		return nil, fmt.Errorf("sqlite: unknown aggregation %q", q.Aggregation)
	}
	if users == "" {
		users = "0"
	}
	query := `SELECT period, ` + keys + `, SUM(raw), SUM(identified), COALESCE(` + users + `, 0)
		FROM ` + table + ` r WHERE set_id = ? AND period >= ? AND period < ?
		GROUP BY period, 2, 3, 4 ORDER BY period, 2, 3, 4`
	rows, err := db.read.QueryContext(ctx, query, q.SetID, q.Start, q.End+86400)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var list []wxads.ReportRow
	for rows.Next() {
		var r wxads.ReportRow
		if err := rows.Scan(&r.Period, &r.Domain, &r.ActionType, &r.CustomAction, &r.Raw, &r.Identified, &r.Users); err != nil {
			return nil, err
		}
		list = append(list, r)
	}
	return list, rows.Err()
}
