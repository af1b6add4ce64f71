package sqlite

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/wxads/wxads"
	"github.com/wxads/wxads/internal/rollup"
)

var _ wxads.ReportStore = (*DB)(nil)

// Report reads the rollups maintained at ingest; its cost follows the rows
// it returns, not the actions stored.
func (db *DB) Report(ctx context.Context, q wxads.ReportQuery) ([]wxads.ReportRow, error) {
	gran := rollup.Hourly
	if q.Granularity == wxads.Daily {
		gran = rollup.Daily
	}
	// Each query walks a primary key range in key order and returns what it
	// reads (internal/rollup): no sort, and grouping only to sum a period's
	// few types for the plain report. Only the columns a report fills are
	// selected: with the cgo driver every column of every row is a few C
	// calls.
	var query string
	var scan func(rows *sql.Rows, r *wxads.ReportRow) error
	switch q.Aggregation {
	case wxads.AggNone:
		query = `SELECT r.period, SUM(r.raw), SUM(r.identified),
			COALESCE((SELECT u.users FROM rollup_user_counts u
				WHERE u.set_id = r.set_id AND u.granularity = r.granularity AND u.period = r.period), 0)
			FROM rollup_types r WHERE r.set_id = ? AND r.granularity = ? AND r.period >= ? AND r.period < ?
			GROUP BY r.period ORDER BY r.period`
		scan = func(rows *sql.Rows, r *wxads.ReportRow) error {
			return rows.Scan(&r.Period, &r.Raw, &r.Identified, &r.Users)
		}
	case wxads.AggDomain:
		query = `SELECT period, domain, raw, identified FROM rollup_domains
			WHERE set_id = ? AND granularity = ? AND period >= ? AND period < ? ORDER BY period, domain`
		scan = func(rows *sql.Rows, r *wxads.ReportRow) error {
			return rows.Scan(&r.Period, &r.Domain, &r.Raw, &r.Identified)
		}
	case wxads.AggActionType:
		query = `SELECT period, action_type, custom_action, raw, identified FROM rollup_types
			WHERE set_id = ? AND granularity = ? AND period >= ? AND period < ? ORDER BY period, action_type, custom_action`
		scan = func(rows *sql.Rows, r *wxads.ReportRow) error {
			return rows.Scan(&r.Period, &r.ActionType, &r.CustomAction, &r.Raw, &r.Identified)
		}
	default:
		return nil, fmt.Errorf("sqlite: unknown aggregation %q", q.Aggregation)
	}
	rows, err := db.read.QueryContext(ctx, query, q.SetID, gran, q.Start, q.End+86400)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var list []wxads.ReportRow
	for rows.Next() {
		var r wxads.ReportRow
		if err := scan(rows, &r); err != nil {
			return nil, err
		}
		list = append(list, r)
	}
	return list, rows.Err()
}
