package sqlite

import "net/url"

// The database/sql driver is chosen by build tag: driver_cgo.go (the SQLite
// C library through cgo, the fastest measured) and driver_nocgo.go (a
// pure-Go SQLite, for CGO_ENABLED=0 static builds). Both accept the same DSN
// keys, so the DSNs are built here once; each driver file gives its name
// and reads the SQLite result code out of its own error type.

// SQLite's extended result codes (sqlite3.h), the same whichever driver
// carries them.
const (
	codeBusy                 = 5
	codeConstraintPrimaryKey = 1555
	codeConstraintUnique     = 2067
)

// writeDSN opens path for the single writer: WAL with synchronous=FULL (a
// committed ingest is on disk), foreign keys, and write transactions that
// take the lock at BEGIN so they never deadlock upgrading a read lock.
func writeDSN(path string) string {
	q := url.Values{}
	q.Set("_journal_mode", "WAL")
	q.Set("_synchronous", "FULL")
	q.Set("_busy_timeout", "10000")
	q.Set("_foreign_keys", "on")
	q.Set("_txlock", "immediate")
	return "file:" + path + "?" + q.Encode()
}

// readDSN opens path read-only for the reader pool.
func readDSN(path string) string {
	q := url.Values{}
	q.Set("_busy_timeout", "10000")
	q.Set("_query_only", "1")
	q.Set("mode", "ro")
	return "file:" + path + "?" + q.Encode()
}

// DriverName is the database/sql driver this build registered ("sqlite3"
// with cgo, "sqlite" without), for tools that open a database file
// themselves (wxads migrate).
const DriverName = driverName
