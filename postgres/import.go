package postgres

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"
)

// ImportTables are the tables an import fills, in an order that satisfies
// the foreign keys. action_keys is derived from actions at the end.
var ImportTables = []string{"advertisers", "apps", "followers", "tokens", "token_quota", "action_sets",
	"actions", "rollup_types", "rollup_domains", "rollup_users", "rollup_user_counts", "ad_events",
	"ad_event_ids", "ad_rollup", "catalog", "oauth_clients", "oauth_codes", "oauth_tokens"}

// ImportSource is one table's rows for Import: its column names and the
// rows as COPY takes them.
type ImportSource struct {
	Table   string
	Columns []string
	Rows    pgx.CopyFromSource
	// ReceivedDays, for actions: the GMT+8 day starts whose partitions the
	// rows need.
	ReceivedDays []int64
}

// ErrNotEmpty is returned by Import into a database that already holds an
// advertiser: an import never merges into a live platform.
var ErrNotEmpty = errors.New("postgres: the target database is not empty")

// Import copies whole tables into an empty database in one transaction —
// nothing is left half-written if any table fails — then derives the dedup
// keys and moves the id sequences past the imported ids. next is called for
// each table of ImportTables in turn. It returns the rows copied per table.
func (db *DB) Import(ctx context.Context, next func(table string) (ImportSource, error)) (map[string]int64, error) {
	counts := map[string]int64{}
	err := pgx.BeginFunc(ctx, db.pool, func(tx pgx.Tx) error {
		var held bool
		if err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM advertisers)`).Scan(&held); err != nil {
			return err
		}
		if held {
			return ErrNotEmpty
		}
		for _, table := range ImportTables {
			src, err := next(table)
			if err != nil {
				return fmt.Errorf("%s: %w", table, err)
			}
			for _, day := range src.ReceivedDays {
				if _, err := tx.Exec(ctx, fmt.Sprintf(`CREATE TABLE IF NOT EXISTS %s PARTITION OF actions
					FOR VALUES FROM (%d) TO (%d)`, partitionName(day), day, day+86400)); err != nil {
					return fmt.Errorf("actions partition: %w", err)
				}
			}
			n, err := tx.CopyFrom(ctx, pgx.Identifier{table}, src.Columns, src.Rows)
			if err != nil {
				return fmt.Errorf("%s: %w", table, err)
			}
			counts[table] = n
		}
		tag, err := tx.Exec(ctx, `INSERT INTO action_keys (set_id, outer_action_id)
			SELECT set_id, outer_action_id FROM actions WHERE outer_action_id IS NOT NULL`)
		if err != nil {
			return fmt.Errorf("action_keys: %w", err)
		}
		counts["action_keys"] = tag.RowsAffected()
		for _, table := range []string{"advertisers", "action_sets", "actions", "ad_events"} {
			if _, err := tx.Exec(ctx, fmt.Sprintf(`SELECT setval(pg_get_serial_sequence('%[1]s', 'id'),
				COALESCE((SELECT MAX(id) FROM %[1]s), 0) + 1, false)`, table)); err != nil {
				return fmt.Errorf("%s sequence: %w", table, err)
			}
		}
		// Client ids start at 1110000001 (migration 0003) whether or not any were copied.
		if _, err := tx.Exec(ctx, `SELECT setval(pg_get_serial_sequence('oauth_clients', 'id'),
			COALESCE((SELECT MAX(id) FROM oauth_clients), 1110000000) + 1, false)`); err != nil {
			return fmt.Errorf("oauth_clients sequence: %w", err)
		}
		return nil
	})
	return counts, err
}

// Count returns the rows of table (the migrate command checks the copy with it).
func (db *DB) Count(ctx context.Context, table string) (int64, error) {
	var n int64
	err := db.pool.QueryRow(ctx, `SELECT COUNT(*) FROM `+pgx.Identifier{table}.Sanitize()).Scan(&n)
	return n, err
}
