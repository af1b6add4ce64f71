package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"path/filepath"
	"testing"

	"github.com/wxads/wxads"
)

// qAttributeUserBoundType is the attribution statement as it was before issue
// 14: the event type bound as a parameter. Kept here as the control that
// shows the test can see a re-preparation.
const qAttributeUserBoundType = `SELECT j.key, e.ad_id, e.campaign_id, e.time FROM json_each(?) AS j
		JOIN ad_events AS e ON e.id = (SELECT id FROM ad_events
			WHERE appid = j.value ->> 'a' AND openid = j.value ->> 'k' AND type = ?
			AND time <= j.value ->> 't' AND time >= (j.value ->> 't') - ?
			ORDER BY time DESC, id DESC LIMIT 1)`

// BenchmarkAttribute compares, side by side in one run, a request's two
// openid attribution look-ups (latest CLICK, latest FOLLOW; 10 probes each)
// with the event type bound (one statement, re-prepared on every rebinding)
// and as a literal (one statement per kind, prepared once). Only the ratio
// of the two means anything on a shared machine.
//
//	go test -run '^$' -bench Attribute -benchmem ./sqlite/
func BenchmarkAttribute(b *testing.B) {
	db := mustOpen(b, filepath.Join(b.TempDir(), "bench.db"))
	defer db.Close()
	ctx := context.Background()
	now := int64(1795000000)
	var events []wxads.AdEvent
	for i := range 5000 {
		typ := wxads.EventClick
		if i%3 == 0 {
			typ = wxads.EventFollow
		}
		events = append(events, wxads.AdEvent{Type: typ, AppID: "wxapp", OpenID: fmt.Sprintf("o%027d", i%500),
			AdID: int64(1 + i%5), ClickID: fmt.Sprintf("k%d", i), Time: now - int64(i)})
	}
	if err := db.AddAdEvents(ctx, events, now); err != nil {
		b.Fatal(err)
	}
	list := "["
	for i := range 10 {
		if i > 0 {
			list += ","
		}
		list += fmt.Sprintf(`{"a":"wxapp","k":"o%027d","t":%d}`, i*37, now)
	}
	list += "]"
	run := func(b *testing.B, st *sql.Stmt, args ...any) {
		rows, err := st.QueryContext(ctx, args...)
		if err != nil {
			b.Fatal(err)
		}
		n := 0
		for rows.Next() {
			n++
		}
		if err := rows.Close(); err != nil || n == 0 {
			b.Fatalf("rows %d, err %v", n, err)
		}
	}
	b.Run("bound-type", func(b *testing.B) {
		st, err := db.read.PrepareContext(ctx, qAttributeUserBoundType)
		if err != nil {
			b.Fatal(err)
		}
		defer st.Close()
		b.ReportAllocs()
		for b.Loop() {
			run(b, st, list, wxads.EventClick, db.window())
			run(b, st, list, wxads.EventFollow, db.window())
		}
	})
	b.Run("literal-type", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			run(b, db.readStmts[qAttributeUserClick], list, db.window())
			run(b, db.readStmts[qAttributeUserFollow], list, db.window())
		}
	})
}
