package server

import (
	"context"
	"io"
	"log/slog"
	"sync"
	"testing"
	"time"

	"github.com/wxads/wxads"
)

// stuckStore is an InspectorStore whose writes wait until released.
type stuckStore struct {
	wxads.InspectorStore
	release chan struct{}
	mu      sync.Mutex
	stored  int
}

func (s *stuckStore) AddRequests(ctx context.Context, recs []wxads.RequestRecord) error {
	<-s.release
	s.mu.Lock()
	s.stored += len(recs)
	s.mu.Unlock()
	return nil
}

// TestInspectorNeverBlocks: with the writer stuck, submit keeps returning,
// and what does not fit the queue is dropped and counted, not waited for.
func TestInspectorNeverBlocks(t *testing.T) {
	store := &stuckStore{release: make(chan struct{})}
	s := &Server{cfg: Config{Clock: wxads.SystemClock{}}, log: slog.New(slog.NewTextHandler(io.Discard, nil))}
	s.inspector = newInspector(s, store)
	const n = inspectorQueue + inspectorBatch + 500
	for range n {
		s.inspector.submit(&record{accountID: 1, route: "/marketing/user_action_sets/get", at: time.Now()})
	}
	st := s.InspectorStats()
	if st.Dropped == 0 || st.Dropped > 500+inspectorBatch {
		t.Errorf("dropped %d of %d with the writer stuck; want some, at most %d", st.Dropped, n, 500+inspectorBatch)
	}
	close(store.release)
	s.Close()
	if got := s.InspectorStats(); int64(store.stored) != got.Written || got.Written+got.Dropped != n {
		t.Errorf("after close: stats %+v, store holds %d; want written + dropped = %d", got, store.stored, n)
	}
}

// TestInspectorMemoryBound: bodies beyond the memory bound are dropped
// even when the queue has room.
func TestInspectorMemoryBound(t *testing.T) {
	store := &stuckStore{release: make(chan struct{})}
	s := &Server{cfg: Config{Clock: wxads.SystemClock{}}, log: slog.New(slog.NewTextHandler(io.Discard, nil))}
	s.inspector = newInspector(s, store)
	body := make([]byte, 1<<20)
	for range 2 * inspectorMemory / len(body) {
		s.inspector.submit(&record{accountID: 1, route: "/cgi-bin/stable_token", body: body, at: time.Now()})
	}
	if d := s.InspectorStats().Dropped; d < inspectorMemory/int64(len(body)) {
		t.Errorf("dropped %d records of 1 MiB; want about half of %d", d, 2*inspectorMemory/len(body))
	}
	if m := s.inspector.memory.Load(); m > inspectorMemory {
		t.Errorf("%d bytes held, over the bound %d", m, inspectorMemory)
	}
	close(store.release)
	s.Close()
	if m := s.inspector.memory.Load(); m != 0 {
		t.Errorf("%d bytes still counted after everything was written", m)
	}
}

// TestSecretMention finds a secret parameter's name in any case, at any
// position, and nothing in a body without one.
func TestSecretMention(t *testing.T) {
	for body, want := range map[string]int{
		`{"actions":[{"source":"Biz","user_action_set_id":1}]}`: -1,
		`{"secret":"x"}`:             2,
		`{"a":1,"Access_Token":"x"}`: 8,
		`{"a":1,"SECRET":"x"}`:       8,
		`{"access_tok":"x"}`:         -1,
		`{"x":"…","sEcReT":1}`:       12, // "…" is 3 bytes
		`secret`:                     0,
		``:                           -1,
	} {
		if got := secretMention([]byte(body)); got != want {
			t.Errorf("secretMention(%s) = %d, want %d", body, got, want)
		}
	}
}
