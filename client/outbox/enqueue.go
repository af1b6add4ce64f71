package outbox

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/wxads/wxads/client"
)

// Enqueue stores actions for delivery and returns once they are committed
// to local disk (fsynced): from then on they survive a crash of the process
// or the machine. It validates them offline first with the platform's own
// rules and refuses the whole call, storing nothing, if any is invalid —
// the queue never holds what the platform would refuse for its format.
//
// An empty OuterActionID is filled with client.OuterActionID(a), computed on
// the action as given, and an absent ActionTime with the enqueue time (the
// platform would otherwise stamp the delivery time). An action whose
// (set, outer_action_id) the outbox already holds is not stored again,
// unless it is dead: then it is replaced and pending again.
func (o *Outbox) Enqueue(ctx context.Context, actions ...client.UserAction) error {
	_, err := o.EnqueueIDs(ctx, actions...)
	return err
}

// EnqueueIDs is Enqueue returning each action's outbox id, in order (an
// action already held gets the existing id).
func (o *Outbox) EnqueueIDs(ctx context.Context, actions ...client.UserAction) ([]int64, error) {
	if len(actions) == 0 {
		return nil, nil
	}
	if o.isClosed() {
		return nil, ErrClosed
	}
	if err := client.Validate(actions); err != nil {
		return nil, fmt.Errorf("outbox: nothing enqueued, an action is invalid: %w", err)
	}
	now := o.cfg.now()
	prepared := make([]client.UserAction, len(actions))
	bodies := make([][]byte, len(actions))
	for i, a := range actions {
		if a.OuterActionID == "" {
			a.OuterActionID = client.OuterActionID(a)
		}
		if a.ActionTime == 0 {
			a.ActionTime = now.Unix()
		}
		body, err := json.Marshal(a)
		if err != nil {
			return nil, fmt.Errorf("outbox: actions[%d]: %w", i, err)
		}
		prepared[i], bodies[i] = a, body
	}
	r := &enqueueReq{actions: prepared, bodies: bodies, now: now, done: make(chan struct{})}
	if err := o.submit(ctx, r); err != nil {
		return nil, err
	}
	o.signal()
	for i, a := range prepared {
		if r.fresh[i] {
			o.emit(Event{Kind: Enqueued, ID: r.ids[i], SetID: a.UserActionSetID, OuterActionID: a.OuterActionID,
				EnqueuedAt: now, At: now})
		}
	}
	return r.ids, nil
}

// insert writes one call's actions inside the group's transaction;
// fresh[i] is false for an action the outbox already held pending or sent.
func insert(ctx context.Context, tx *sql.Tx, r *enqueueReq) error {
	actions, bodies := r.actions, r.bodies
	r.ids, r.fresh = make([]int64, len(actions)), make([]bool, len(actions))
	ids, fresh := r.ids, r.fresh
	ms := r.now.UnixMilli()
	for i, a := range actions {
		var id int64
		var state State
		err := tx.QueryRowContext(ctx, `SELECT id, state FROM actions WHERE set_id = ? AND outer_action_id = ?`,
			a.UserActionSetID, a.OuterActionID).Scan(&id, &state)
		switch {
		case errors.Is(err, sql.ErrNoRows):
			err = tx.QueryRowContext(ctx, `INSERT INTO actions (state, set_id, outer_action_id, body, enqueued_at)
				VALUES (?, ?, ?, ?, ?) RETURNING id`, Pending, a.UserActionSetID, a.OuterActionID, bodies[i], ms).Scan(&id)
			fresh[i] = true
		case err == nil && state == Dead:
			_, err = tx.ExecContext(ctx, `UPDATE actions SET state = ?, body = ?, enqueued_at = ?, attempts = 0,
				done_at = NULL, request_id = '', errcode = 0, errmsg = '' WHERE id = ?`, Pending, bodies[i], ms, id)
			fresh[i] = true
		}
		if err != nil {
			return fmt.Errorf("outbox: enqueue: %w", err)
		}
		ids[i] = id
	}
	return nil
}
