//go:build !cgo

package outbox

import _ "modernc.org/sqlite" // registers "sqlite"

const driverName = "sqlite"
