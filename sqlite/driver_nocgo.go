//go:build !cgo

package sqlite

import (
	"errors"

	msqlite "modernc.org/sqlite"
)

// driverName is modernc.org/sqlite: SQLite translated to Go, so a
// CGO_ENABLED=0 build is one static binary. It runs the same SQLite (same
// file format, same SQL) at a lower ingest rate (docs/OPERATIONS.md).
const driverName = "sqlite"

// resultCode is the SQLite extended result code err carries, 0 if none
// (modernc enables extended result codes on every connection).
func resultCode(err error) int {
	var se *msqlite.Error
	if errors.As(err, &se) {
		return se.Code()
	}
	return 0
}
