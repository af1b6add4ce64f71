package server

import (
	"net/http"
	"time"

	"github.com/wxads/wxads"
)

// forward hands a stored upload to the relay, when the server relays,
// before the upload is acknowledged: an acknowledgement then means the relay
// holds the actions durably. Duplicates go too, so a retried upload whose
// first forward failed is forwarded after all; the relay deduplicates.
func (s *Server) forward(r *http.Request, accountID int64, kept []wxads.Action) error {
	if s.cfg.Forwarder == nil || len(kept) == 0 {
		return nil
	}
	return s.cfg.Forwarder.Forward(r.Context(), accountID, kept)
}

type deliveryJSON struct {
	ID            int64  `json:"id"`
	SetID         int64  `json:"user_action_set_id"`
	OuterActionID string `json:"outer_action_id"`
	State         string `json:"state"`
	Attempts      int    `json:"attempts"`
	RequestID     string `json:"upstream_request_id,omitempty"`
	Errcode       int    `json:"errcode,omitempty"`
	Errmsg        string `json:"errmsg,omitempty"`
	EnqueuedTime  string `json:"enqueued_time"`
	DoneTime      string `json:"done_time,omitempty"`
}

// getDeliveries is GET /ext/v1/deliveries/get (SPEC §12): the relay state
// of a set's actions, in the order they were stored, after_id for the next page.
func (s *Server) getDeliveries(w http.ResponseWriter, r *http.Request) error {
	setID, err := s.setParam(r)
	if err != nil {
		return err
	}
	return s.writeDeliveries(w, r, setID)
}

// getAdminDeliveries is GET /admin/v1/relay/deliveries: every set's, for the operator.
func (s *Server) getAdminDeliveries(w http.ResponseWriter, r *http.Request) error {
	setID, err := queryID(r, "user_action_set_id")
	if err != nil {
		return err
	}
	return s.writeDeliveries(w, r, setID)
}

func (s *Server) writeDeliveries(w http.ResponseWriter, r *http.Request, setID int64) error {
	after, err := queryID(r, "after_id")
	if err != nil {
		return err
	}
	size, err := intParam(r, "page_size", 100, 1, 1000)
	if err != nil {
		return err
	}
	list, err := s.cfg.Forwarder.Deliveries(r.Context(), setID, after, size)
	if err != nil {
		return err
	}
	out := make([]deliveryJSON, len(list))
	for i, d := range list {
		out[i] = deliveryJSON{ID: d.ID, SetID: d.SetID, OuterActionID: d.OuterActionID, State: d.State, Attempts: d.Attempts,
			RequestID: d.RequestID, Errcode: d.Errcode, Errmsg: d.Errmsg, EnqueuedTime: formatTime(d.EnqueuedTime.Unix())}
		if !d.DoneTime.IsZero() {
			out[i].DoneTime = formatTime(d.DoneTime.Unix())
		}
	}
	return writeData(w, apiWeChat, map[string]any{"list": out})
}

// getRelay is GET /admin/v1/relay: the queue's counts and delivery lag.
func (s *Server) getRelay(w http.ResponseWriter, r *http.Request) error {
	st, err := s.cfg.Forwarder.DeliveryStats(r.Context())
	if err != nil {
		return err
	}
	lag := 0.0
	if !st.OldestPending.IsZero() {
		lag = time.Since(st.OldestPending).Seconds()
	}
	return writeData(w, apiWeChat, map[string]any{"pending": st.Pending, "delivered": st.Delivered,
		"dead": st.Dead, "lag_seconds": lag})
}

// postRelayReplay is POST /admin/v1/relay/replay: dead letters are sent again.
func (s *Server) postRelayReplay(w http.ResponseWriter, r *http.Request) error {
	n, err := s.cfg.Forwarder.ReplayDead(r.Context())
	if err != nil {
		return err
	}
	return writeData(w, apiWeChat, map[string]any{"replayed": n})
}

// actionJSON is an action's verdict as the request inspector shows it, with
// its delivery upstream when the server relays.
type actionJSON struct {
	wxads.ActionVerdict
	Delivery *actionDeliveryJSON `json:"delivery,omitempty"`
}

type actionDeliveryJSON struct {
	State     string `json:"state"` // pending, delivered, dead
	Attempts  int    `json:"attempts"`
	RequestID string `json:"upstream_request_id,omitempty"`
	Errcode   int    `json:"errcode,omitempty"`
	Errmsg    string `json:"errmsg,omitempty"`
	DoneTime  string `json:"done_time,omitempty"`
}

// withDeliveries joins each stored or duplicate action's delivery state in
// when a request is read (the upload path never waits on it). An action the
// relay does not hold, or whose look-up fails, simply shows none.
func (s *Server) withDeliveries(r *http.Request, verdicts []wxads.ActionVerdict) []actionJSON {
	if len(verdicts) == 0 {
		return nil
	}
	out := make([]actionJSON, len(verdicts))
	lk, _ := s.cfg.Forwarder.(wxads.DeliveryLookup)
	for i, v := range verdicts {
		out[i].ActionVerdict = v
		if lk == nil || v.OuterActionID == "" || (v.Verdict != wxads.VerdictStored && v.Verdict != wxads.VerdictDuplicate) {
			continue
		}
		d, err := lk.LookupDelivery(r.Context(), v.SetID, v.OuterActionID)
		if err != nil {
			continue
		}
		out[i].Delivery = &actionDeliveryJSON{State: d.State, Attempts: d.Attempts, RequestID: d.RequestID,
			Errcode: d.Errcode, Errmsg: d.Errmsg}
		if !d.DoneTime.IsZero() {
			out[i].Delivery.DoneTime = formatTime(d.DoneTime.Unix())
		}
	}
	return out
}
