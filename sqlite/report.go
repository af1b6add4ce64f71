package sqlite

import (
	"context"
	"database/sql/driver"
	"errors"
	"fmt"
	"io"

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
	// calls. fill puts a row's values, in select order, into a ReportRow.
	var query string
	var fill func(v []driver.Value, r *wxads.ReportRow) error
	switch q.Aggregation {
	case wxads.AggNone:
		query = `SELECT r.period, SUM(r.raw), SUM(r.identified),
			COALESCE((SELECT u.users FROM rollup_user_counts u
				WHERE u.set_id = r.set_id AND u.granularity = r.granularity AND u.period = r.period), 0)
			FROM rollup_types r WHERE r.set_id = ? AND r.granularity = ? AND r.period >= ? AND r.period < ?
			GROUP BY r.period ORDER BY r.period`
		fill = func(v []driver.Value, r *wxads.ReportRow) error {
			return ints(v, &r.Period, &r.Raw, &r.Identified, &r.Users)
		}
	case wxads.AggDomain:
		query = `SELECT raw, identified, period, domain FROM rollup_domains
			WHERE set_id = ? AND granularity = ? AND period >= ? AND period < ? ORDER BY period, domain`
		fill = func(v []driver.Value, r *wxads.ReportRow) error {
			return errors.Join(ints(v[:3], &r.Raw, &r.Identified, &r.Period), text(v[3], &r.Domain))
		}
	case wxads.AggActionType:
		query = `SELECT raw, identified, period, action_type, custom_action FROM rollup_types
			WHERE set_id = ? AND granularity = ? AND period >= ? AND period < ? ORDER BY period, action_type, custom_action`
		fill = func(v []driver.Value, r *wxads.ReportRow) error {
			return errors.Join(ints(v[:3], &r.Raw, &r.Identified, &r.Period), text(v[3], &r.ActionType),
				text(v[4], &r.CustomAction))
		}
	default:
		return nil, fmt.Errorf("sqlite: unknown aggregation %q", q.Aggregation)
	}
	conn, err := db.read.Conn(ctx)
	if err != nil {
		return nil, err
	}
	defer conn.Close()
	var list []wxads.ReportRow
	// The rows are read from the driver's connection, not through
	// database/sql, whose Scan converts each int64 by reflection and takes a
	// lock per row: a 30-day HOURLY report's CPU went down 15–25 % (10 M
	// actions, three A/B rounds: ACTION_TYPE 6.1–8.1 → 5.1–6.4 ms, DOMAIN
	// 5.0–5.8 → 3.1–4.1), and under upload load a report waits for CPU
	// several times what it uses (issue 14). Both drivers give INTEGER as
	// int64 and TEXT as string.
	err = conn.Raw(func(dc any) error {
		qc, ok := dc.(driver.QueryerContext)
		if !ok {
			return fmt.Errorf("sqlite: driver connection %T cannot query", dc)
		}
		args := []driver.NamedValue{{Ordinal: 1, Value: q.SetID}, {Ordinal: 2, Value: int64(gran)},
			{Ordinal: 3, Value: q.Start}, {Ordinal: 4, Value: q.End + 86400}}
		rows, err := qc.QueryContext(ctx, query, args)
		if err != nil {
			return err
		}
		defer rows.Close()
		v := make([]driver.Value, len(rows.Columns()))
		for {
			if err := rows.Next(v); errors.Is(err, io.EOF) {
				return nil
			} else if err != nil {
				return err
			}
			var r wxads.ReportRow
			if err := fill(v, &r); err != nil {
				return err
			}
			list = append(list, r)
		}
	})
	return list, err
}

// ints stores integer column values.
func ints(v []driver.Value, dst ...*int64) error {
	for i, d := range dst {
		n, ok := v[i].(int64)
		if !ok {
			return fmt.Errorf("sqlite: report column %d is %T, not an integer", i, v[i])
		}
		*d = n
	}
	return nil
}

// text stores a text column value.
func text(v driver.Value, dst *string) error {
	switch s := v.(type) {
	case string:
		*dst = s
	case []byte:
		*dst = string(s)
	default:
		return fmt.Errorf("sqlite: report column is %T, not text", v)
	}
	return nil
}
