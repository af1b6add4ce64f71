package outbox

import (
	"net/url"

	_ "github.com/mattn/go-sqlite3" // registers "sqlite3"
)

// The SQL driver and its DSN live here alone, so switching to a pure-Go
// driver behind a build tag replaces this one file.

const driverName = "sqlite3"

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
