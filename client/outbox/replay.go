package outbox

import (
	"context"
	"fmt"
	"time"
)

// Replay moves the given dead actions back to pending (ids that are not
// dead are ignored) and wakes the sender; it returns how many moved. Replay
// after fixing the cause — creating the data source, approving the account
// — or the actions die again with the same errcode.
func (o *Outbox) Replay(ctx context.Context, ids ...int64) (int, error) {
	if len(ids) == 0 {
		return 0, nil
	}
	args := make([]any, 0, len(ids)+3)
	args = append(args, Pending, Dead)
	for _, id := range ids {
		args = append(args, id)
	}
	return o.replay(ctx, `state = ? AND id IN (`+placeholders(len(ids))+`)`, args)
}

// ReplayAll moves every dead action back to pending.
func (o *Outbox) ReplayAll(ctx context.Context) (int, error) {
	return o.replay(ctx, `state = ?`, []any{Pending, Dead})
}

func (o *Outbox) replay(ctx context.Context, where string, args []any) (int, error) {
	if o.isClosed() {
		return 0, ErrClosed
	}
	rows, err := o.db.QueryContext(ctx, `UPDATE actions SET state = ?, done_at = NULL WHERE `+where+
		` RETURNING id, set_id, outer_action_id, enqueued_at`, args...)
	if err != nil {
		return 0, fmt.Errorf("outbox: replay: %w", err)
	}
	now := o.cfg.now()
	var events []Event
	for rows.Next() {
		ev := Event{Kind: Replayed, At: now}
		var enq int64
		if err := rows.Scan(&ev.ID, &ev.SetID, &ev.OuterActionID, &enq); err != nil {
			rows.Close()
			return 0, fmt.Errorf("outbox: replay: %w", err)
		}
		ev.EnqueuedAt = time.UnixMilli(enq)
		events = append(events, ev)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return 0, fmt.Errorf("outbox: replay: %w", err)
	}
	o.signal()
	for _, ev := range events {
		o.emit(ev)
	}
	return len(events), nil
}

// Flush waits until no action is pending — every one delivered or dead —
// or ctx ends. It does not send: Run must be running (elsewhere).
func (o *Outbox) Flush(ctx context.Context) error {
	for {
		changed := o.changedCh()
		st, err := o.Stats(ctx)
		if err != nil {
			return err
		}
		if st.Pending == 0 {
			return nil
		}
		t := time.NewTimer(o.cfg.poll)
		select {
		case <-changed:
		case <-t.C:
		case <-o.closing:
			t.Stop()
			return ErrClosed
		case <-ctx.Done():
			t.Stop()
			return ctx.Err()
		}
		t.Stop()
	}
}

// Prune deletes sent actions acknowledged more than olderThan ago, in
// chunks so Enqueue is never held up long, and returns how many went.
// Pending and dead actions are never pruned.
func (o *Outbox) Prune(ctx context.Context, olderThan time.Duration) (int64, error) {
	if o.isClosed() {
		return 0, ErrClosed
	}
	cutoff := o.cfg.now().Add(-olderThan).UnixMilli()
	var total int64
	for {
		// state = 2 (Sent) literally: a bound parameter would keep SQLite off
		// the partial index actions_sent_done.
		res, err := o.db.ExecContext(ctx, `DELETE FROM actions WHERE id IN (
			SELECT id FROM actions WHERE state = 2 AND done_at < ? LIMIT 1000)`, cutoff)
		if err != nil {
			return total, fmt.Errorf("outbox: prune: %w", err)
		}
		n, _ := res.RowsAffected()
		total += n
		if n < 1000 {
			return total, nil
		}
	}
}
