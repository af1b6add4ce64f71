//go:build cgo

package sqlite

import (
	"context"
	"database/sql/driver"
	"errors"
	"io"
	"path/filepath"
	"reflect"
	"testing"

	sqlite3 "github.com/mattn/go-sqlite3"
)

// reprepares runs query calls times on one reader connection, each call
// binding args(i), and returns how often SQLite re-prepared it: mattn's
// statement records sqlite3_stmt_status(SQLITE_STMTSTATUS_REPREPARE) after
// each first step in an unexported field, read here by reflection.
func reprepares(t testing.TB, db *DB, query string, calls int, args func(i int) []driver.NamedValue) int64 {
	t.Helper()
	ctx := context.Background()
	conn, err := db.read.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	var n int64
	err = conn.Raw(func(dc any) error {
		c, ok := dc.(*sqlite3.SQLiteConn)
		if !ok {
			return errors.New("reader connection is not a mattn SQLiteConn")
		}
		st, err := c.Prepare(query)
		if err != nil {
			return err
		}
		defer st.Close()
		for i := range calls {
			rows, err := st.(driver.StmtQueryContext).QueryContext(ctx, args(i))
			if err != nil {
				return err
			}
			dest := make([]driver.Value, len(rows.Columns()))
			for rows.Next(dest) == nil {
			}
			rows.Close()
		}
		f := reflect.ValueOf(st).Elem().FieldByName("repreps")
		if !f.IsValid() {
			return errors.New("mattn/go-sqlite3 no longer has SQLiteStmt.repreps: update this test to the driver's way of reading SQLITE_STMTSTATUS_REPREPARE")
		}
		n = f.Int()
		return nil
	})
	if err != nil && !errors.Is(err, io.EOF) {
		t.Fatal(err)
	}
	return n
}

// TestAttributionPreparedOnce: the attribution statements are compiled once
// and never re-prepared however their arguments change; the old statement
// with a bound event type is re-prepared on every new binding.
func TestAttributionPreparedOnce(t *testing.T) {
	db := mustOpen(t, filepath.Join(t.TempDir(), "wxads.db"))
	defer db.Close()
	lists := []string{`[{"a":"wxapp","k":"o1","t":1795000000}]`, `[{"a":"wxapp","k":"o2","t":1795000001},{"a":"wx2","k":"o3","t":1}]`}
	const calls = 20
	for _, q := range []string{qAttributeClickID, qAttributeUserClick, qAttributeUserFollow} {
		n := reprepares(t, db, q, calls, func(i int) []driver.NamedValue {
			return []driver.NamedValue{{Ordinal: 1, Value: lists[i%2]}, {Ordinal: 2, Value: int64(86400 + i)}}
		})
		if n != 0 {
			t.Errorf("re-prepared %d times in %d calls:\n%s", n, calls, q)
		}
	}
	// The advertiser-wide look-ups of device-identified actions (devices.go)
	// carry the account in each probe.
	devLists := []string{`[{"c":1,"a":"hash_oaid","k":"0a","t":1795000000}]`,
		`[{"c":2,"a":"hash_imei","k":"0b","t":1795000001},{"c":2,"a":"caid","k":"x","t":1}]`}
	for _, q := range []string{qAttributeAccountClickID, qAttributeDeviceClick, qAttributeDeviceFollow, qDeviceIDs} {
		n := reprepares(t, db, q, calls, func(i int) []driver.NamedValue {
			args := []driver.NamedValue{{Ordinal: 1, Value: devLists[i%2]}}
			if q != qDeviceIDs {
				args = append(args, driver.NamedValue{Ordinal: 2, Value: int64(86400 + i)})
			}
			return args
		})
		if n != 0 {
			t.Errorf("re-prepared %d times in %d calls:\n%s", n, calls, q)
		}
	}
	types := []string{"CLICK", "FOLLOW"}
	n := reprepares(t, db, qAttributeUserBoundType, calls, func(i int) []driver.NamedValue {
		return []driver.NamedValue{{Ordinal: 1, Value: lists[i%2]}, {Ordinal: 2, Value: types[i%2]}, {Ordinal: 3, Value: int64(86400)}}
	})
	t.Logf("control: bound event type re-prepared %d times in %d calls", n, calls)
	if n == 0 {
		t.Errorf("control statement with a bound type was never re-prepared: the counter is not read correctly")
	}
}
