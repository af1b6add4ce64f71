package groupcommit

import (
	"context"
	"errors"
	"sync"
	"testing"

	"github.com/wxads/wxads"
)

// Every caller gets its own result from the group that held its batch; a
// failed write fails every request of its group; after Close, Submit answers
// the backend's closed error and queued batches were all written.
func TestCommitter(t *testing.T) {
	boom := errors.New("boom")
	errClosed := errors.New("closed")
	var mu sync.Mutex
	written := 0
	c := New(func(group []*Request) error {
		for _, r := range group {
			if r.AccountID < 0 {
				return boom
			}
		}
		mu.Lock()
		defer mu.Unlock()
		for _, r := range group {
			r.Res.Accepted = len(r.Actions)
			written += len(r.Actions)
		}
		return nil
	}, errClosed)

	var wg sync.WaitGroup
	for i := 1; i <= 50; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r := NewRequest(int64(i), make([]wxads.Action, i))
			if err := c.Submit(context.Background(), r); err != nil || r.Res.Accepted != i {
				t.Errorf("request %d: %+v, %v", i, r.Res, err)
			}
		}()
	}
	wg.Wait()
	bad := NewRequest(-1, make([]wxads.Action, 3))
	if err := c.Submit(context.Background(), bad); !errors.Is(err, boom) || bad.Res.Accepted != 0 {
		t.Errorf("failing group: %+v, %v", bad.Res, err)
	}
	c.Close()
	c.Close() // twice is fine
	if err := c.Submit(context.Background(), NewRequest(1, nil)); err != errClosed {
		t.Errorf("after Close: %v", err)
	}
	if written != 50*51/2 {
		t.Errorf("written %d actions, want %d", written, 50*51/2)
	}
}

// A pipelined committer answers a caller only after a sync that began after
// its group was written; a failed sync fails the groups it covered and every
// later Submit; Close waits for the last sync.
func TestPipelined(t *testing.T) {
	var mu sync.Mutex
	written, synced := 0, 0 // actions written; actions written before the last sync began
	fail := errors.New("fsync: input/output error")
	failNext := false
	c := NewPipelined(func(group []*Request) error {
		mu.Lock()
		defer mu.Unlock()
		for _, r := range group {
			r.Res.Accepted = len(r.Actions)
			written += len(r.Actions)
		}
		return nil
	}, func() error {
		mu.Lock()
		defer mu.Unlock()
		if failNext {
			return fail
		}
		synced = written
		return nil
	}, errors.New("closed"))
	var wg sync.WaitGroup
	for i := 1; i <= 50; i++ {
		wg.Go(func() {
			r := NewRequest(int64(i), make([]wxads.Action, i))
			err := c.Submit(context.Background(), r)
			mu.Lock()
			defer mu.Unlock()
			if err != nil || r.Res.Accepted != i {
				t.Errorf("request %d: %+v, %v", i, r.Res, err)
			}
			if synced < i { // at least this request's own actions were synced
				t.Errorf("request %d answered before a sync covered it (synced %d)", i, synced)
			}
		})
	}
	wg.Wait()
	mu.Lock()
	failNext = true
	mu.Unlock()
	r := NewRequest(1, make([]wxads.Action, 2))
	if err := c.Submit(context.Background(), r); !errors.Is(err, fail) || r.Res.Accepted != 0 {
		t.Errorf("failed sync: %+v, %v; want %v and nothing accepted", r.Res, err, fail)
	}
	mu.Lock()
	failNext = false // a later sync would succeed, but proves nothing
	mu.Unlock()
	if err := c.Submit(context.Background(), NewRequest(1, make([]wxads.Action, 1))); !errors.Is(err, fail) {
		t.Errorf("after a failed sync: %v, want the sticky %v", err, fail)
	}
	c.Close()
}
