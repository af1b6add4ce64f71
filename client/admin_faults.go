package client

import "context"

// FaultRule makes matching calls of the platform fail (SPEC §12), to test a
// client's retry logic against real error shapes. Zero fields match or do
// nothing: Route "" is every route, Rate 0 every matching call, Count 0 no
// limit, AppID "" any app, AccountID 0 any advertiser.
type FaultRule struct {
	Route      string  `json:"route"`       // "POST /marketing/user_actions/add", or a path for any method
	Errcode    int     `json:"errcode"`     // the code answered; 0 with HTTPStatus set: -1
	HTTPStatus int     `json:"http_status"` // 0: 200, as the platform answers its refusals
	DelayMS    int     `json:"delay_ms"`    // wait before answering; alone, a slow but normal call
	Rate       float64 `json:"rate"`        // fraction of matching calls faulted at random
	Count      int     `json:"count"`       // fault only the next Count matching calls
	AppID      string  `json:"appid"`       // only this app's calls
	AccountID  int64   `json:"account_id"`  // only calls acting for this advertiser (its apps' tokens or an OAuth token it granted)
	Hits       int64   `json:"hits"`        // faults given so far (read only)
}

// SetFaults replaces the node's fault rules (PUT /admin/v1/faults). The
// rules are per node, in memory: behind a load balancer, set every node.
func (a *Admin) SetFaults(ctx context.Context, rules []FaultRule) ([]FaultRule, error) {
	if rules == nil {
		rules = []FaultRule{}
	}
	var out struct {
		Rules []FaultRule `json:"rules"`
	}
	err := a.write(ctx, "PUT", "/admin/v1/faults", map[string]any{"rules": rules}, &out)
	return out.Rules, err
}

// Faults reads the node's fault rules with their hit counts.
func (a *Admin) Faults(ctx context.Context) ([]FaultRule, error) {
	var out struct {
		Rules []FaultRule `json:"rules"`
	}
	err := a.read(ctx, "/admin/v1/faults", nil, &out)
	return out.Rules, err
}

// ClearFaults removes every fault rule of the node.
func (a *Admin) ClearFaults(ctx context.Context) error {
	return a.write(ctx, "DELETE", "/admin/v1/faults", nil, nil)
}
