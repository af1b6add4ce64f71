package main

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"path/filepath"
	"strings"

	"github.com/jackc/pgx/v5"

	"github.com/wxads/wxads/postgres"
	"github.com/wxads/wxads/sqlite"
)

// migrateColumns are the columns copied from SQLite to PostgreSQL, the same
// names on both sides, per table of postgres.ImportTables.
var migrateColumns = map[string][]string{
	"advertisers": {"id", "name", "status", "created_time"},
	"apps":        {"appid", "account_id", "name", "secret_hash", "ip_whitelist", "created_time"},
	"followers":   {"appid", "openid", "created_time", "unionid"},
	"tokens":      {"hash", "appid", "kind", "generation", "issued_at", "expires_at", "superseded_at", "revoked_at"},
	"token_quota": {"appid", "kind", "day", "count", "last_at"},
	"action_sets": {"id", "account_id", "type", "name", "description", "wechat_app_id", "creator_app_id",
		"activate_status", "created_time", "mobile_app_id", "enable_conversion_claim"},
	"actions": {"id", "set_id", "outer_action_id", "action_time", "action_type", "custom_action", "url", "domain",
		"appid", "openid", "click_id", "param", "claim_type", "value", "identified", "attributed_ad_id",
		"attributed_campaign_id", "received_time", "user_ids", "product_inform", "channel", "identified_by"},
	"rollup_types":       {"set_id", "granularity", "period", "action_type", "custom_action", "raw", "identified"},
	"rollup_domains":     {"set_id", "granularity", "period", "domain", "raw", "identified"},
	"rollup_users":       {"set_id", "granularity", "period", "appid", "openid"},
	"rollup_user_counts": {"set_id", "granularity", "period", "users"},
	"ad_events": {"id", "type", "appid", "openid", "ad_id", "campaign_id", "click_id", "time", "account_id",
		"user_ids"},
	"ad_event_ids":  {"account_id", "kind", "value", "type", "time", "event_id"},
	"ad_rollup":     {"account_id", "period", "ad_id", "campaign_id", "action_type", "conversions", "value"},
	"catalog":       {"id", "version", "body"},
	"oauth_clients": {"id", "name", "secret_hash", "redirect_uris", "created_time"},
	"oauth_codes":   {"hash", "client_id", "account_id", "redirect_uri", "scopes", "issued_at", "expires_at", "used_at"},
	"oauth_tokens":  {"hash", "kind", "client_id", "account_id", "scopes", "issued_at", "expires_at", "refresh_hash", "used_at"},
}

// Columns whose SQLite values need converting: bytea stays bytes, other
// bytes become text, 0/1 become booleans, the JSON whitelist an array.
var (
	byteaColumns = map[string]bool{"secret_hash": true, "hash": true, "body": true, "refresh_hash": true}
	boolColumns  = map[string]bool{"activate_status": true, "actions.identified": true, "enable_conversion_claim": true}
)

// runMigrate is `wxads migrate --from sqlite:DIR --to postgres://…`: it
// copies a stopped SQLite platform into an empty PostgreSQL database in one
// transaction and checks every table's row count.
func runMigrate(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("migrate", flag.ContinueOnError)
	fs.SetOutput(stderr)
	from := fs.String("from", "", "sqlite:DIR, the --data directory of the SQLite platform (stop its server first)")
	to := fs.String("to", "", "postgres://… URL of an empty database")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	dir, ok := strings.CutPrefix(*from, "sqlite:")
	if !ok || dir == "" || !strings.HasPrefix(*to, "postgres://") && !strings.HasPrefix(*to, "postgresql://") {
		fmt.Fprintln(stderr, "wxads migrate: give --from sqlite:DIR (the SQLite --data directory) and --to postgres://… "+
			"(an empty database) / 用法：wxads migrate --from sqlite:数据目录 --to postgres://…（空数据库）")
		return 2
	}
	counts, err := migrate(context.Background(), filepath.Join(dir, "wxads.db"), *to)
	if err != nil {
		fmt.Fprintf(stderr, "wxads migrate: %v\n", err)
		return 1
	}
	for _, table := range append(postgres.ImportTables, "action_keys") {
		fmt.Fprintf(stdout, "%-20s %d rows\n", table, counts[table])
	}
	fmt.Fprintln(stdout, "migrated: every table's row count matches / 迁移完成，各表行数一致")
	return 0
}

