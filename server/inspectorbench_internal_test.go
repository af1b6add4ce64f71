package server

import (
	"context"
	"encoding/json"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/wxads/wxads"
	"github.com/wxads/wxads/sqlite"
)

// BenchmarkInspectorUpload: the inspector's work for one 50-action upload
// record after the handler returned — its verdicts, then their JSON as the
// store keeps it — with half the actions identified followers and no ad
// events (so each identified action looks up its nearest click), as
// `wxads bench` uploads (issue 14: the inspector was 25 % of server CPU at
// 16 × 50).
//
//	go test ./server/ -run '^$' -bench InspectorUpload -benchmem
func BenchmarkInspectorUpload(b *testing.B) {
	ctx := context.Background()
	s, db := serverOnSQLite(b)
	adv := &wxads.Advertiser{Name: "bench", Status: wxads.StatusApproved, CreatedTime: 1795406400}
	if err := db.CreateAdvertiser(ctx, adv); err != nil {
		b.Fatal(err)
	}
	const appid = "wx00000000000000b1"
	if err := db.CreateApp(ctx, &wxads.App{AppID: appid, AccountID: adv.ID, Name: "b", SecretHash: []byte{1},
		IPWhitelist: wxads.DefaultWhitelist(), CreatedTime: 1795406400}); err != nil {
		b.Fatal(err)
	}
	in := s.inspector
	kept := make([]wxads.Action, 50)
	indexes := make([]int, 50)
	for i := range kept {
		kept[i] = wxads.Action{SetID: 1, OuterActionID: fmt.Sprintf("lg-%d", i), ActionTime: 1795406400 - 60,
			ActionType: wxads.ActionCompleteOrder, AppID: appid, OpenID: fmt.Sprintf("o%027d", i), Identified: i%2 == 0}
		indexes[i] = i
	}
	rec := &record{at: time.Unix(1795406400, 0), method: "POST", route: wxads.UploadRoute, status: 200,
		accountID: adv.ID, appID: appid, actions: 50, body: []byte(`{"actions":[]}`),
		upload: &uploadNote{indexes: indexes, kept: kept}}
	b.ReportAllocs()
	var size int
	for b.Loop() {
		in.budget.refill(time.Now())
		out, ok := in.explain(ctx, rec)
		if !ok {
			b.Fatal("no record")
		}
		buf, err := json.Marshal(out.Actions)
		if err != nil {
			b.Fatal(err)
		}
		size = len(buf)
	}
	b.ReportMetric(float64(size), "verdict-bytes")
}

// TestStoredVerdictsKeepFacts: the inspector keeps a stored action's facts,
// not its text, and explainStored writes the text from them when read.
func TestStoredVerdictsKeepFacts(t *testing.T) {
	ctx := context.Background()
	s, _ := serverOnSQLite(t)
	kept := []wxads.Action{
		{SetID: 1, OuterActionID: "a", ActionTime: 1795406400, AppID: "wx00000000000000c1", OpenID: "o" + fmt.Sprintf("%027d", 1), Identified: true},
		{SetID: 1, OuterActionID: "b", ActionTime: 1795406400, AppID: "wx00000000000000c1", OpenID: "o" + fmt.Sprintf("%027d", 2),
			Identified: true, AttributedAdID: 9, AttributedCampaignID: 3, AttributedEventTime: 1795406400 - 90},
	}
	rec := &record{at: time.Unix(1795406400, 0), route: wxads.UploadRoute, accountID: 1, appID: "wx00000000000000c1",
		actions: 2, upload: &uploadNote{indexes: []int{0, 1}, kept: kept}}
	s.inspector.budget.refill(time.Now())
	out, ok := s.inspector.explain(ctx, rec)
	if !ok {
		t.Fatal("no record")
	}
	for i, v := range out.Actions {
		if v.Facts == nil || v.Identification != "" || v.Attribution != "" {
			t.Fatalf("actions[%d] as kept: %+v, want facts and no text", i, v)
		}
	}
	if v := out.Actions[1]; v.AdID != 9 || v.CampaignID != 3 || v.EventType != wxads.EventClick || v.EventTime != 1795406400-90 {
		t.Errorf("the credited ad is kept as fields: %+v", v)
	}
	recs := []wxads.RequestRecord{out}
	explainStored(recs)
	want := []struct{ ident, attr string }{
		{"openid " + kept[0].OpenID + " is a follower of wx00000000000000c1.", "Not attributed: no CLICK of openid " + kept[0].OpenID + " on wx00000000000000c1. Send trace.click_id"},
		{"openid " + kept[1].OpenID + " is a follower of wx00000000000000c1.", "Attributed to ad 9 (campaign 3): the CLICK at 2026-11-23 11:58:30, 1 min before action_time."},
	}
	for i, v := range recs[0].Actions {
		if v.Facts != nil || v.Identification != want[i].ident || !strings.HasPrefix(v.Attribution, want[i].attr) ||
			v.IdentificationCN == "" || v.AttributionCN == "" {
			t.Errorf("actions[%d] read: %+v\nwant %q / %q…", i, v, want[i].ident, want[i].attr)
		}
	}
}

// serverOnSQLite is a server over a fresh SQLite store, both closed at the
// end of tb.
func serverOnSQLite(tb testing.TB) (*Server, *sqlite.DB) {
	db, err := sqlite.Open(filepath.Join(tb.TempDir(), "wxads.db"))
	if err != nil {
		tb.Fatal(err)
	}
	s := New(Config{Stores: db})
	tb.Cleanup(func() {
		s.Close()
		db.Close()
	})
	return s, db
}
