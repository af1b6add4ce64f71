// Package sqlite is the embedded storage backend: one SQLite database in WAL
// mode with synchronous=FULL, one writer connection and a pool of readers.
package sqlite

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"sort"
	"sync"
	"sync/atomic"

	"github.com/wxads/wxads"
	"github.com/wxads/wxads/internal/groupcommit"
)

//go:embed migration/*.sql
var migrationFS embed.FS

// DB is an open SQLite database.
type DB struct {
	Path string

	write *sql.DB // one connection: SQLite has one writer anyway
	read  *sql.DB // readers run concurrently under WAL

	ingest     *groupcommit.Committer
	wal        *walSyncer           // ingest's fsync, apart from its commit
	stmts      map[string]*sql.Stmt // the ingest path's, prepared on write
	readStmts  map[string]*sql.Stmt // identification's, prepared on read
	owners     sync.Map             // appid → owning account id
	lookups    *lookupCache         // followers and ad-event presence (lookupcache.go)
	attrWindow atomic.Int64
}

// Open opens (creating if needed) the database at path and runs migrations.
func Open(path string) (*DB, error) {
	w, err := sql.Open(driverName, writeDSN(path))
	if err != nil {
		return nil, err
	}
	w.SetMaxOpenConns(1)
	w.SetMaxIdleConns(1)
	w.SetConnMaxLifetime(0)
	db := &DB{Path: path, write: w, lookups: newLookupCache()}
	if err := db.migrate(context.Background()); err != nil {
		w.Close()
		return nil, fmt.Errorf("sqlite: migrate %s: %w", path, err)
	}
	r, err := sql.Open(driverName, readDSN(path))
	if err != nil {
		w.Close()
		return nil, err
	}
	r.SetMaxOpenConns(8)
	r.SetMaxIdleConns(8)
	db.read = r
	if err := db.prepareIngest(context.Background()); err != nil {
		db.closeStmts()
		r.Close()
		w.Close()
		return nil, fmt.Errorf("sqlite: prepare: %w", err)
	}
	db.wal = newWALSyncer(path)
	db.ingest = groupcommit.NewPipelined(db.commitGroup, db.wal.sync, ErrClosed)
	return db, nil
}

// Close stops the ingest committer (flushing what it holds) and closes the database.
func (db *DB) Close() error {
	db.ingest.Close()
	db.wal.close()
	db.closeStmts()
	return errors.Join(db.read.Close(), db.write.Close())
}

func (db *DB) migrate(ctx context.Context) error {
	if _, err := db.write.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS migrations (name TEXT PRIMARY KEY)`); err != nil {
		return err
	}
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

func (db *DB) migrateFile(ctx context.Context, name string) error {
	tx, err := db.write.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	var n int
	if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM migrations WHERE name = ?`, name).Scan(&n); err != nil {
		return err
	} else if n != 0 {
		return nil
	}
	buf, err := fs.ReadFile(migrationFS, name)
	if err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, string(buf)); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO migrations (name) VALUES (?)`, name); err != nil {
		return err
	}
	return tx.Commit()
}

// translate maps SQLite errors to domain errors.
func translate(err error) error {
	if err == nil {
		return nil
	}
	if errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("%w: %v", wxads.ErrNotFound, err)
	}
	switch code := resultCode(err); {
	case code == codeConstraintUnique || code == codeConstraintPrimaryKey:
		return fmt.Errorf("%w: %v", wxads.ErrConflict, err)
	case code&0xff == codeBusy: // any SQLITE_BUSY_* variant
		return fmt.Errorf("sqlite: database locked by another process past the busy timeout: %w", err)
	}
	return err
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
