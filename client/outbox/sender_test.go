package outbox_test

import (
	"context"
	"sync"
	"testing"

	"github.com/wxads/wxads/client"
	"github.com/wxads/wxads/client/outbox"
)

// scripted is a Sender (our own interface) answering from a script: the
// i-th request gets answers[i], later ones success.
type scripted struct {
	mu       sync.Mutex
	answers  []func(n int) (*client.BatchResult, error)
	requests [][]string // outer ids per request
	// whole counts requests sent without partial_failure, which the outbox
	// never may: one bad action would then refuse its neighbours too.
	whole int
}

func (s *scripted) AddBatch(_ context.Context, actions []client.UserAction, opt client.AddOptions) (*client.BatchResult, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	var ids []string
	for _, a := range actions {
		ids = append(ids, a.OuterActionID)
	}
	i := len(s.requests)
	s.requests = append(s.requests, ids)
	if !opt.PartialFailure {
		s.whole++
	}
	if i < len(s.answers) {
		return s.answers[i](len(actions))
	}
	return &client.BatchResult{Accepted: len(actions)}, nil
}

// An action refused alone with a retryable code (-1) stays pending and is
// sent again; its neighbours are sent once; nothing is dead.
func TestPerActionRetryable(t *testing.T) {
	s := &scripted{answers: []func(int) (*client.BatchResult, error){
		func(n int) (*client.BatchResult, error) {
			return &client.BatchResult{Accepted: n - 1, Failed: []client.Failure{
				{Index: 1, Err: &client.APIError{Code: -1, Message: "system error"}}}}, nil
		},
	}}
	var rec recorder
	ob, err := outbox.Open(t.TempDir(), s, fastRetry, outbox.WithObserver(rec.observe))
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if err := ob.Enqueue(ctx, withKey("a", 0), withKey("b", 1), withKey("c", 2)); err != nil {
		t.Fatal(err)
	}
	runOutbox(t, ob)
	st := flush(t, ob)
	if st.Sent != 3 || st.Dead != 0 {
		t.Fatalf("stats %+v, want 3 sent", st)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.whole != 0 {
		t.Errorf("%d requests sent without partial_failure", s.whole)
	}
	if len(s.requests) != 2 || len(s.requests[0]) != 3 || len(s.requests[1]) != 1 || s.requests[1][0] != "b" {
		t.Fatalf("requests %v, want [a b c] then [b]", s.requests)
	}
	e, _ := ob.Lookup(ctx, 1, "b")
	if e.Attempts != 2 || e.State != outbox.Sent {
		t.Fatalf("entry b %+v, want sent after 2 attempts", e)
	}
}

// withKey is a valid action with the given outer_action_id.
func withKey(key string, seq int) client.UserAction {
	return client.UserAction{UserActionSetID: 1, URL: "https://shop.example.com/", ActionTime: actionTime,
		ActionType: "REGISTER", OuterActionID: key,
		UserID:      client.UserID{WechatAppID: "wx0123456789abcdef", WechatOpenID: "o_test"},
		ActionParam: map[string]any{"source": "Web", "claim_type": 0, "value": seq}}
}
