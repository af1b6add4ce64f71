package sqlite

import (
	"context"
	"database/sql"
	"strings"
)

// The ingest path's statements are prepared once on the writer connection
// at Open and bound into each group's transaction (Tx.StmtContext reuses a
// statement prepared on the same connection), so a group commit compiles
// no SQL. Multi-row inserts come in power-of-two row counts: any number of
// rows is written as at most log2(max) statements of cached shapes.
const (
	maxActionRows = 64  // × 21 columns
	maxUserRows   = 128 // × 5 columns
	actionColumns = 21

	qInsertActionRows = `INSERT INTO actions (set_id, outer_action_id, action_time, action_type, custom_action,
		url, domain, appid, openid, click_id, param, claim_type, value, identified, attributed_ad_id,
		attributed_campaign_id, received_time, user_ids, product_inform, channel, identified_by) VALUES `
	qInsertUserRows = `INSERT INTO rollup_users (set_id, granularity, period, appid, openid) VALUES `
	qUserRowsTail   = ` ON CONFLICT DO NOTHING RETURNING set_id, granularity, period`

	qRollupTypes = `INSERT INTO rollup_types (set_id, granularity, period, action_type, custom_action, raw, identified)
		VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (set_id, granularity, period, action_type, custom_action)
		DO UPDATE SET raw = raw + excluded.raw, identified = identified + excluded.identified`
	qRollupDomains = `INSERT INTO rollup_domains (set_id, granularity, period, domain, raw, identified)
		VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (set_id, granularity, period, domain)
		DO UPDATE SET raw = raw + excluded.raw, identified = identified + excluded.identified`
	qUserCounts = `INSERT INTO rollup_user_counts (set_id, granularity, period, users) VALUES (?, ?, ?, ?)
		ON CONFLICT (set_id, granularity, period) DO UPDATE SET users = users + excluded.users`
	qAdRollup = `INSERT INTO ad_rollup (account_id, period, ad_id, campaign_id, action_type, conversions, value)
		VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (account_id, period, ad_id, campaign_id, action_type)
		DO UPDATE SET conversions = conversions + excluded.conversions,
		value = CASE WHEN excluded.value > 9223372036854775807 - value THEN 9223372036854775807
			ELSE value + excluded.value END` // saturates (SQLite would turn it into a REAL)
	qActivateSet = `UPDATE action_sets SET activate_status = 1 WHERE id = ? AND activate_status = 0`
)

// Multi-row statements by row count (powers of two), built once.
var actionRowsQuery, userRowsQuery = rowQueries(maxActionRows, func(n int) string {
	return qInsertActionRows + placeholders(n, actionColumns)
}), rowQueries(maxUserRows, func(n int) string {
	return qInsertUserRows + placeholders(n, 5) + qUserRowsTail
})

func rowQueries(max int, build func(n int) string) map[int]string {
	m := map[int]string{}
	for n := 1; n <= max; n *= 2 {
		m[n] = build(n)
	}
	return m
}

// prepareIngest prepares every statement of the ingest path: the writer's
// and the read side's (identify.go).
func (db *DB) prepareIngest(ctx context.Context) error {
	queries := []string{qExistingKeys, qRollupTypes, qRollupDomains, qUserCounts, qAdRollup, qActivateSet}
	for _, m := range []map[int]string{actionRowsQuery, userRowsQuery} {
		for _, q := range m {
			queries = append(queries, q)
		}
	}
	var err error
	if db.stmts, err = prepareAll(ctx, db.write, queries); err != nil {
		return err
	}
	db.readStmts, err = prepareAll(ctx, db.read, readQueries)
	return err
}

func prepareAll(ctx context.Context, pool *sql.DB, queries []string) (map[string]*sql.Stmt, error) {
	m := make(map[string]*sql.Stmt, len(queries))
	for _, q := range queries {
		st, err := pool.PrepareContext(ctx, q)
		if err != nil {
			return m, err
		}
		m[q] = st
	}
	return m, nil
}

func (db *DB) closeStmts() {
	for _, m := range []map[string]*sql.Stmt{db.stmts, db.readStmts} {
		for _, st := range m {
			st.Close()
		}
	}
}

// stmt binds a prepared statement into the group's transaction; a query
// that was not prepared at Open is compiled in the transaction instead.
func (w *groupWriter) stmt(query string) (*sql.Stmt, error) {
	if st, ok := w.stmts[query]; ok {
		return w.tx.StmtContext(w.ctx, st), nil
	}
	return w.tx.PrepareContext(w.ctx, query)
}

// chunks splits n rows into power-of-two runs of at most max rows.
func chunks(n, max int) []int {
	var out []int
	for n > 0 {
		size := max
		for size > n {
			size /= 2
		}
		out = append(out, size)
		n -= size
	}
	return out
}

// placeholders returns "(?, …), (?, …)" for n rows of cols columns.
func placeholders(n, cols int) string {
	row := "(" + strings.Repeat("?, ", cols-1) + "?)"
	var b strings.Builder
	b.Grow(n * (len(row) + 2))
	for i := range n {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(row)
	}
	return b.String()
}
