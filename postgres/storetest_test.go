package postgres_test

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"net/url"
	"os"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/wxads/wxads/postgres"
	"github.com/wxads/wxads/storetest"
)

// TestStoreSuite runs the backend conformance suite against PostgreSQL,
// each subtest in a schema of its own.
func TestStoreSuite(t *testing.T) {
	storetest.Run(t, func(t *testing.T) storetest.Stores { return openTestDB(t) })
}

// testURL is WXADS_TEST_POSTGRES; without it the test skips on a laptop and
// fails where services are required (CI).
func testURL(t testing.TB) string {
	t.Helper()
	u := os.Getenv("WXADS_TEST_POSTGRES")
	if u == "" {
		if os.Getenv("CI") != "" || os.Getenv("WXADS_REQUIRE_SERVICES") != "" {
			t.Fatal("WXADS_TEST_POSTGRES is not set but CI/WXADS_REQUIRE_SERVICES is: set it to a PostgreSQL URL, " +
				"e.g. postgres://postgres@127.0.0.1:5432/test?sslmode=disable")
		}
		t.Skip("WXADS_TEST_POSTGRES is not set (e.g. postgres://postgres@127.0.0.1:5432/test?sslmode=disable)")
	}
	return u
}

// freshSchema creates an empty schema, dropped at cleanup, and returns the
// URL whose connections use it.
func freshSchema(t testing.TB) string {
	t.Helper()
	base := testURL(t)
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, base)
	if err != nil {
		t.Fatalf("connect %s: %v", base, err)
	}
	defer conn.Close(ctx)
	b := make([]byte, 6)
	rand.Read(b)
	schema := "wxads_test_" + hex.EncodeToString(b)
	if _, err := conn.Exec(ctx, `CREATE SCHEMA `+schema); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		conn, err := pgx.Connect(ctx, base)
		if err != nil {
			t.Errorf("drop schema %s: %v", schema, err)
			return
		}
		defer conn.Close(ctx)
		if _, err := conn.Exec(ctx, `DROP SCHEMA `+schema+` CASCADE`); err != nil {
			t.Errorf("drop schema %s: %v", schema, err)
		}
	})
	u, err := url.Parse(base)
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}

// openTestDB opens a DB on a fresh schema, closed at cleanup.
func openTestDB(t testing.TB) *postgres.DB {
	t.Helper()
	return openURL(t, freshSchema(t))
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
