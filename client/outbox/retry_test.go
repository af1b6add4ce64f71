package outbox_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/wxads/wxads/client"
	"github.com/wxads/wxads/client/outbox"
	"github.com/wxads/wxads/wxadstest"
)

// fault is what the next user_actions/add request meets.
type fault struct {
	status  int    // HTTP status of the made-up answer
	body    string // its body
	after   bool   // let the server store the batch first, then lose its answer
	network bool   // no answer at all
}

// faulty is a RoundTripper in front of the real server that spoils
// user_actions/add requests per plan, then lets them through.
type faulty struct {
	base http.RoundTripper
	mu   sync.Mutex
	plan []fault
	sent int // requests that reached the route
}

func (f *faulty) RoundTrip(r *http.Request) (*http.Response, error) {
	if r.URL.Path != "/marketing/user_actions/add" {
		return f.base.RoundTrip(r)
	}
	f.mu.Lock()
	f.sent++
	var ft *fault
	if len(f.plan) > 0 {
		ft = &f.plan[0]
		f.plan = f.plan[1:]
	}
	f.mu.Unlock()
	if ft == nil {
		return f.base.RoundTrip(r)
	}
	if ft.network {
		r.Body.Close()
		return nil, errors.New("connect: connection refused (injected)")
	}
	if ft.after {
		resp, err := f.base.RoundTrip(r)
		if err != nil {
			return nil, err
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
	} else {
		r.Body.Close()
	}
	return &http.Response{StatusCode: ft.status, Status: http.StatusText(ft.status), Request: r,
		Header: http.Header{"Content-Type": {"application/json"}}, Body: io.NopCloser(strings.NewReader(ft.body))}, nil
}

// faultyClient is an SDK client for srv whose uploads meet plan, with the
// SDK's own retries off so the outbox's are the ones tested.
func faultyClient(srv *wxadstest.Server, plan ...fault) (*client.Client, *faulty) {
	f := &faulty{base: http.DefaultTransport.(*http.Transport).Clone(), plan: plan}
	c := srv.Client(client.WithHTTPClient(&http.Client{Transport: f, Timeout: 10 * time.Second}),
		client.WithRetry(client.RetryPolicy{MaxAttempts: 1}))
	return c, f
}

// Outages of every kind the platform can show — 503, -1, a lost answer
// after the server stored the batch, no answer, a daily quota — are
// retried with growing backoff until delivery; nothing is lost or counted
// twice, nothing is dead-lettered.
func TestRetryThroughOutage(t *testing.T) {
	srv := wxadstest.NewServer(t)
	busy := `{"errcode":-1,"errmsg":"system error"}`
	c, f := faultyClient(srv,
		fault{status: 503, body: "Service Unavailable"},
		fault{status: 200, body: busy},
		fault{status: 503, body: busy, after: true},
		fault{network: true},
		fault{status: 200, body: `{"errcode":45009,"errmsg":"reach max api daily quota limit"}`},
	)
	var rec recorder
	base := 4 * time.Millisecond
	ob := openOutbox(t, c.UserActions, outbox.WithObserver(rec.observe), outbox.WithBackoff(base, time.Second))
	ctx := context.Background()
	var keys []string
	for i := range 60 {
		a := action(srv, srv.SetID, i)
		keys = append(keys, client.OuterActionID(a))
		if err := ob.Enqueue(ctx, a); err != nil {
			t.Fatal(err)
		}
	}
	st := flush(t, ob)
	if st.Sent != 60 || st.Dead != 0 {
		t.Fatalf("stats %+v, want 60 sent, none dead", st)
	}
	got := stored(t, srv.Client(), srv.SetID)
	for _, k := range keys {
		if got[k] != 1 {
			t.Errorf("%s stored %d times, want 1", k, got[k])
		}
	}
	if len(got) != 60 {
		t.Errorf("server holds %d actions, want 60", len(got))
	}
	if n := reportedRaw(t, srv.Client(), srv.SetID); n != 60 {
		t.Errorf("report counts %d, want 60 (the batch whose answer was lost must count once)", n)
	}
	retries := rec.of(outbox.Retrying)
	if len(retries) != 5 {
		t.Fatalf("%d Retrying events, want 5: %+v", len(retries), retries)
	}
	for i, e := range retries {
		ceil := base << i
		if e.Attempt != i+1 || e.Delay < ceil/2 || e.Delay > ceil || e.Err == nil {
			t.Errorf("retry %d: attempt %d delay %v err %v; want attempt %d, delay in [%v, %v]",
				i, e.Attempt, e.Delay, e.Err, i+1, ceil/2, ceil)
		}
	}
	if retries[1].Code != -1 || retries[4].Code != 45009 {
		t.Errorf("retry codes %d and %d, want -1 and 45009", retries[1].Code, retries[4].Code)
	}
	if f.sent < 7 {
		t.Errorf("%d requests reached the route, want at least 5 faulted + 2 delivering", f.sent)
	}
}

// A request refused as a whole for its content (45002, body too large) is
// split into single-action requests; the one refused alone is dead, the
// others are delivered, and none is held up.
func TestWholeRequestRefusalIsolated(t *testing.T) {
	srv := wxadstest.NewServer(t)
	tooLarge := fault{status: 200, body: `{"errcode":45002,"errmsg":"content size out of limit"}`}
	c, _ := faultyClient(srv, tooLarge, tooLarge)
	var rec recorder
	ob, err := outbox.Open(t.TempDir(), c.UserActions, fastRetry, outbox.WithObserver(rec.observe))
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	ids, err := ob.EnqueueIDs(ctx, action(srv, srv.SetID, 1), action(srv, srv.SetID, 2), action(srv, srv.SetID, 3))
	if err != nil {
		t.Fatal(err)
	}
	runOutbox(t, ob) // after the Enqueue, so the three go in one request
	st := flush(t, ob)
	if st.Sent != 2 || st.Dead != 1 {
		t.Fatalf("stats %+v, want 2 sent and 1 dead", st)
	}
	dead, _ := ob.DeadLetters(ctx, 10)
	if len(dead) != 1 || dead[0].ID != ids[0] || dead[0].Code != 45002 {
		t.Fatalf("dead letters %+v, want the first action with 45002", dead)
	}
	if n := rec.count(outbox.Retrying); n != 0 {
		t.Fatalf("%d Retrying events; a content refusal is not retried", n)
	}
}
