package outbox_test

import (
	"context"
	"testing"

	"github.com/wxads/wxads/client"
	"github.com/wxads/wxads/client/outbox"
	"github.com/wxads/wxads/wxadstest"
)

// An action for a data source that does not exist (31011) is dead-lettered
// with its code while its batch neighbours are delivered; replayed before
// the fix it dies again; once the data source exists, replay delivers it.
func TestDeadLetterAndReplay(t *testing.T) {
	srv := wxadstest.NewServer(t)
	c := srv.Client()
	var rec recorder
	ob := openOutbox(t, c.UserActions, outbox.WithObserver(rec.observe))
	ctx := context.Background()

	missing := srv.SetID + 1 // the id the next data source will get
	orphan := action(srv, missing, 7)
	orphanKey := client.OuterActionID(orphan)
	if err := ob.Enqueue(ctx, action(srv, srv.SetID, 1), orphan, action(srv, srv.SetID, 2)); err != nil {
		t.Fatal(err)
	}
	st := flush(t, ob)
	if st.Sent != 2 || st.Dead != 1 || st.Pending != 0 {
		t.Fatalf("stats %+v, want 2 sent and 1 dead", st)
	}
	dead, err := ob.DeadLetters(ctx, 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(dead) != 1 || dead[0].Code != 31011 || dead[0].Message == "" || dead[0].DoneAt.IsZero() ||
		dead[0].Action.OuterActionID != orphanKey || dead[0].Action.UserActionSetID != missing {
		t.Fatalf("dead letters %+v, want the action for set %d with 31011", dead, missing)
	}
	if ev := rec.of(outbox.Refused); len(ev) != 1 || ev[0].Code != 31011 || ev[0].ID != dead[0].ID {
		t.Fatalf("Refused events %+v, want one with 31011 for id %d", ev, dead[0].ID)
	}

	// Replay without fixing anything: dead again, same code.
	if n, err := ob.Replay(ctx, dead[0].ID, 9999); err != nil || n != 1 {
		t.Fatalf("Replay = %d, %v; want 1 moved", n, err)
	}
	st = flush(t, ob)
	if st.Dead != 1 || st.Sent != 2 {
		t.Fatalf("after a replay before the fix: %+v, want it dead again", st)
	}
	if again, _ := ob.DeadLetters(ctx, 10); len(again) != 1 || again[0].Code != 31011 || again[0].Attempts != 2 {
		t.Fatalf("dead letters after replay %+v, want the same action, 31011, 2 attempts", again)
	}

	// The fix: the data source now exists (and belongs to this advertiser).
	id, err := c.ActionSets.Add(ctx, client.ActionSet{Type: "WECHAT", Name: "second", WechatAppID: srv.AppID})
	if err != nil {
		t.Fatal(err)
	}
	if id != missing {
		t.Fatalf("new data source got id %d; the test needs %d", id, missing)
	}
	if n, err := ob.ReplayAll(ctx); err != nil || n != 1 {
		t.Fatalf("ReplayAll = %d, %v; want 1 moved", n, err)
	}
	st = flush(t, ob)
	if st.Dead != 0 || st.Sent != 3 {
		t.Fatalf("after the fix and replay: %+v, want 3 sent, none dead", st)
	}
	if got := stored(t, c, missing); got[orphanKey] != 1 || len(got) != 1 {
		t.Fatalf("set %d holds %v, want the replayed action once", missing, got)
	}
	if n := rec.count(outbox.Replayed); n != 2 {
		t.Fatalf("%d Replayed events, want 2", n)
	}
	if n, err := ob.ReplayAll(ctx); err != nil || n != 0 {
		t.Fatalf("ReplayAll with nothing dead = %d, %v", n, err)
	}
}

// Enqueueing a dead action again (same set, same key) after the fix
// revives it instead of being ignored as already held.
func TestEnqueueRevivesDead(t *testing.T) {
	srv := wxadstest.NewServer(t)
	c := srv.Client()
	ob := openOutbox(t, c.UserActions)
	ctx := context.Background()
	a := action(srv, srv.SetID+1, 3)
	a.OuterActionID = "order_3"
	ids, err := ob.EnqueueIDs(ctx, a)
	if err != nil {
		t.Fatal(err)
	}
	if st := flush(t, ob); st.Dead != 1 {
		t.Fatalf("stats %+v, want 1 dead", st)
	}
	if _, err := c.ActionSets.Add(ctx, client.ActionSet{Type: "WECHAT", Name: "second", WechatAppID: srv.AppID}); err != nil {
		t.Fatal(err)
	}
	again, err := ob.EnqueueIDs(ctx, a)
	if err != nil {
		t.Fatal(err)
	}
	if again[0] != ids[0] {
		t.Fatalf("re-enqueued dead action got id %d, want its old id %d", again[0], ids[0])
	}
	st := flush(t, ob)
	if st.Dead != 0 || st.Sent != 1 {
		t.Fatalf("stats %+v, want the revived action sent", st)
	}
	if got := stored(t, c, srv.SetID+1); got["order_3"] != 1 {
		t.Fatalf("server holds %v, want order_3 once", got)
	}
}
