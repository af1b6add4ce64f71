// Package relay is the conversion gateway of SPEC §12: a server started
// with --upstream stores uploads as usual and hands each stored action to a
// Relay, which delivers it to the upstream platform's user_actions/add
// through the SDK's outbox (client/outbox): token handling, retries with
// backoff, outer_action_id dedup upstream, dead letters and replay.
//
// Guarantee: an action the server acknowledged is delivered upstream exactly
// once, or dead-lettered with the upstream's errcode.
package relay

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"

	"github.com/wxads/wxads"
	"github.com/wxads/wxads/client"
	"github.com/wxads/wxads/client/outbox"
)

// Config is what a Relay needs.
type Config struct {
	Dir         string // the outbox and the set mapping live here
	UpstreamURL string
	AppID       string
	Secret      string //nolint: never logged
	// Sets maps local data source ids to upstream ones; a local set not in
	// it (nor in the mapping persisted in Dir) gets an upstream set created
	// on first use, of the same type and name.
	Sets map[int64]int64
	// LocalSets reads the local sets to create their upstream twins.
	LocalSets wxads.ActionSetStore
	Logger    *slog.Logger

	ClientOptions []client.Option // e.g. client.WithHTTPClient, WithRetry
	OutboxOptions []outbox.Option // e.g. outbox.WithBackoff, WithObserver
}

// Relay forwards stored actions upstream; it implements wxads.Forwarder.
type Relay struct {
	cfg    Config
	client *client.Client
	box    *outbox.Outbox
	sets   *setMap
	cancel context.CancelFunc
	done   chan error
}

var (
	_ wxads.Forwarder      = (*Relay)(nil)
	_ wxads.DeliveryLookup = (*Relay)(nil)
)

// Open opens the relay's directory (locked while open) and starts delivery.
func Open(cfg Config) (*Relay, error) {
	if cfg.UpstreamURL == "" || cfg.AppID == "" || cfg.Secret == "" {
		return nil, errors.New("relay: the upstream URL, appid and secret are all needed (--upstream, --upstream-appid, --upstream-secret)")
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	c, err := client.New(cfg.AppID, cfg.Secret, append([]client.Option{client.WithBaseURL(cfg.UpstreamURL),
		client.WithLogger(cfg.Logger)}, cfg.ClientOptions...)...)
	if err != nil {
		return nil, fmt.Errorf("relay: %w", err)
	}
	sets, err := openSetMap(cfg.Dir, cfg.Sets)
	if err != nil {
		return nil, err
	}
	r := &Relay{cfg: cfg, client: c, sets: sets, done: make(chan error, 1)}
	box, err := outbox.Open(cfg.Dir, &sender{r: r}, append([]outbox.Option{outbox.WithLogger(cfg.Logger)}, cfg.OutboxOptions...)...)
	if err != nil {
		return nil, fmt.Errorf("relay: %w", err)
	}
	r.box = box
	ctx, cancel := context.WithCancel(context.Background())
	r.cancel = cancel
	go func() { r.done <- box.Run(ctx) }()
	cfg.Logger.Info("relay: delivering to the upstream platform", "upstream", cfg.UpstreamURL, "appid", cfg.AppID, "dir", cfg.Dir)
	return r, nil
}

// UseLocalSets sets where the local sets are read (when the stores open after the relay).
func (r *Relay) UseLocalSets(st wxads.ActionSetStore) { r.cfg.LocalSets = st }

// Close stops delivery; pending actions stay on disk and go out after the next Open.
func (r *Relay) Close() error {
	r.cancel()
	return r.box.Close()
}

// Forward enqueues the actions durably (fsynced) and returns.
func (r *Relay) Forward(ctx context.Context, accountID int64, actions []wxads.Action) error {
	out := make([]client.UserAction, len(actions))
	for i, a := range actions {
		ua := client.UserAction{UserActionSetID: a.SetID, URL: a.URL, ActionTime: a.ActionTime, ActionType: a.ActionType,
			CustomAction: a.CustomAction, UserID: client.UserID{WechatAppID: a.AppID, WechatOpenID: a.OpenID},
			OuterActionID: a.OuterActionID}
		if a.ClickID != "" {
			ua.Trace = &client.Trace{ClickID: a.ClickID}
		}
		if len(a.Param) > 0 {
			if err := json.Unmarshal(a.Param, &ua.ActionParam); err != nil {
				return fmt.Errorf("relay: action_param of a stored action: %w", err)
			}
		}
		out[i] = ua
	}
	if err := r.box.Enqueue(ctx, out...); err != nil {
		return fmt.Errorf("relay: %w", err)
	}
	return nil
}

// Deliveries lists a local set's actions with their delivery state.
func (r *Relay) Deliveries(ctx context.Context, setID, afterID int64, limit int) ([]wxads.Delivery, error) {
	entries, err := r.box.Entries(ctx, outbox.Query{SetID: setID, AfterID: afterID, Limit: limit})
	if err != nil {
		return nil, err
	}
	out := make([]wxads.Delivery, len(entries))
	for i, e := range entries {
		out[i] = delivery(e)
	}
	return out, nil
}

// LookupDelivery finds one local action's delivery by its dedup key.
func (r *Relay) LookupDelivery(ctx context.Context, setID int64, outerActionID string) (wxads.Delivery, error) {
	e, err := r.box.Lookup(ctx, setID, outerActionID)
	if errors.Is(err, outbox.ErrNotFound) {
		return wxads.Delivery{}, wxads.ErrNotFound
	}
	if err != nil {
		return wxads.Delivery{}, err
	}
	return delivery(e), nil
}

func delivery(e outbox.Entry) wxads.Delivery {
	state := wxads.DeliveryPending
	switch e.State {
	case outbox.Sent:
		state = wxads.DeliveryDelivered
	case outbox.Dead:
		state = wxads.DeliveryDead
	}
	return wxads.Delivery{ID: e.ID, SetID: e.Action.UserActionSetID, OuterActionID: e.Action.OuterActionID, State: state,
		Attempts: e.Attempts, RequestID: e.RequestID, Errcode: e.Code, Errmsg: e.Message,
		EnqueuedTime: e.EnqueuedAt, DoneTime: e.DoneAt}
}

// DeliveryStats counts the queue; now minus OldestPending is the delivery lag.
func (r *Relay) DeliveryStats(ctx context.Context) (wxads.DeliveryStats, error) {
	st, err := r.box.Stats(ctx)
	return wxads.DeliveryStats{Pending: st.Pending, Delivered: st.Sent, Dead: st.Dead, OldestPending: st.OldestPending}, err
}

// ReplayDead sends every dead letter again (after the cause was fixed).
func (r *Relay) ReplayDead(ctx context.Context) (int, error) { return r.box.ReplayAll(ctx) }

// Flush waits until nothing is pending (tests, shutdown).
func (r *Relay) Flush(ctx context.Context) error { return r.box.Flush(ctx) }
