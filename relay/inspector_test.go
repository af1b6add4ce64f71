package relay_test

import (
	"context"
	"testing"
	"time"

	"github.com/wxads/wxads"
	"github.com/wxads/wxads/client"
)

// uploads reads the inspector's user_actions/add records of a server,
// waiting for the n it records in the background.
func uploads(t *testing.T, c *client.Client, n int) []client.InspectedRequest {
	t.Helper()
	for range 100 {
		got, err := c.Requests.Get(context.Background(), client.RequestQuery{Route: "/marketing/user_actions/add", PageSize: 100})
		if err != nil {
			t.Fatal(err)
		}
		if len(got.List) >= n {
			return got.List
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatalf("the inspector recorded fewer than %d uploads", n)
	return nil
}

// The relay's request inspector shows each stored action's delivery: here
// delivered, with the request id the upstream acknowledged it under.
func TestInspectorShowsDelivered(t *testing.T) {
	p := newPair(t, nil)
	p.upload(t, 0, 20) // two uploads of 10
	p.flush(t)
	local := uploads(t, p.local.Client(), 2)
	// The relay may have delivered in one request or several; the upstream's
	// inspector writes in the background, so wait until it holds as many
	// successful uploads as the deliveries name distinct request ids.
	named := map[string]bool{}
	for _, r := range local {
		for _, v := range r.Actions {
			if v.Delivery != nil {
				named[v.Delivery.RequestID] = true
			}
		}
	}
	upIDs := map[string]bool{}
	for range 100 {
		clear(upIDs)
		for _, r := range uploads(t, p.up.Client(), 1) {
			if r.Errcode == 0 {
				upIDs[r.RequestID] = true
			}
		}
		if len(upIDs) >= len(named) {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	n := 0
	for _, r := range local {
		for _, v := range r.Actions {
			d := v.Delivery
			if d == nil || d.State != wxads.DeliveryDelivered || !upIDs[d.RequestID] || d.Attempts != 1 || d.DoneTime == "" {
				t.Fatalf("action %s: delivery %+v, want delivered under one of the upstream's request ids %v", v.OuterActionID, d, upIDs)
			}
			n++
		}
	}
	if n != 20 {
		t.Errorf("%d actions show a delivery, want 20", n)
	}
}

// A permanent refusal upstream shows as dead with the upstream's errcode;
// a duplicate upload of the same actions shows the same delivery.
func TestInspectorShowsDead(t *testing.T) {
	p := newPair(t, map[int64]int64{1: 987654321}) // no such set upstream: 31011
	p.upload(t, 0, 5)
	p.flush(t)
	p.upload(t, 0, 5) // the same actions again: duplicates
	p.flush(t)
	list := uploads(t, p.local.Client(), 2)
	verdicts := map[string]int{}
	for _, r := range list {
		for _, v := range r.Actions {
			d := v.Delivery
			if d == nil || d.State != wxads.DeliveryDead || d.Errcode != wxads.CodeNotAccessible || d.Errmsg == "" {
				t.Fatalf("action %s (%s): delivery %+v, want dead with errcode %d", v.OuterActionID, v.Verdict, d, wxads.CodeNotAccessible)
			}
			verdicts[v.Verdict]++
		}
	}
	if verdicts[wxads.VerdictStored] != 5 || verdicts[wxads.VerdictDuplicate] != 5 {
		t.Errorf("verdicts %v, want 5 stored and 5 duplicate, each with its delivery", verdicts)
	}
}
