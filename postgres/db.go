// Package postgres is the storage backend for several wxads nodes sharing
// one PostgreSQL database: every store interface over a pgx pool. Every node
// runs its own group commit; correctness rests on the database (unique
// indexes, row and advisory locks), never on there being one writer.
package postgres

import (
	"context"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"sort"
	"sync"
	"sync/atomic"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/wxads/wxads"
	"github.com/wxads/wxads/internal/groupcommit"
)

//go:embed migration/*.sql
var migrationFS embed.FS

// Advisory lock namespaces (the first key of pg_advisory_xact_lock(int, int)).
const (
	lockMigrate   = 7301 // schema migrations, so nodes starting together run them once
	lockToken     = 7302 // per appid: token issue and stable token
	lockActionSet = 7303 // per creator appid: the action-set creation limit
	lockPartition = 7304 // creating action partitions
)

// DB is a pool of connections to one PostgreSQL database.
type DB struct {
	pool *pgxpool.Pool

	ingest     *groupcommit.Committer
	owners     sync.Map // appid → owning account id (an app never changes owner)
	partitions sync.Map // GMT+8 day start → true once its actions partition exists
	attrWindow atomic.Int64

	// multiRowInsert writes actions with one INSERT of arrays instead of
	// COPY (the benchmark compares them).
	multiRowInsert bool
}

// Open connects to the database at url (postgres://…; search_path and
// pool_max_conns may be given as query parameters), runs the migrations and
// starts the group committer.
func Open(ctx context.Context, url string) (*DB, error) {
	cfg, err := pgxpool.ParseConfig(url)
	if err != nil {
		return nil, fmt.Errorf("postgres: %w", err)
	}
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("postgres: %w", err)
	}
	if err := pool.Ping(ctx); err != nil {
		pool.Close()
		return nil, fmt.Errorf("postgres: connect %s:%d: %w", cfg.ConnConfig.Host, cfg.ConnConfig.Port, err)
	}
	db := &DB{pool: pool}
	if err := db.migrate(ctx); err != nil {
		pool.Close()
		return nil, fmt.Errorf("postgres: migrate: %w", err)
	}
	db.ingest = groupcommit.New(db.commitGroup, ErrClosed)
	return db, nil
}

// Close stops the committer (flushing what it holds) and closes the pool.
func (db *DB) Close() error {
	db.ingest.Close()
	db.pool.Close()
	return nil
}

// Pool is the connection pool (the migrate command and tests use it).
func (db *DB) Pool() *pgxpool.Pool { return db.pool }

func (db *DB) migrate(ctx context.Context) error {
	names, err := fs.Glob(migrationFS, "migration/*.sql")
	if err != nil {
		return err
	}
	sort.Strings(names)
	for _, name := range names {
		if err := db.migrateFile(ctx, name); err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
	}
	return nil
}

// migrateFile runs one migration in its own transaction, recorded in
// schema_migrations, under an advisory lock: nodes started together wait
// for the first and then skip what it ran.
func (db *DB) migrateFile(ctx context.Context, name string) error {
	return pgx.BeginFunc(ctx, db.pool, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock($1, 0)`, lockMigrate); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations
			(name text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())`); err != nil {
			return err
		}
		var done bool
		if err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM schema_migrations WHERE name = $1)`, name).Scan(&done); err != nil || done {
			return err
		}
		buf, err := fs.ReadFile(migrationFS, name)
		if err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, string(buf)); err != nil {
			return err
		}
		_, err = tx.Exec(ctx, `INSERT INTO schema_migrations (name) VALUES ($1)`, name)
		return err
	})
}

// translate maps PostgreSQL errors to domain errors.
func translate(err error) error {
	if err == nil {
		return nil
	}
	if errors.Is(err, pgx.ErrNoRows) {
		return fmt.Errorf("%w: %v", wxads.ErrNotFound, err)
	}
	var pe *pgconn.PgError
	if errors.As(err, &pe) && pe.Code == "23505" { // unique_violation
		return fmt.Errorf("%w: %v", wxads.ErrConflict, err)
	}
	return err
}

// retryable reports whether a transaction failed only because it raced
// another (deadlock, serialization failure) and may simply be run again.
func retryable(err error) bool {
	var pe *pgconn.PgError
	return errors.As(err, &pe) && (pe.Code == "40P01" || pe.Code == "40001")
}

// SetAttributionWindow sets how far back (seconds, inclusive) an ad event may
// precede an action it is credited with. Call before the first Ingest.
func (db *DB) SetAttributionWindow(seconds int64) { db.attrWindow.Store(seconds) }

func (db *DB) window() int64 {
	if w := db.attrWindow.Load(); w > 0 {
		return w
	}
	return wxads.DefaultAttributionWindow
}

// execOne runs a single-row update; ErrNotFound when no row matched.
func (db *DB) execOne(ctx context.Context, query string, args ...any) error {
	tag, err := db.pool.Exec(ctx, query, args...)
	if err != nil {
		return translate(err)
	}
	if tag.RowsAffected() == 0 {
		return wxads.ErrNotFound
	}
	return nil
}

// lock takes a transaction-scoped advisory lock on (space, hashtext(key)):
// it serializes one app's token issues or set creations across every node.
func lock(ctx context.Context, tx pgx.Tx, space int, key string) error {
	_, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock($1, hashtext($2))`, space, key)
	return err
}
