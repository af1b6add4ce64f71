//go:build cgo

package sqlite

import (
	"errors"

	sqlite3 "github.com/mattn/go-sqlite3"
)

// driverName is mattn/go-sqlite3: the SQLite C library through cgo, the
// fastest ingest measured (docs/OPERATIONS.md).
const driverName = "sqlite3"

// resultCode is the SQLite extended result code err carries, 0 if none.
func resultCode(err error) int {
	var se sqlite3.Error
	if errors.As(err, &se) {
		return int(se.ExtendedCode)
	}
	return 0
}
