package sqlite_test

import (
	"path/filepath"
	"testing"

	"github.com/wxads/wxads/server"
	"github.com/wxads/wxads/sqlite"
	"github.com/wxads/wxads/storetest"
)

// The suite tests exactly what the server runs on: the two interfaces have
// the same method set (storetest does not import server).
var _ server.Stores = storetest.Stores(nil)

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
