//go:build cgo

package outbox

import _ "github.com/mattn/go-sqlite3" // registers "sqlite3"

const driverName = "sqlite3"
