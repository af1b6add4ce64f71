package outbox

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/wxads/wxads/client"
)

// Stats are the outbox's counts. OldestPending is the enqueue time of the
// oldest pending action (zero when none): now minus it is the delivery lag.
type Stats struct {
	Pending, Sent, Dead int64
	OldestPending       time.Time
}

// Stats counts the actions in each state.
func (o *Outbox) Stats(ctx context.Context) (Stats, error) {
	var s Stats
	if o.isClosed() {
		return s, ErrClosed
	}
	rows, err := o.db.QueryContext(ctx, `SELECT state, COUNT(*) FROM actions GROUP BY state`)
	if err != nil {
		return s, fmt.Errorf("outbox: stats: %w", err)
	}
	for rows.Next() {
		var state State
		var n int64
		if err := rows.Scan(&state, &n); err != nil {
			rows.Close()
			return s, fmt.Errorf("outbox: stats: %w", err)
		}
		switch state {
		case Pending:
			s.Pending = n
		case Sent:
			s.Sent = n
		case Dead:
			s.Dead = n
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return s, fmt.Errorf("outbox: stats: %w", err)
	}
	var oldest sql.NullInt64
	if err := o.db.QueryRowContext(ctx, `SELECT enqueued_at FROM actions WHERE state = ? ORDER BY id LIMIT 1`,
		Pending).Scan(&oldest); err != nil && !errors.Is(err, sql.ErrNoRows) {
		return s, fmt.Errorf("outbox: stats: %w", err)
	}
	if oldest.Valid {
		s.OldestPending = time.UnixMilli(oldest.Int64)
	}
	return s, nil
}

// Entry is one action in the outbox with its delivery state.
type Entry struct {
	ID         int64
	State      State
	Action     client.UserAction
	EnqueuedAt time.Time
	DoneAt     time.Time // when it became sent or dead; zero while pending
	Attempts   int       // requests that carried it
	RequestID  string    // upstream X-Request-Id: of the acknowledgement (sent) or refusal (dead)
	Code       int       // dead: the platform's errcode; pending: the last failure's, if any
	Message    string    // the errmsg that goes with Code
}

// Query selects entries in id (enqueue) order. Zero fields do not filter;
// Limit defaults to 100.
type Query struct {
	State   State
	SetID   int64
	AfterID int64 // for paging: the last ID of the previous page
	Limit   int
}

// ErrNotFound is returned by Lookup for an action the outbox does not hold.
var ErrNotFound = errors.New("outbox: no such action")

const entryColumns = `id, state, body, enqueued_at, done_at, attempts, request_id, errcode, errmsg`

// Entries lists actions with their state, e.g. for a delivery view.
func (o *Outbox) Entries(ctx context.Context, q Query) ([]Entry, error) {
	if o.isClosed() {
		return nil, ErrClosed
	}
	if q.Limit <= 0 {
		q.Limit = 100
	}
	where, args := "id > ?", []any{q.AfterID}
	if q.State != 0 {
		where, args = where+" AND state = ?", append(args, q.State)
	}
	if q.SetID != 0 {
		where, args = where+" AND set_id = ?", append(args, q.SetID)
	}
	rows, err := o.db.QueryContext(ctx, `SELECT `+entryColumns+` FROM actions WHERE `+where+
		` ORDER BY id LIMIT ?`, append(args, q.Limit)...)
	if err != nil {
		return nil, fmt.Errorf("outbox: entries: %w", err)
	}
	defer rows.Close()
	var out []Entry
	for rows.Next() {
		e, err := scanEntry(rows)
		if err != nil {
			return nil, fmt.Errorf("outbox: entries: %w", err)
		}
		out = append(out, e)
	}
	return out, rows.Err()
}

// Lookup finds an action by the platform's dedup key.
func (o *Outbox) Lookup(ctx context.Context, setID int64, outerActionID string) (Entry, error) {
	if o.isClosed() {
		return Entry{}, ErrClosed
	}
	row := o.db.QueryRowContext(ctx, `SELECT `+entryColumns+` FROM actions
		WHERE set_id = ? AND outer_action_id = ?`, setID, outerActionID)
	e, err := scanEntry(row)
	if errors.Is(err, sql.ErrNoRows) {
		return e, fmt.Errorf("%w: set %d outer_action_id %q", ErrNotFound, setID, outerActionID)
	}
	return e, err
}

// DeadLetters lists up to limit dead actions, oldest first, with the
// errcode and errmsg that refused them.
func (o *Outbox) DeadLetters(ctx context.Context, limit int) ([]Entry, error) {
	return o.Entries(ctx, Query{State: Dead, Limit: limit})
}

func scanEntry(row interface{ Scan(...any) error }) (Entry, error) {
	var e Entry
	var body []byte
	var enq int64
	var done sql.NullInt64
	if err := row.Scan(&e.ID, &e.State, &body, &enq, &done, &e.Attempts, &e.RequestID, &e.Code, &e.Message); err != nil {
		return e, err
	}
	e.EnqueuedAt = time.UnixMilli(enq)
	if done.Valid {
		e.DoneAt = time.UnixMilli(done.Int64)
	}
	if err := decodeAction(body, &e.Action); err != nil {
		return e, fmt.Errorf("action %d: stored body unreadable: %w", e.ID, err)
	}
	return e, nil
}
