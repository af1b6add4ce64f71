// Package groupcommit is the group commit every storage backend runs for
// conversion upload: concurrent Ingest calls queue their batches, one
// goroutine hands everything queued to the backend's write function as one
// group (one transaction, one fsync), and every caller learns the outcome of
// the group that held its batch. The backends differ only in how a group is
// written; the queueing, the closing and the metrics live here once.
package groupcommit

import (
	"context"
	"sync"
	"sync/atomic"
	"time"

	"github.com/wxads/wxads"
	"github.com/wxads/wxads/metrics"
)

// MaxGroup bounds how many actions one group holds.
const MaxGroup = 4096

// Request is one caller's batch. Write sets Res for each request of a group
// it commits; a failed group fails every request in it.
type Request struct {
	AccountID int64
	Actions   []wxads.Action
	Res       wxads.IngestResult

	err    error
	done   chan struct{}
	queued time.Time
}

// NewRequest makes the request for one Ingest call.
func NewRequest(accountID int64, actions []wxads.Action) *Request {
	return &Request{AccountID: accountID, Actions: actions, done: make(chan struct{})}
}

// Committer runs the group commit over a backend's write function.
type Committer struct {
	write     func(group []*Request) error
	errClosed error
	reqs      chan *Request

	// Pipelined committers only (NewPipelined): committed groups wait in
	// synced for the next sync; broken holds the error of a failed sync.
	sync   func() error
	synced chan []*Request
	broken atomic.Pointer[error]

	mu     sync.RWMutex // guards closed against sends on a closed channel
	closed bool
	done   chan struct{}

	metrics atomic.Pointer[metrics.Registry] // nil: none (SetMetrics)
}

// New starts a committer; errClosed is what Submit answers after Close.
func New(write func(group []*Request) error, errClosed error) *Committer {
	c := &Committer{write: write, errClosed: errClosed, reqs: make(chan *Request, 256), done: make(chan struct{})}
	go c.run()
	return c
}

// NewPipelined is New with the disk sync apart from the commit: write
// commits a group without waiting for the disk, sync makes everything
// committed so far durable. While one sync runs the committer writes the
// next group, then waits for that sync before it writes another: one
// group is written while one is synced, never more, so batches queue into
// large groups instead of many small commits sharing a sync (on a
// CPU-bound machine small commits cost more than the overlap saves). A
// caller still learns its outcome only once its batch is durable.
//
// A failed sync fails the groups it covered and every later Submit: after
// a failed fsync the kernel may have dropped the dirty pages and marked
// them clean, so a later "successful" sync proves nothing. The backend
// must be reopened (which recovers from its log).
func NewPipelined(write func(group []*Request) error, sync func() error, errClosed error) *Committer {
	c := &Committer{write: write, sync: sync, errClosed: errClosed, reqs: make(chan *Request, 256),
		synced: make(chan []*Request), done: make(chan struct{})}
	go c.run()
	go c.syncLoop()
	return c
}

// SetMetrics makes the committer report group sizes, waits and outcomes.
func (c *Committer) SetMetrics(m *metrics.Registry) { c.metrics.Store(m) }

// Submit queues a batch and waits for its commit. If ctx ends first the
// caller stops waiting, but the batch may still commit.
func (c *Committer) Submit(ctx context.Context, r *Request) error {
	if err := c.broken.Load(); err != nil {
		return *err
	}
	c.mu.RLock()
	if c.closed {
		c.mu.RUnlock()
		return c.errClosed
	}
	r.queued = time.Now()
	select {
	case c.reqs <- r:
	case <-ctx.Done():
		c.mu.RUnlock()
		return ctx.Err()
	}
	c.mu.RUnlock()
	select {
	case <-r.done:
		return r.err
	case <-ctx.Done():
		return ctx.Err()
	}
}

// Closed reports whether Close was called.
func (c *Committer) Closed() bool {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return c.closed
}

// Close stops accepting batches and returns once every queued one is written.
func (c *Committer) Close() {
	c.mu.Lock()
	if !c.closed {
		c.closed = true
		close(c.reqs)
	}
	c.mu.Unlock()
	<-c.done
}

func (c *Committer) run() {
	if c.sync == nil {
		defer close(c.done)
	} else {
		defer close(c.synced) // syncLoop closes done once it has drained
	}
	for r := range c.reqs {
		group := []*Request{r}
		n := len(r.Actions)
	fill:
		for n < MaxGroup {
			select {
			case more, ok := <-c.reqs:
				if !ok {
					break fill
				}
				group = append(group, more)
				n += len(more.Actions)
			default:
				break fill
			}
		}
		m := c.metrics.Load()
		m.GroupBegan(n, len(c.reqs))
		began := time.Now()
		for _, r := range group {
			m.Waited(began.Sub(r.queued))
		}
		err := c.write(group)
		var stored, duplicates int
		for _, r := range group {
			stored, duplicates = stored+r.Res.Accepted, duplicates+r.Res.Duplicates
		}
		m.GroupCommitted(time.Since(began), stored, duplicates, err)
		if c.sync != nil && err == nil {
			c.synced <- group
			continue
		}
		finish(group, err)
	}
}

// syncLoop makes committed groups durable: one sync for every group
// committed since the last one began.
func (c *Committer) syncLoop() {
	defer close(c.done)
	for group := range c.synced {
		groups := [][]*Request{group}
	drain:
		for {
			select {
			case more, ok := <-c.synced:
				if !ok {
					break drain
				}
				groups = append(groups, more)
			default:
				break drain
			}
		}
		var err error
		if broken := c.broken.Load(); broken != nil {
			err = *broken
		} else if err = c.sync(); err != nil {
			c.broken.Store(&err)
		}
		for _, g := range groups {
			finish(g, err)
		}
	}
}

// finish tells a group's callers its outcome.
func finish(group []*Request, err error) {
	for _, r := range group {
		if err != nil {
			r.err, r.Res = err, wxads.IngestResult{}
		}
		close(r.done)
	}
}
