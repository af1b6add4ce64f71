package server_test

import (
	"context"
	"fmt"
	"net/url"
	"sync/atomic"
	"testing"

	"github.com/wxads/wxads"
	"github.com/wxads/wxads/server"
)

// ownerCounter counts the set-owner look-ups that reach the store.
type ownerCounter struct {
	server.Stores
	n atomic.Int64
}

func (o *ownerCounter) ActionSetOwner(ctx context.Context, id int64) (int64, error) {
	o.n.Add(1)
	return o.Stores.ActionSetOwner(ctx, id)
}

// Issue 12 item 8: another advertiser's set id and a missing one take the
// same path — the same store queries, the same 31011 — so their timing
// cannot tell them apart. Checked by the queries, not by a clock. Before,
// another advertiser's set was answered from the owner cache (no query)
// and a missing one queried every time (0.6 ms vs 1.2 ms).
func TestOtherTenantsSetCostsLikeAMissingOne(t *testing.T) {
	var counter *ownerCounter
	h := newHarness(t, func(c *server.Config) {
		counter = &ownerCounter{Stores: c.Stores}
		c.Stores = counter
	})
	owner, other := h.newTenant(), h.newTenant()
	set := h.newSet(owner, "theirs")
	missing := set + 1000
	upload := func(id int64) map[string]any {
		return map[string]any{"actions": []any{map[string]any{"user_action_set_id": id, "url": "https://a.example/",
			"action_type": "REGISTER", "user_id": map[string]any{"wechat_app_id": other.AppID,
				"wechat_openid": "o000000000000000000000000001"}, "action_param": map[string]any{"source": "Biz", "claim_type": 0}}}}
	}
	calls := []struct {
		name string
		call func(id int64) envelope
	}{
		{"report", func(id int64) envelope {
			return h.api(other, "GET", "/marketing/user_action_set_reports/get", url.Values{
				"user_action_set_id": {fmt.Sprint(id)}, "date_range": {`{"start_date":"2026-11-23","end_date":"2026-11-23"}`}}, nil)
		}},
		{"upload", func(id int64) envelope {
			return h.api(other, "POST", "/marketing/user_actions/add", nil, upload(id))
		}},
	}
	// The owner's own calls warm the cache, as in production.
	mustOK(t, h.api(owner, "GET", "/marketing/user_action_set_reports/get", url.Values{
		"user_action_set_id": {fmt.Sprint(set)}, "date_range": {`{"start_date":"2026-11-23","end_date":"2026-11-23"}`}}, nil))
	for _, c := range calls {
		for round := range 3 {
			cost := map[string]int64{}
			for name, id := range map[string]int64{"another advertiser's": set, "missing": missing} {
				before := counter.n.Load()
				e := c.call(id)
				wantCode(t, e, wxads.CodeNotAccessible)
				cost[name] = counter.n.Load() - before
			}
			if cost["another advertiser's"] != cost["missing"] {
				t.Errorf("%s, round %d: owner look-ups %v: the two paths differ", c.name, round, cost)
			}
		}
	}
}
