package client

import "context"

// RelayStatus is a relaying server's queue (SPEC §12): actions waiting,
// delivered upstream and dead-lettered, and how long the oldest waits.
type RelayStatus struct {
	Pending    int64   `json:"pending"`
	Delivered  int64   `json:"delivered"`
	Dead       int64   `json:"dead"`
	LagSeconds float64 `json:"lag_seconds"`
}

// RelayStatus reads GET /admin/v1/relay of a server started with --upstream.
func (a *Admin) RelayStatus(ctx context.Context) (*RelayStatus, error) {
	out := new(RelayStatus)
	if err := a.read(ctx, "/admin/v1/relay", nil, out); err != nil {
		return nil, err
	}
	return out, nil
}

// RelayReplay sends the relay's dead letters upstream again (after their
// cause was fixed) and returns how many.
func (a *Admin) RelayReplay(ctx context.Context) (int, error) {
	var out struct {
		Replayed int `json:"replayed"`
	}
	err := a.write(ctx, "POST", "/admin/v1/relay/replay", nil, &out)
	return out.Replayed, err
}
