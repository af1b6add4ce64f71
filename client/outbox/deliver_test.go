package outbox_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/wxads/wxads/client"
	"github.com/wxads/wxads/client/outbox"
	"github.com/wxads/wxads/wxadstest"
)

func TestDeliverEndToEnd(t *testing.T) {
	srv := wxadstest.NewServer(t)
	c := srv.Client()
	var rec recorder
	ob := openOutbox(t, c.UserActions, outbox.WithObserver(rec.observe))
	ctx := context.Background()

	// 130 actions in calls of different sizes: requests of 50, 50, 30 at most.
	var want []string
	for start := 0; start < 130; {
		n := min(1+start%17, 130-start)
		acts := make([]client.UserAction, n)
		for i := range acts {
			acts[i] = action(srv, srv.SetID, start+i)
			want = append(want, client.OuterActionID(acts[i]))
		}
		if err := ob.Enqueue(ctx, acts...); err != nil {
			t.Fatal(err)
		}
		start += n
	}
	st := flush(t, ob)
	if st.Pending != 0 || st.Sent != 130 || st.Dead != 0 {
		t.Fatalf("stats %+v, want 130 sent", st)
	}
	got := stored(t, c, srv.SetID)
	if len(got) != len(want) {
		t.Errorf("server holds %d actions, want %d", len(got), len(want))
	}
	for _, id := range want {
		if got[id] != 1 {
			t.Errorf("outer_action_id %s stored %d times, want 1", id, got[id])
		}
	}
	if n := reportedRaw(t, c, srv.SetID); n != 130 {
		t.Errorf("report counts %d raw actions, want 130", n)
	}
	if n := rec.count(outbox.Enqueued); n != 130 {
		t.Errorf("%d Enqueued events, want 130", n)
	}
	delivered := rec.of(outbox.Delivered)
	if len(delivered) != 130 {
		t.Fatalf("%d Delivered events, want 130", len(delivered))
	}
	for i, e := range delivered {
		if i > 0 && e.ID <= delivered[i-1].ID {
			t.Fatalf("delivered out of enqueue order: id %d after %d", e.ID, delivered[i-1].ID)
		}
		if e.OuterActionID != want[i] || e.SetID != srv.SetID || e.Lag() < 0 {
			t.Fatalf("Delivered event %d = %+v, want outer id %s", i, e, want[i])
		}
	}

	// Enqueueing the same action again stores nothing new: it is sent.
	ids, err := ob.EnqueueIDs(ctx, action(srv, srv.SetID, 0))
	if err != nil {
		t.Fatal(err)
	}
	e, err := ob.Lookup(ctx, srv.SetID, want[0])
	if err != nil || e.ID != ids[0] || e.State != outbox.Sent || e.Attempts != 1 {
		t.Fatalf("re-enqueued sent action: id %v entry %+v err %v; want the existing sent entry", ids, e, err)
	}
	if st := flush(t, ob); st.Sent != 130 || st.Pending != 0 {
		t.Fatalf("after re-enqueue: %+v, want 130 sent and nothing new", st)
	}
}

func TestEnqueueRefusesInvalid(t *testing.T) {
	srv := wxadstest.NewServer(t)
	ob, err := outbox.Open(t.TempDir(), srv.Client().UserActions)
	if err != nil {
		t.Fatal(err)
	}
	defer ob.Close()
	good := action(srv, srv.SetID, 1)
	bad := action(srv, srv.SetID, 2)
	bad.URL = "not a url"
	err = ob.Enqueue(context.Background(), good, bad)
	var ve *client.ValidationError
	if !errors.As(err, &ve) || len(ve.Failed) != 1 || ve.Failed[0].Index != 1 || ve.Failed[0].Err.Code != 18005 {
		t.Fatalf("Enqueue(good, bad url) = %v, want a ValidationError for actions[1] with 18005", err)
	}
	if st, _ := ob.Stats(context.Background()); st != (outbox.Stats{}) {
		t.Fatalf("stats after a refused Enqueue: %+v, want nothing stored", st)
	}
}