func migrate(ctx context.Context, path, url string) (map[string]int64, error) {
	// Opening through the sqlite package brings the file's schema up to date.
	sdb, err := sqlite.Open(path)
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	sdb.Close()
	src, err := sql.Open(sqlite.DriverName, "file:"+path+"?mode=ro")
	if err != nil {
		return nil, err
	}
	defer src.Close()
	dst, err := postgres.Open(ctx, url)
	if err != nil {
		return nil, err
	}
	defer dst.Close()
	var open *sql.Rows
	defer func() {
		if open != nil {
			open.Close()
		}
	}()
	counts, err := dst.Import(ctx, func(table string) (postgres.ImportSource, error) {
		if open != nil {
			open.Close()
		}
		cols := migrateColumns[table]
		s := postgres.ImportSource{Table: table, Columns: cols}
		if table == "actions" {
			if s.ReceivedDays, err = receivedDays(ctx, src); err != nil {
				return s, err
			}
		}
		open, err = src.QueryContext(ctx, `SELECT `+strings.Join(cols, ", ")+` FROM `+table)
		if err != nil {
			return s, err
		}
		s.Rows = &sqliteRows{rows: open, table: table, cols: cols}
		return s, nil
	})
	if errors.Is(err, postgres.ErrNotEmpty) {
		return nil, fmt.Errorf("%w: migrate copies into an empty database only, so nothing is merged or overwritten", err)
	} else if err != nil {
		return nil, err
	}
	for _, table := range postgres.ImportTables {
		var want int64
		if err := src.QueryRowContext(ctx, `SELECT COUNT(*) FROM `+table).Scan(&want); err != nil {
			return nil, err
		}
		got, err := dst.Count(ctx, table)
		if err != nil {
			return nil, err
		}
		if got != want || counts[table] != want {
			return nil, fmt.Errorf("%s: %d rows in SQLite, %d in PostgreSQL", table, want, got)
		}
	}
	return counts, nil
}

func receivedDays(ctx context.Context, src *sql.DB) ([]int64, error) {
	rows, err := src.QueryContext(ctx, `SELECT DISTINCT ((received_time + 28800) / 86400) * 86400 - 28800 FROM actions`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var days []int64
	for rows.Next() {
		var d int64
		if err := rows.Scan(&d); err != nil {
			return nil, err
		}
		days = append(days, d)
	}
	return days, rows.Err()
}

// sqliteRows adapts a SQLite result to COPY, converting values to the
// PostgreSQL columns' types.
type sqliteRows struct {
	rows  *sql.Rows
	table string
	cols  []string
	err   error
}

var _ pgx.CopyFromSource = (*sqliteRows)(nil)

func (r *sqliteRows) Next() bool { return r.rows.Next() }

func (r *sqliteRows) Err() error { return errors.Join(r.err, r.rows.Err()) }

func (r *sqliteRows) Values() ([]any, error) {
	vals := make([]any, len(r.cols))
	ptrs := make([]any, len(vals))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	if err := r.rows.Scan(ptrs...); err != nil {
		return nil, err
	}
	for i, col := range r.cols {
		switch v := vals[i].(type) {
		case []byte:
			if !byteaColumns[col] {
				vals[i] = string(v)
			}
		case int64:
			if boolColumns[col] || boolColumns[r.table+"."+col] {
				vals[i] = v != 0
			}
		}
		if col == "ip_whitelist" {
			var list []string
			s, _ := vals[i].(string)
			if err := json.Unmarshal([]byte(s), &list); err != nil {
				return nil, fmt.Errorf("apps.ip_whitelist %q: %w", s, err)
			}
			vals[i] = list
		}
	}
	return vals, nil
}
