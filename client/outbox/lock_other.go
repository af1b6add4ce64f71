//go:build !unix

package outbox

import "os"

// lockDir has no flock off unix; there SQLite's own locking is the only
// guard, so run one Outbox per directory.
func lockDir(path string) (*os.File, error) {
	return os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
}
