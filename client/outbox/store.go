package outbox

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"time"

	"github.com/wxads/wxads/client"
)

// item is a pending action read for sending.
type item struct {
	id         int64
	enqueuedAt time.Time
	action     client.UserAction
}

// requestOverhead is the body around the actions: {"actions":[ … ]}.
const requestOverhead = 16

// next reads up to limit pending actions oldest first, stopping before the
// one that would take the request body past maxBodyBytes (the first always
// goes: one action is at most ~205 KB).
func (o *Outbox) next(ctx context.Context, limit int) ([]item, error) {
	rows, err := o.db.QueryContext(ctx, `SELECT id, body, enqueued_at FROM actions
		WHERE state = ? ORDER BY id LIMIT ?`, Pending, limit)
	if err != nil {
		return nil, err
	}
	var out []item
	var bad []Event
	size := requestOverhead
	for rows.Next() {
		var it item
		var body []byte
		var ms int64
		if err := rows.Scan(&it.id, &body, &ms); err != nil {
			rows.Close()
			return nil, err
		}
		size += len(body) + 1
		if len(out) > 0 && size > o.cfg.maxBodyBytes {
			break
		}
		it.enqueuedAt = time.UnixMilli(ms)
		if err := decodeAction(body, &it.action); err != nil {
			bad = append(bad, Event{Kind: Refused, ID: it.id, EnqueuedAt: it.enqueuedAt,
				Message: "outbox: stored action unreadable: " + err.Error()})
			continue
		}
		out = append(out, it)
	}
	rows.Close() // before any other statement: the pool has one connection
	if err := rows.Err(); err != nil {
		return nil, err
	}
	return out, o.buryUnreadable(ctx, bad)
}

// buryUnreadable dead-letters rows whose body no longer decodes (a damaged
// disk, or a field a newer build wrote): they could block the queue forever.
func (o *Outbox) buryUnreadable(ctx context.Context, bad []Event) error {
	for _, ev := range bad {
		ev.At = o.cfg.now()
		if _, err := o.db.ExecContext(ctx, `UPDATE actions SET state = ?, done_at = ?, errcode = 0, errmsg = ?
			WHERE id = ? AND state = ?`, Dead, ev.At.UnixMilli(), ev.Message, ev.ID, Pending); err != nil {
			return err
		}
		o.cfg.logger.Error("outbox: dead-lettered an unreadable action", "id", ev.ID, "err", ev.Message)
		o.emit(ev)
	}
	if len(bad) > 0 {
		o.progressed()
	}
	return nil
}

// decodeAction keeps numbers as json.Number so an int64 in action_param
// goes out with every digit it came in with.
func decodeAction(body []byte, a *client.UserAction) error {
	d := json.NewDecoder(bytes.NewReader(body))
	d.UseNumber()
	return d.Decode(a)
}

// record applies a request's answer in one transaction: refused actions
// dead (or, for a retryable per-action code, still pending), the rest sent.
// It reports whether some action stays pending for a retryable reason.
func (o *Outbox) record(ctx context.Context, batch []item, res *client.BatchResult) (retry bool, err error) {
	failed := make(map[int]*client.APIError, len(res.Failed))
	for _, f := range res.Failed {
		if f.Index >= 0 && f.Index < len(batch) && f.Err != nil {
			failed[f.Index] = f.Err
		}
	}
	now := o.cfg.now()
	reqID := requestID(res)
	events := make([]Event, 0, len(batch))
	tx, err := o.db.BeginTx(ctx, nil)
	if err != nil {
		return false, err
	}
	defer tx.Rollback()
	var sent []item
	for i, it := range batch {
		ev := Event{ID: it.id, SetID: it.action.UserActionSetID, OuterActionID: it.action.OuterActionID,
			EnqueuedAt: it.enqueuedAt, At: now, RequestID: reqID}
		ae := failed[i]
		switch {
		case ae == nil:
			ev.Kind = Delivered
			sent = append(sent, it)
		case !permanent(ae) && client.Retryable(ae):
			retry = true
			_, err = tx.ExecContext(ctx, `UPDATE actions SET errcode = ?, errmsg = ?
				WHERE id = ? AND state = ?`, ae.Code, ae.Message, it.id, Pending)
		default:
			ev.Kind, ev.Code, ev.Message = Refused, ae.Code, ae.Message
			if ae.RequestID != "" {
				ev.RequestID = ae.RequestID
			}
			_, err = tx.ExecContext(ctx, `UPDATE actions SET state = ?, done_at = ?, request_id = ?,
				errcode = ?, errmsg = ? WHERE id = ? AND state = ?`,
				Dead, now.UnixMilli(), ev.RequestID, ae.Code, ae.Message, it.id, Pending)
		}
		if err != nil {
			return false, err
		}
		if ev.Kind != 0 {
			events = append(events, ev)
		}
	}
	if len(sent) > 0 { // the common case, in one statement
		_, err = tx.ExecContext(ctx, `UPDATE actions SET state = ?, done_at = ?, request_id = ?, errcode = 0, errmsg = ''
			WHERE state = ? AND id IN (`+placeholders(len(sent))+`)`,
			append([]any{Sent, now.UnixMilli(), reqID, Pending}, ids(sent)...)...)
		if err != nil {
			return false, err
		}
	}
	if err := tx.Commit(); err != nil {
		return false, err
	}
	for _, ev := range events {
		if ev.Kind == Refused {
			o.cfg.logger.Warn("outbox: action refused, dead-lettered", "id", ev.ID, "set", ev.SetID,
				"errcode", ev.Code, "errmsg", ev.Message, "request_id", ev.RequestID)
		}
		o.emit(ev)
	}
	o.progressed() // after the events: once Flush returns, observers have seen them
	return retry, nil
}

// noteAttempt counts a request on its actions before it is sent, so a
// request whose outcome a crash swallowed still shows (attempts > 1 on an
// action sent once more after the restart).
func (o *Outbox) noteAttempt(ctx context.Context, batch []item) error {
	_, err := o.db.ExecContext(ctx, `UPDATE actions SET attempts = attempts + 1
		WHERE id IN (`+placeholders(len(batch))+`)`, ids(batch)...)
	return err
}

// noteFailure keeps a failed request's error on its actions, so an
// operator asking why they are still pending sees it.
func (o *Outbox) noteFailure(ctx context.Context, batch []item, code int, msg string) error {
	_, err := o.db.ExecContext(ctx, `UPDATE actions SET errcode = ?, errmsg = ?
		WHERE state = ? AND id IN (`+placeholders(len(batch))+`)`, append([]any{code, msg, Pending}, ids(batch)...)...)
	return err
}

func ids(batch []item) []any {
	out := make([]any, len(batch))
	for i, it := range batch {
		out[i] = it.id
	}
	return out
}

func placeholders(n int) string {
	return strings.TrimSuffix(strings.Repeat("?,", n), ",")
}

// requestID is the upstream X-Request-Id of a successful answer.
func requestID(res *client.BatchResult) string {
	if res == nil {
		return ""
	}
	return res.RequestID
}
