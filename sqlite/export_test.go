package sqlite

import "context"

// ExplainQueryPlan returns the detail column of EXPLAIN QUERY PLAN for query,
// planned on the writer connection where ingest runs it. args bind its
// placeholders (their values do not change the plan).
func (db *DB) ExplainQueryPlan(ctx context.Context, query string, args ...any) ([]string, error) {
	rows, err := db.write.QueryContext(ctx, "EXPLAIN QUERY PLAN "+query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var plan []string
	for rows.Next() {
		var id, parent, unused int
		var detail string
		if err := rows.Scan(&id, &parent, &unused, &detail); err != nil {
			return nil, err
		}
		plan = append(plan, detail)
	}
	return plan, rows.Err()
}
