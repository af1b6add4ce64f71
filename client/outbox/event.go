package outbox

import (
	"fmt"
	"time"
)

// State is where an action is in the outbox.
type State int

const (
	Pending State = 1 // on disk, not yet acknowledged by the platform
	Sent    State = 2 // acknowledged (accepted, or a duplicate the platform already held)
	Dead    State = 3 // permanently refused; waits for Replay
)

func (s State) String() string {
	switch s {
	case Pending:
		return "pending"
	case Sent:
		return "sent"
	case Dead:
		return "dead"
	}
	return fmt.Sprintf("State(%d)", int(s))
}

// EventKind says what an Event reports.
type EventKind int

const (
	Enqueued  EventKind = iota + 1 // durably stored by Enqueue
	Delivered                      // acknowledged upstream; RequestID set
	Refused                        // dead-lettered; Code and Message set
	Replayed                       // moved from dead back to pending
	Retrying                       // a request failed as a whole; Err, Attempt, Delay and Batch set
)

func (k EventKind) String() string {
	switch k {
	case Enqueued:
		return "enqueued"
	case Delivered:
		return "delivered"
	case Refused:
		return "refused"
	case Replayed:
		return "replayed"
	case Retrying:
		return "retrying"
	}
	return fmt.Sprintf("EventKind(%d)", int(k))
}

// Event is one change the Outbox made, for a relay's delivery view and for
// metrics. Per-action kinds carry the action's identity; Retrying is one
// event per failed request and has ID zero.
type Event struct {
	Kind          EventKind
	ID            int64 // outbox id of the action
	SetID         int64
	OuterActionID string
	EnqueuedAt    time.Time
	At            time.Time // when this happened
	RequestID     string    // upstream X-Request-Id (Delivered, Refused, Retrying when known)
	Code          int       // platform errcode (Refused; Retrying when the platform answered)
	Message       string    // platform errmsg (Refused)

	Err     error         // Retrying: why the request failed
	Attempt int           // Retrying: consecutive failed requests so far
	Delay   time.Duration // Retrying: wait before the next one
	Batch   int           // Retrying: actions in the failed request
}

// Lag is how long the action waited between Enqueue and this event.
func (e Event) Lag() time.Duration {
	if e.EnqueuedAt.IsZero() {
		return 0
	}
	return e.At.Sub(e.EnqueuedAt)
}

func (o *Outbox) emit(e Event) {
	if o.cfg.observer != nil {
		o.cfg.observer(e)
	}
}
