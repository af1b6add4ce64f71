package outbox_test

import (
	"context"
	"fmt"
	"sort"
	"sync"
	"testing"
	"time"

	"github.com/wxads/wxads/client"
	"github.com/wxads/wxads/client/outbox"
	"github.com/wxads/wxads/wxadstest"
)

// fastRetry keeps the outbox's backoff short enough for tests.
var fastRetry = outbox.WithBackoff(5*time.Millisecond, 50*time.Millisecond)

// actionTime is every test action's time: fixed, so the same seq is the
// same content (and outer_action_id) whenever it is built.
var actionTime = time.Now().Add(-time.Hour).Unix()

// action is a valid conversion of seq for the server's tenant and set.
func action(srv *wxadstest.Server, setID int64, seq int) client.UserAction {
	return client.UserAction{
		UserActionSetID: setID,
		URL:             fmt.Sprintf("https://shop.example.com/order?seq=%d", seq),
		ActionTime:      actionTime,
		ActionType:      "COMPLETE_ORDER",
		UserID:          client.UserID{WechatAppID: srv.AppID, WechatOpenID: srv.Followers[seq%len(srv.Followers)]},
		ActionParam:     map[string]any{"source": "Web", "claim_type": 0, "value": seq},
	}
}

// openOutbox opens an outbox in a fresh directory sending through c, and
// runs its sender until the test ends.
func openOutbox(t *testing.T, sender outbox.Sender, opts ...outbox.Option) *outbox.Outbox {
	t.Helper()
	ob, err := outbox.Open(t.TempDir(), sender, append([]outbox.Option{fastRetry}, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	runOutbox(t, ob)
	return ob
}

// runOutbox runs ob's sender until the test ends and checks it stopped cleanly.
func runOutbox(t *testing.T, ob *outbox.Outbox) {
	t.Helper()
	done := make(chan error, 1)
	go func() { done <- ob.Run(context.Background()) }()
	t.Cleanup(func() {
		if err := ob.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
		if err := <-done; err != nil {
			t.Errorf("Run after Close: %v, want nil", err)
		}
	})
}

// flush waits for the outbox to have nothing pending.
func flush(t *testing.T, ob *outbox.Outbox) outbox.Stats {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	if err := ob.Flush(ctx); err != nil {
		st, _ := ob.Stats(context.Background())
		t.Fatalf("Flush: %v (stats %+v)", err, st)
	}
	st, err := ob.Stats(ctx)
	if err != nil {
		t.Fatal(err)
	}
	return st
}

// stored returns how many times the server holds each outer_action_id of set.
func stored(t *testing.T, c *client.Client, setID int64) map[string]int {
	t.Helper()
	out := map[string]int{}
	for page := 1; ; page++ {
		l, err := c.UserActions.List(context.Background(), setID, page, 100)
		if err != nil {
			t.Fatalf("List page %d: %v", page, err)
		}
		for _, a := range l.List {
			out[a.OuterActionID]++
		}
		if page >= l.PageInfo.TotalPage {
			return out
		}
	}
}

// reportedRaw sums the raw action count of set in today's (GMT+8) report.
func reportedRaw(t *testing.T, c *client.Client, setID int64) int64 {
	t.Helper()
	cst := time.FixedZone("GMT+8", 8*3600)
	from := time.Now().In(cst).AddDate(0, 0, -1).Format("2006-01-02")
	to := time.Now().In(cst).Format("2006-01-02")
	rows, err := c.Reports.Get(context.Background(), client.ReportQuery{SetID: setID, StartDate: from, EndDate: to, Granularity: "DAILY"})
	if err != nil {
		t.Fatalf("report: %v", err)
	}
	var n int64
	for _, r := range rows {
		n += r.RawActionCount
	}
	return n
}

// recorder collects observer events.
type recorder struct {
	mu     sync.Mutex
	events []outbox.Event
}

func (r *recorder) observe(e outbox.Event) {
	r.mu.Lock()
	r.events = append(r.events, e)
	r.mu.Unlock()
}

func (r *recorder) count(kind outbox.EventKind) int {
	r.mu.Lock()
	defer r.mu.Unlock()
	n := 0
	for _, e := range r.events {
		if e.Kind == kind {
			n++
		}
	}
	return n
}

func (r *recorder) of(kind outbox.EventKind) []outbox.Event {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []outbox.Event
	for _, e := range r.events {
		if e.Kind == kind {
			out = append(out, e)
		}
	}
	return out
}

func sortedKeys(m map[string]int) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
