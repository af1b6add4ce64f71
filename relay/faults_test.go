package relay_test

import (
	"context"
	"testing"
	"time"

	"github.com/wxads/wxads"
	"github.com/wxads/wxads/client"
)

const uploadRoute = "POST /marketing/user_actions/add"

func revoke(p *pair) {
	if err := p.up.Admin().RevokeTokens(context.Background(), p.up.AppID); err != nil {
		panic(err)
	}
}

// Upstream faults are retried as each deserves, and nothing counts twice.
func TestRelayRetriesUpstreamFaults(t *testing.T) {
	ctx := context.Background()
	cases := []struct {
		name  string
		rules []client.FaultRule
		setup func(p *pair) // e.g. end the relay's upstream token
	}{
		{"system busy", []client.FaultRule{{Route: uploadRoute, Errcode: -1, Count: 5}}, nil},
		{"daily quota", []client.FaultRule{{Route: uploadRoute, Errcode: wxads.CodeDailyQuota, Count: 3}}, nil},
		{"HTTP 502 half the time", []client.FaultRule{{Route: uploadRoute, HTTPStatus: 502, Rate: 0.5}}, nil},
		{"-1 at random, slow", []client.FaultRule{{Route: uploadRoute, Errcode: -1, Rate: 0.5}, {Route: uploadRoute, DelayMS: 5}}, nil},
		{"tokens revoked upstream", nil, revoke},
		{"tokens revoked, token calls fail", []client.FaultRule{{Route: "/cgi-bin/stable_token", Errcode: -1, Count: 3}}, revoke},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			p := newPair(t, map[int64]int64{})
			p.upload(t, 0, 5)
			p.flush(t) // the relay holds a token and the set mapping
			if tc.setup != nil {
				tc.setup(p)
			}
			if len(tc.rules) > 0 {
				if _, err := p.up.Admin().SetFaults(ctx, tc.rules); err != nil {
					t.Fatal(err)
				}
			}
			p.upload(t, 5, 60)
			p.flush(t)
			rules, err := p.up.Admin().Faults(ctx)
			if err != nil {
				t.Fatal(err)
			}
			for _, r := range rules {
				if r.Hits == 0 {
					t.Errorf("rule %+v never fired: the test did not test it", r)
				}
			}
			wantOrders(t, p.upstreamOrders(t, p.up.SetID), 65)
		})
	}
}

// A permanent refusal is dead-lettered with the upstream's errcode, and
// delivered once the mapping is fixed and the dead letters replayed through
// the relay's admin route.
func TestRelayDeadLetterAndReplay(t *testing.T) {
	ctx := context.Background()
	p := newPair(t, map[int64]int64{1: 987654321}) // no such set upstream: 31011
	p.upload(t, 0, 12)
	p.flush(t)
	ds := p.deliveries(t)
	if len(ds) != 12 {
		t.Fatalf("%d deliveries, want 12", len(ds))
	}
	for _, d := range ds {
		if d["state"] != wxads.DeliveryDead || d["errcode"] != float64(wxads.CodeNotAccessible) {
			t.Fatalf("delivery %v, want dead with 31011", d)
		}
	}
	adm := p.local.Admin()
	st, err := adm.RelayStatus(ctx)
	if err != nil || st.Dead != 12 || st.Pending != 0 {
		t.Fatalf("relay status %+v, %v", st, err)
	}
	if err := p.relay.MapSet(p.local.SetID, p.up.SetID); err != nil {
		t.Fatal(err)
	}
	n, err := adm.RelayReplay(ctx)
	if err != nil || n != 12 {
		t.Fatalf("replay: %d, %v", n, err)
	}
	p.flush(t)
	wantOrders(t, p.upstreamOrders(t, p.up.SetID), 12)
	if st, err := adm.RelayStatus(ctx); err != nil || st.Delivered != 12 || st.Dead != 0 {
		t.Fatalf("relay status after replay %+v, %v", st, err)
	}
}

// A secret reset upstream (40001 on every token call) keeps the actions
// pending, their last failure visible; the relay restarted with the new
// secret delivers them, once. A restart mid-delivery loses and duplicates
// nothing.
func TestRelaySecretResetAndRestart(t *testing.T) {
	ctx := context.Background()
	p := newPair(t, map[int64]int64{})
	p.upload(t, 0, 5)
	p.flush(t)
	secret, err := p.up.Admin().ResetSecret(ctx, p.up.AppID)
	if err != nil {
		t.Fatal(err)
	}
	p.up.Secret = secret // for the test's own upstream reads
	p.upload(t, 5, 20)
	deadline := time.Now().Add(10 * time.Second)
	for {
		// Delivery is in order: the first pending batch carries the failure.
		ds := p.deliveries(t)
		seen := false
		for _, d := range ds {
			if d["state"] == wxads.DeliveryPending && d["errcode"] == float64(wxads.CodeInvalidCredential) {
				seen = true
			}
		}
		if seen {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("no 40001 on a pending delivery: %v", ds)
		}
		time.Sleep(10 * time.Millisecond)
	}
	if err := p.relay.Close(); err != nil {
		t.Fatal(err)
	}
	p.open(t, secret, nil)
	p.upload(t, 25, 40)
	if err := p.relay.Close(); err != nil { // mid-delivery, most likely
		t.Fatal(err)
	}
	p.open(t, secret, nil)
	p.flush(t)
	wantOrders(t, p.upstreamOrders(t, p.up.SetID), 65)
}

// Upstream down (every call 503) for a while: nothing is lost, and delivery
// resumes by itself once it answers again.
func TestRelayResumesAfterOutage(t *testing.T) {
	ctx := context.Background()
	p := newPair(t, map[int64]int64{})
	if _, err := p.up.Admin().SetFaults(ctx, []client.FaultRule{{HTTPStatus: 503}}); err != nil {
		t.Fatal(err)
	}
	p.upload(t, 0, 30)
	time.Sleep(300 * time.Millisecond)
	st, err := p.relay.DeliveryStats(ctx)
	if err != nil || st.Pending != 30 || st.OldestPending.IsZero() {
		t.Fatalf("during the outage: %+v, %v; want 30 pending", st, err)
	}
	if err := p.up.Admin().ClearFaults(ctx); err != nil {
		t.Fatal(err)
	}
	p.flush(t)
	wantOrders(t, p.upstreamOrders(t, p.up.SetID), 30)
}
