package sqlite

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"time"

	"github.com/wxads/wxads"
	"github.com/wxads/wxads/metrics"
)

// maxGroup bounds how many actions one group commit holds.
const maxGroup = 4096

// ErrClosed is returned for ingests that arrive after Close.
var ErrClosed = errors.New("sqlite: database closed")

// committer is the group commit: concurrent Ingest calls queue their batches,
// one goroutine writes everything queued in one transaction with one fsync,
// and every caller learns the outcome of the transaction that held its batch.
type committer struct {
	db   *DB
	reqs chan *ingestReq

	mu     sync.RWMutex // guards closed against sends on a closed channel
	closed bool
	done   chan struct{}

	metrics atomic.Pointer[metrics.Registry] // nil: none (SetMetrics)
}

type ingestReq struct {
	accountID int64
	actions   []wxads.Action
	res       wxads.IngestResult
	err       error
	done      chan struct{}
	queued    time.Time
}

func newCommitter(db *DB) *committer {
	c := &committer{db: db, reqs: make(chan *ingestReq, 256), done: make(chan struct{})}
	go c.run()
	return c
}

// submit queues a batch and waits for its commit. If ctx ends first the
// caller stops waiting, but the batch may still commit.
func (c *committer) submit(ctx context.Context, r *ingestReq) error {
	c.mu.RLock()
	if c.closed {
		c.mu.RUnlock()
		return ErrClosed
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

func (c *committer) isClosed() bool {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return c.closed
}

func (c *committer) close() {
	c.mu.Lock()
	if !c.closed {
		c.closed = true
		close(c.reqs)
	}
	c.mu.Unlock()
	<-c.done
}

func (c *committer) run() {
	defer close(c.done)
	for r := range c.reqs {
		group := []*ingestReq{r}
		n := len(r.actions)
	fill:
		for n < maxGroup {
			select {
			case more, ok := <-c.reqs:
				if !ok {
					break fill
				}
				group = append(group, more)
				n += len(more.actions)
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
		err := c.db.commitGroup(group)
		var stored, duplicates int
		for _, r := range group {
			stored, duplicates = stored+r.res.Accepted, duplicates+r.res.Duplicates
		}
		m.GroupCommitted(time.Since(began), stored, duplicates, err)
		for _, r := range group {
			if err != nil {
				r.err, r.res = err, wxads.IngestResult{}
			}
			close(r.done)
		}
	}
}
