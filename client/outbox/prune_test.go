package outbox_test

import (
	"context"
	"testing"
	"time"

	"github.com/wxads/wxads/client/outbox"
	"github.com/wxads/wxads/wxadstest"
)

// Prune removes only sent actions older than asked; pending and dead stay,
// and ids are never reused.
func TestPrune(t *testing.T) {
	srv := wxadstest.NewServer(t)
	ob := openOutbox(t, srv.Client().UserActions)
	ctx := context.Background()
	if err := ob.Enqueue(ctx, action(srv, srv.SetID, 1), action(srv, srv.SetID, 2), action(srv, srv.SetID+1, 3)); err != nil {
		t.Fatal(err)
	}
	if st := flush(t, ob); st.Sent != 2 || st.Dead != 1 {
		t.Fatalf("stats %+v, want 2 sent 1 dead", st)
	}
	if n, err := ob.Prune(ctx, time.Hour); err != nil || n != 0 {
		t.Fatalf("Prune(1h) = %d, %v; want nothing that young pruned", n, err)
	}
	time.Sleep(5 * time.Millisecond)
	if n, err := ob.Prune(ctx, time.Millisecond); err != nil || n != 2 {
		t.Fatalf("Prune(1ms) = %d, %v; want the 2 sent pruned", n, err)
	}
	if st, _ := ob.Stats(ctx); st.Sent != 0 || st.Dead != 1 {
		t.Fatalf("after prune %+v, want the dead letter kept", st)
	}
	ids, err := ob.EnqueueIDs(ctx, action(srv, srv.SetID, 4))
	if err != nil || ids[0] <= 3 {
		t.Fatalf("EnqueueIDs after prune = %v, %v; want a fresh id above 3", ids, err)
	}
}

// WithRetention prunes from the sender loop.
func TestRetention(t *testing.T) {
	srv := wxadstest.NewServer(t)
	ob := openOutbox(t, srv.Client().UserActions, outbox.WithRetention(time.Millisecond),
		outbox.WithPollInterval(10*time.Millisecond))
	ctx := context.Background()
	if err := ob.Enqueue(ctx, action(srv, srv.SetID, 1)); err != nil {
		t.Fatal(err)
	}
	flush(t, ob)
	deadline := time.Now().Add(5 * time.Second)
	for {
		st, err := ob.Stats(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if st.Sent == 0 && st.Pending == 0 {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("stats %+v: the sent action was never pruned", st)
		}
		time.Sleep(10 * time.Millisecond)
	}
}
