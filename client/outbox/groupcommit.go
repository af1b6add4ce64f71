package outbox

import (
	"context"
	"fmt"
	"time"

	"github.com/wxads/wxads/client"
)

// maxGroup bounds how many actions one group commit holds.
const maxGroup = 2000

// enqueueReq is one Enqueue call waiting for the transaction that holds it.
type enqueueReq struct {
	actions []client.UserAction
	bodies  [][]byte
	now     time.Time
	ids     []int64
	fresh   []bool
	err     error
	done    chan struct{}
}

// submit hands r to the group committer and waits for its commit. Many
// concurrent Enqueue calls then share one transaction and one fsync
// instead of queueing for one each. If ctx ends first the caller stops
// waiting, but r may still commit: enqueueing it again is harmless (the
// same key is not stored twice).
func (o *Outbox) submit(ctx context.Context, r *enqueueReq) error {
	o.submitMu.RLock()
	if o.submitClosed {
		o.submitMu.RUnlock()
		return ErrClosed
	}
	select {
	case o.reqs <- r:
	case <-ctx.Done():
		o.submitMu.RUnlock()
		return ctx.Err()
	}
	o.submitMu.RUnlock()
	select {
	case <-r.done:
		return r.err
	case <-ctx.Done():
		return ctx.Err()
	}
}

// commitLoop is the group committer: it takes every request queued behind
// the first (up to maxGroup actions), writes them in one transaction, and
// tells each the outcome. It runs until Close closes the queue.
func (o *Outbox) commitLoop() {
	defer close(o.commitDone)
	for r := range o.reqs {
		group, n := []*enqueueReq{r}, len(r.actions)
	more:
		for n < maxGroup {
			select {
			case r2, ok := <-o.reqs:
				if !ok {
					break more
				}
				group, n = append(group, r2), n+len(r2.actions)
			default:
				break more
			}
		}
		err := o.commitGroup(group)
		for _, r := range group {
			if err != nil {
				r.err = err
			}
			close(r.done)
		}
	}
}

// commitGroup runs without any caller's context: one caller giving up must
// not roll back the others.
func (o *Outbox) commitGroup(group []*enqueueReq) error {
	ctx := context.Background()
	tx, err := o.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("outbox: enqueue: %w", err)
	}
	defer tx.Rollback()
	for _, r := range group {
		if err := insert(ctx, tx, r); err != nil {
			return err
		}
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("outbox: enqueue: commit: %w", err)
	}
	return nil
}

// stopCommitter lets queued Enqueue calls finish, then stops the committer.
func (o *Outbox) stopCommitter() {
	o.submitMu.Lock()
	if !o.submitClosed {
		o.submitClosed = true
		close(o.reqs)
	}
	o.submitMu.Unlock()
	<-o.commitDone
}
