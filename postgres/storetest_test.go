package postgres_test

import (
	"context"
	"testing"

	"github.com/wxads/wxads/postgres"
	"github.com/wxads/wxads/postgres/pgtest"
	"github.com/wxads/wxads/storetest"
)

// TestStoreSuite runs the backend conformance suite against PostgreSQL,
// each subtest in a schema of its own.
func TestStoreSuite(t *testing.T) {
	storetest.Run(t, func(t *testing.T) storetest.Stores { return openTestDB(t) })
}

// openTestDB opens a DB on a fresh schema, closed at cleanup.
func openTestDB(t testing.TB) *postgres.DB {
	t.Helper()
	return openURL(t, pgtest.FreshSchema(t))
}

// openURL opens a DB on url, closed at cleanup; several opened on one
// schema's URL stand for several nodes.
func openURL(t testing.TB, url string) *postgres.DB {
	t.Helper()
	db, err := postgres.Open(context.Background(), url)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}
