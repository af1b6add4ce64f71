// Package pgtest gives tests a PostgreSQL schema of their own on the server
// named by WXADS_TEST_POSTGRES (skipped when unset, failed when CI or
// WXADS_REQUIRE_SERVICES is set).
package pgtest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"net/url"
	"os"
	"testing"

	"github.com/jackc/pgx/v5"
)

// URL is WXADS_TEST_POSTGRES; without it the test skips on a laptop and
// fails where services are required (CI).
func URL(t testing.TB) string {
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

// FreshSchema creates an empty schema, dropped with everything in it at
// cleanup, and returns the URL whose connections use it (search_path).
func FreshSchema(t testing.TB) string {
	t.Helper()
	base := URL(t)
	b := make([]byte, 6)
	rand.Read(b)
	schema := "wxads_test_" + hex.EncodeToString(b)
	if err := Exec(base, `CREATE SCHEMA `+schema); err != nil {
		t.Fatalf("create schema on %s: %v", base, err)
	}
	t.Cleanup(func() {
		if err := Exec(base, `DROP SCHEMA `+schema+` CASCADE`); err != nil {
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

// Exec runs one statement on a connection of its own.
func Exec(url, sql string, args ...any) error {
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		return err
	}
	defer conn.Close(ctx)
	_, err = conn.Exec(ctx, sql, args...)
	return err
}
