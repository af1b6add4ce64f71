package outbox

import (
	"context"
	"errors"
	"math/rand/v2"
	"time"

	"github.com/wxads/wxads/client"
)

// Run is the sender: it delivers pending actions oldest first, in requests
// of up to 50 with partial_failure=true, until ctx ends or Close is called
// (then it returns nil). It never gives up on a request that failed as a
// whole for a reason the platform may get over — a network error, -1, 5xx,
// a quota, or credentials or a whitelist an operator can fix — it waits
// with capped exponential backoff and sends the same actions again. Each
// action an answer refuses for its content is dead-lettered; the others are
// marked sent only after the platform acknowledged them.
func (o *Outbox) Run(ctx context.Context) error {
	o.mu.Lock()
	if o.closed {
		o.mu.Unlock()
		return ErrClosed
	}
	if o.runDone != nil {
		o.mu.Unlock()
		return errors.New("outbox: Run is already running on this Outbox")
	}
	done := make(chan struct{})
	o.runDone = done
	o.mu.Unlock()
	defer func() {
		o.mu.Lock()
		o.runDone = nil
		o.mu.Unlock()
		close(done)
	}()

	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	go func() {
		select {
		case <-o.closing:
			cancel()
		case <-ctx.Done():
		}
	}()

	var st sendState
	var lastPrune time.Time
	for {
		if err := ctx.Err(); err != nil {
			if o.isClosed() {
				return nil
			}
			return err
		}
		if o.cfg.retention > 0 && o.cfg.now().Sub(lastPrune) >= o.cfg.poll {
			lastPrune = o.cfg.now()
			if _, err := o.Prune(ctx, o.cfg.retention); err != nil && ctx.Err() == nil {
				o.cfg.logger.Warn("outbox: prune failed", "err", err)
			}
		}
		batch, err := o.next(ctx, st.limit(o.cfg.batchSize))
		if err != nil {
			if ctx.Err() == nil {
				st.failures++
				o.cfg.logger.Error("outbox: reading pending actions failed", "err", err)
				sleep(ctx, o.backoff(st.failures))
			}
			continue
		}
		if len(batch) == 0 {
			o.idle(ctx)
			continue
		}
		if d := o.deliver(ctx, batch, &st); d > 0 {
			sleep(ctx, d)
		}
	}
}

// sendState is what the sender remembers between requests.
type sendState struct {
	failures int   // consecutive failed requests, for the backoff
	isolate  int64 // send one action per request up to this id
}

// limit shrinks batches to one action while isolating the action that made
// a whole request fail, so one bad action cannot hold the queue.
func (s *sendState) limit(n int) int {
	if s.isolate > 0 {
		return 1
	}
	return n
}

func (o *Outbox) idle(ctx context.Context) {
	t := time.NewTimer(o.cfg.poll)
	defer t.Stop()
	select {
	case <-o.wake:
	case <-t.C:
	case <-ctx.Done():
	}
}

func sleep(ctx context.Context, d time.Duration) {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
	case <-ctx.Done():
	}
}

// backoff is the wait after the n-th consecutive failure: base·2ⁿ⁻¹ capped,
// jittered uniformly over its upper half so a fleet restarting together
// does not retry in step.
func (o *Outbox) backoff(n int) time.Duration {
	d := o.cfg.backoffMax
	if n <= 30 {
		if b := o.cfg.backoffBase << (n - 1); b > 0 && b < d {
			d = b
		}
	}
	return d/2 + rand.N(d/2+1)
}

// deliver sends one batch and records the answer; it returns how long to
// wait before the next request.
func (o *Outbox) deliver(ctx context.Context, batch []item, st *sendState) time.Duration {
	if st.isolate > 0 && batch[len(batch)-1].id >= st.isolate {
		st.isolate = 0
	}
	actions := make([]client.UserAction, len(batch))
	for i, it := range batch {
		actions[i] = it.action
	}
	if err := o.noteAttempt(ctx, batch); err != nil {
		if ctx.Err() != nil {
			return 0
		}
		return o.retryLater(ctx, batch, st, err)
	}
	res, err := o.sender.AddBatch(ctx, actions, client.AddOptions{PartialFailure: true})
	if err != nil {
		if ctx.Err() != nil {
			return 0 // Close or cancel: the batch stays pending
		}
		var ae *client.APIError
		if errors.As(err, &ae) && permanent(ae) {
			if len(batch) > 1 {
				st.isolate = batch[len(batch)-1].id
				o.cfg.logger.Warn("outbox: request refused for its content; resending its actions one by one",
					"errcode", ae.Code, "errmsg", ae.Message, "actions", len(batch))
				return 0
			}
			res = &client.BatchResult{Failed: []client.Failure{{Index: 0, Err: ae}}}
		} else {
			return o.retryLater(ctx, batch, st, err)
		}
	}
	retry, err := o.record(ctx, batch, res)
	if err != nil {
		// The platform has the actions; they stay pending here and a resend
		// is deduplicated upstream by outer_action_id.
		return o.retryLater(ctx, batch, st, err)
	}
	if retry {
		st.failures++
		return o.backoff(st.failures)
	}
	st.failures = 0
	return 0
}

// retryLater notes a failed request on its actions and picks the wait.
func (o *Outbox) retryLater(ctx context.Context, batch []item, st *sendState, cause error) time.Duration {
	st.failures++
	delay := o.backoff(st.failures)
	ev := Event{Kind: Retrying, At: o.cfg.now(), Err: cause, Attempt: st.failures, Delay: delay, Batch: len(batch)}
	var ae *client.APIError
	if errors.As(cause, &ae) {
		ev.Code, ev.Message, ev.RequestID = ae.Code, ae.Message, ae.RequestID
	}
	if err := o.noteFailure(ctx, batch, ev.Code, cause.Error()); err != nil && ctx.Err() == nil {
		o.cfg.logger.Error("outbox: recording a failed request", "err", err)
	}
	o.cfg.logger.Warn("outbox: request failed; will resend", "err", cause, "attempt", st.failures,
		"delay", delay, "actions", len(batch), "retryable", client.Retryable(cause))
	o.emit(ev)
	return delay
}

// permanent is a refusal caused by what the request carried (a format or
// ownership error, a body too large), as opposed to the account,
// credentials or platform: resending the same bytes can never succeed, so
// the action is dead-lettered (a whole request so refused is first split
// to find the culprit). It is decided here rather than by client.Retryable,
// which counts the whole 30000 range, 31011 included, as retryable.
func permanent(ae *client.APIError) bool {
	if ae.HTTPStatus >= 500 {
		return false
	}
	switch c := ae.Code; {
	case c >= 18000 && c < 19000, c >= 31000 && c < 32000:
		return true
	case c == 44002, c == 45002, c == 47001: // empty body, body too large, bad JSON
		return true
	}
	return false
}
