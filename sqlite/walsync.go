package sqlite

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"sync"
)

// Ingest's fsync runs apart from its commit (issue 14): a group commits with
// synchronous=NORMAL, which in WAL mode writes the frames without syncing
// them, and walSyncer then fsyncs the WAL file before any caller of the
// group is answered. While that fsync runs the single writer already
// commits the next group, whose callers share the next fsync. An
// acknowledged upload is on disk exactly as with synchronous=FULL:
//
//   - frames still in the WAL are made durable by the fsync of the WAL file
//     (fsync acts on the file, whichever descriptor it is called through);
//   - frames a checkpoint moved into the database file were synced there
//     first: with synchronous=NORMAL SQLite syncs the WAL before a
//     checkpoint and the database after it, before the WAL is reused;
//   - if the WAL file was removed and made anew (the last connection closed
//     and checkpointed), the descriptor is reopened and the database file
//     synced too.
//
// Every other write (apps, tokens, sets, the inspector's own choice) keeps
// its own commit-time sync: only ingest switches the connection to NORMAL,
// on a connection it holds for the whole group, and back to FULL after.
type walSyncer struct {
	dbPath, walPath string

	mu  sync.Mutex
	wal *os.File // nil until the first sync, or after the WAL file changed
}

func newWALSyncer(path string) *walSyncer {
	return &walSyncer{dbPath: path, walPath: path + "-wal"}
}

// sync makes every group committed so far durable.
func (s *walSyncer) sync() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.syncWAL(); err != nil {
		return fmt.Errorf("sqlite: fsync %s: %w; acknowledged uploads are safe, this one was not "+
			"acknowledged: restart the server (it recovers from the WAL) / 日志落盘失败，请重启服务", s.walPath, err)
	}
	return nil
}

func (s *walSyncer) syncWAL() error {
	cur, err := os.Stat(s.walPath)
	if errors.Is(err, fs.ErrNotExist) {
		// No WAL: everything committed was checkpointed into the database.
		s.closeWAL()
		return syncFile(s.dbPath)
	} else if err != nil {
		return err
	}
	if s.wal != nil {
		held, err := s.wal.Stat()
		if err != nil || !os.SameFile(held, cur) {
			s.closeWAL()
		}
	}
	if s.wal == nil {
		f, err := os.Open(s.walPath)
		if err != nil {
			return err
		}
		s.wal = f
		// The WAL may be new: what was committed before could be in the
		// database file only.
		if err := syncFile(s.dbPath); err != nil {
			return err
		}
	}
	return s.wal.Sync()
}

func (s *walSyncer) closeWAL() {
	if s.wal != nil {
		s.wal.Close()
		s.wal = nil
	}
}

func (s *walSyncer) close() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.closeWAL()
}

func syncFile(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	return f.Sync()
}

// unsyncedConn holds the writer connection with synchronous=NORMAL for a
// transaction that does not sync at commit: an ingest group (walSyncer
// syncs it before anyone is answered) or inspector records (never
// acknowledged to anyone). release puts it back with FULL, or discards it
// if that fails, so no other write ever runs without its sync.
func (db *DB) unsyncedConn(ctx context.Context) (conn *sql.Conn, release func(), err error) {
	conn, err = db.write.Conn(ctx)
	if err != nil {
		return nil, nil, err
	}
	if _, err := conn.ExecContext(ctx, `PRAGMA synchronous = NORMAL`); err != nil {
		conn.Close()
		return nil, nil, err
	}
	return conn, func() {
		if _, err := conn.ExecContext(context.Background(), `PRAGMA synchronous = FULL`); err != nil {
			conn.Raw(func(any) error { return driver.ErrBadConn })
		}
		conn.Close()
	}, nil
}
