package wxads

import (
	"context"
	"time"
)

// Delivery states of a relayed action (SPEC §12).
const (
	DeliveryPending   = "pending"
	DeliveryDelivered = "delivered"
	DeliveryDead      = "dead"
)

// Delivery is where a stored action stands on its way to the upstream
// platform when the server relays.
type Delivery struct {
	ID            int64  // the relay's sequence number, for paging
	SetID         int64  // the local data source
	OuterActionID string // the dedup key it was sent upstream with
	State         string
	Attempts      int
	RequestID     string // upstream request id of the acknowledgement (delivered) or refusal (dead)
	Errcode       int    // dead: the upstream's refusal; pending: the last failure's, if any
	Errmsg        string
	EnqueuedTime  time.Time
	DoneTime      time.Time // zero while pending
}

// DeliveryStats sum up a relay's queue; OldestPending is zero when nothing waits.
type DeliveryStats struct {
	Pending, Delivered, Dead int64
	OldestPending            time.Time
}

// Forwarder takes every stored upload on to another platform (the relay).
// Forward returns once the actions are durable on its side: the server
// acknowledges the upload only then.
type Forwarder interface {
	Forward(ctx context.Context, accountID int64, actions []Action) error
	// Deliveries lists a set's actions after the one with id afterID.
	Deliveries(ctx context.Context, setID, afterID int64, limit int) ([]Delivery, error)
	DeliveryStats(ctx context.Context) (DeliveryStats, error)
	// ReplayDead makes every dead action pending again; it returns how many.
	ReplayDead(ctx context.Context) (int, error)
}

// DeliveryLookup is what a Forwarder may also offer: one action's delivery,
// found by its dedup key. The request inspector joins it in when a request
// is read, never on the upload path. ErrNotFound: the forwarder has no such action.
type DeliveryLookup interface {
	LookupDelivery(ctx context.Context, setID int64, outerActionID string) (Delivery, error)
}
