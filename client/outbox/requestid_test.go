package outbox_test

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/wxads/wxads/client"
	"github.com/wxads/wxads/client/outbox"
	"github.com/wxads/wxads/wxadstest"
)

// A delivered entry carries the X-Request-Id the upstream answered its
// request with, so an operator can find the upload in the upstream's logs.
func TestDeliveredEntryCarriesUpstreamRequestID(t *testing.T) {
	srv := wxadstest.NewServer(t)
	logPath := filepath.Join(t.TempDir(), "calls.jsonl")
	cl, err := client.OpenCallLog(logPath, 1<<20, 1)
	if err != nil {
		t.Fatal(err)
	}
	c := srv.Client(client.WithCallLog(cl))
	var rec recorder
	ob := openOutbox(t, c.UserActions, outbox.WithObserver(rec.observe))
	ctx := context.Background()

	acts := make([]client.UserAction, 60) // two requests: 50 + 10
	for i := range acts {
		acts[i] = action(srv, srv.SetID, i)
	}
	if err := ob.Enqueue(ctx, acts...); err != nil {
		t.Fatal(err)
	}
	if st := flush(t, ob); st.Sent != 60 {
		t.Fatalf("stats %+v, want 60 sent", st)
	}
	if err := cl.Close(); err != nil {
		t.Fatal(err)
	}
	upstream := map[string]bool{} // request ids of the successful uploads
	if err := client.ReadCallLog(logPath, func(r client.CallRecord) error {
		if r.Route == "/marketing/user_actions/add" && r.Errcode == 0 && r.RequestID != "" {
			upstream[r.RequestID] = true
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if len(upstream) != 2 {
		t.Fatalf("call log holds %d successful uploads with a request id, want 2", len(upstream))
	}
	seen := map[string]bool{}
	for _, a := range acts {
		e, err := ob.Lookup(ctx, srv.SetID, client.OuterActionID(a))
		if err != nil {
			t.Fatal(err)
		}
		if e.State != outbox.Sent || !upstream[e.RequestID] {
			t.Fatalf("entry %+v: want sent with one of the upstream's request ids %v", e, upstream)
		}
		seen[e.RequestID] = true
	}
	if len(seen) != 2 {
		t.Errorf("entries carry %d distinct request ids, want 2 (one per request)", len(seen))
	}
	for _, ev := range rec.of(outbox.Delivered) {
		if !upstream[ev.RequestID] {
			t.Fatalf("Delivered event %+v has request id %q, not one of the upstream's", ev, ev.RequestID)
		}
	}
}
