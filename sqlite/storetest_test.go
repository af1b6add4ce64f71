package sqlite_test

import (
	"path/filepath"
	"testing"

	"github.com/wxads/wxads/sqlite"
	"github.com/wxads/wxads/storetest"
)

// TestStoreSuite runs the backend conformance suite against SQLite.
func TestStoreSuite(t *testing.T) {
	storetest.Run(t, func(t *testing.T) storetest.Stores {
		db, err := sqlite.Open(filepath.Join(t.TempDir(), "x.db"))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		return db
	})
}
