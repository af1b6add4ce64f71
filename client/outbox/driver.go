package outbox

import "net/url"

// The SQL driver is chosen by build tag: driver_cgo.go (mattn/go-sqlite3,
// the SQLite C library) or driver_nocgo.go (modernc.org/sqlite, pure Go, for
// CGO_ENABLED=0 builds). Both accept the DSN below.

// dsn opens path in WAL mode with synchronous=FULL: a committed transaction
// has been fsynced to the WAL, which is what Enqueue promises. Write
// transactions take the write lock at BEGIN (immediate) so two of them never
// deadlock upgrading from a read lock.
func dsn(path string) string {
	q := url.Values{}
	q.Set("_journal_mode", "WAL")
	q.Set("_synchronous", "FULL")
	q.Set("_busy_timeout", "10000")
	q.Set("_txlock", "immediate")
	return "file:" + path + "?" + q.Encode()
}