func TestOpenLocksDirectory(t *testing.T) {
	srv := wxadstest.NewServer(t)
	dir := filepath.Join(t.TempDir(), "ob")
	ob, err := outbox.Open(dir, srv.Client().UserActions)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := outbox.Open(dir, srv.Client().UserActions); !errors.Is(err, outbox.ErrLocked) {
		t.Fatalf("second Open of %s: %v, want ErrLocked", dir, err)
	}
	if err := ob.Enqueue(context.Background(), action(srv, srv.SetID, 1)); err != nil {
		t.Fatal(err)
	}
	for name, want := range map[string]os.FileMode{".": 0o700, "outbox.db": 0o600, "outbox.db-wal": 0o600, "outbox.lock": 0o600} {
		fi, err := os.Stat(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		if got := fi.Mode().Perm(); got != want {
			t.Errorf("%s mode %v, want %v", name, got, want)
		}
	}
	if err := ob.Close(); err != nil {
		t.Fatal(err)
	}
	if err := ob.Enqueue(context.Background(), action(srv, srv.SetID, 2)); !errors.Is(err, outbox.ErrClosed) {
		t.Fatalf("Enqueue after Close: %v, want ErrClosed", err)
	}
	if _, err := ob.Stats(context.Background()); !errors.Is(err, outbox.ErrClosed) {
		t.Fatalf("Stats after Close: %v, want ErrClosed", err)
	}
	ob2, err := outbox.Open(dir, srv.Client().UserActions)
	if err != nil {
		t.Fatalf("Open after Close: %v", err)
	}
	defer ob2.Close()
	if st, _ := ob2.Stats(context.Background()); st.Pending != 1 {
		t.Fatalf("reopened stats %+v, want the 1 pending action kept", st)
	}
}

// Concurrent Enqueue calls share group commits; each gets its own ids and
// every action is delivered once.
func TestConcurrentEnqueue(t *testing.T) {
	srv := wxadstest.NewServer(t)
	c := srv.Client()
	ob := openOutbox(t, c.UserActions)
	ctx := context.Background()
	const workers, each = 8, 40
	errs := make(chan error, workers)
	for w := range workers {
		go func() {
			for i := range each {
				a := action(srv, srv.SetID, w*1000+i)
				ids, err := ob.EnqueueIDs(ctx, a)
				if err == nil {
					var e outbox.Entry
					e, err = ob.Lookup(ctx, srv.SetID, client.OuterActionID(a))
					if err == nil && e.ID != ids[0] {
						err = fmt.Errorf("EnqueueIDs gave %d, the outbox holds the action as %d", ids[0], e.ID)
					}
				}
				if err != nil {
					errs <- err
					return
				}
			}
			errs <- nil
		}()
	}
	for range workers {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
	}
	if st := flush(t, ob); st.Sent != workers*each || st.Dead != 0 {
		t.Fatalf("stats %+v, want %d sent", st, workers*each)
	}
	got := stored(t, c, srv.SetID)
	if len(got) != workers*each {
		t.Fatalf("server holds %d actions, want %d", len(got), workers*each)
	}
	for k, n := range got {
		if n != 1 {
			t.Errorf("%s stored %d times", k, n)
		}
	}
}

// Numbers in action_param go out with every digit they came in with: the
// stored JSON is decoded with UseNumber, not through float64.
func TestActionParamNumbersKept(t *testing.T) {
	srv := wxadstest.NewServer(t)
	c := srv.Client()
	ob := openOutbox(t, c.UserActions)
	a := action(srv, srv.SetID, 1)
	a.ActionParam["order_no"] = int64(9007199254740993) // 2⁵³+1: float64 would make it …992
	a.ActionParam["ratio"] = 0.125
	if err := ob.Enqueue(context.Background(), a); err != nil {
		t.Fatal(err)
	}
	flush(t, ob)
	l, err := c.UserActions.List(context.Background(), srv.SetID, 1, 10)
	if err != nil || len(l.List) != 1 {
		t.Fatalf("List: %v, %v", l, err)
	}
	var got map[string]json.RawMessage
	if err := json.Unmarshal(l.List[0].ActionParam, &got); err != nil {
		t.Fatal(err)
	}
	if string(got["order_no"]) != "9007199254740993" || string(got["ratio"]) != "0.125" {
		t.Fatalf("stored action_param %s, want order_no 9007199254740993 and ratio 0.125", l.List[0].ActionParam)
	}
}
