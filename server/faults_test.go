package server_test

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/wxads/wxads"
	"github.com/wxads/wxads/client"
	"github.com/wxads/wxads/wxadstest"
)

const uploadRoute = "POST /marketing/user_actions/add"

func faultAction(srv *wxadstest.Server, i int) client.UserAction {
	return client.UserAction{
		UserActionSetID: srv.SetID,
		URL:             fmt.Sprintf("https://shop.example.com/order/%d", i),
		ActionTime:      srv.Clock.Now().Unix(),
		ActionType:      "COMPLETE_ORDER",
		UserID:          client.UserID{WechatAppID: srv.AppID, WechatOpenID: srv.Followers[i%len(srv.Followers)]},
		ActionParam:     map[string]any{"source": "Biz", "claim_type": 0, "value": 1999},
	}
}

func setFaults(t *testing.T, srv *wxadstest.Server, rules ...client.FaultRule) {
	t.Helper()
	if _, err := srv.Admin().SetFaults(context.Background(), rules); err != nil {
		t.Fatal(err)
	}
}

func faultHits(t *testing.T, srv *wxadstest.Server) []int64 {
	t.Helper()
	rules, err := srv.Admin().Faults(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	hits := make([]int64, len(rules))
	for i, r := range rules {
		hits[i] = r.Hits
	}
	return hits
}

func storedActions(t *testing.T, srv *wxadstest.Server, c *client.Client) int {
	t.Helper()
	list, err := c.UserActions.List(context.Background(), srv.SetID, 1, 100)
	if err != nil {
		t.Fatal(err)
	}
	return len(list.List)
}

// The SDK retries what the platform marks retryable and stops on the rest;
// each case faults the next uploads and checks what was tried and stored.
func TestFaultsDriveSDKRetries(t *testing.T) {
	ctx := context.Background()
	cases := []struct {
		name   string
		rule   client.FaultRule
		ok     bool  // the SDK's Add succeeds
		hits   int64 // faults given
		stored int   // actions stored in the end
	}{
		{"system busy retried", client.FaultRule{Errcode: -1, Count: 2}, true, 2, 1},
		{"too frequent retried", client.FaultRule{Errcode: wxads.CodeTooFrequent, Count: 1}, true, 1, 1},
		{"HTTP 502 retried", client.FaultRule{HTTPStatus: 502, Count: 3}, true, 3, 1},
		{"more faults than attempts", client.FaultRule{Errcode: -1, Count: 10}, false, 4, 0},
		{"validation not retried", client.FaultRule{Errcode: wxads.CodeRequired, Count: 5}, false, 1, 0},
		{"quota not retried", client.FaultRule{Errcode: wxads.CodeDailyQuota}, false, 1, 0},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			srv := wxadstest.NewServer(t)
			c := srv.Client() // 4 attempts
			tc.rule.Route = uploadRoute
			setFaults(t, srv, tc.rule)
			_, err := c.UserActions.Add(ctx, faultAction(srv, 0))
			if (err == nil) != tc.ok {
				t.Fatalf("Add: err %v, want success %v", err, tc.ok)
			}
			if got := faultHits(t, srv); got[0] != tc.hits {
				t.Errorf("hits %d, want %d", got[0], tc.hits)
			}
			var ae *client.APIError
			if !tc.ok && (!errors.As(err, &ae) || ae.Code != tc.rule.Errcode && tc.rule.Errcode != 0) {
				t.Errorf("err %v, want errcode %d", err, tc.rule.Errcode)
			}
			if err := srv.Admin().ClearFaults(ctx); err != nil {
				t.Fatal(err)
			}
			if n := storedActions(t, srv, c); n != tc.stored {
				t.Errorf("stored %d actions, want %d (a faulted upload stores nothing)", n, tc.stored)
			}
		})
	}
}

// rate faults a fraction of calls at random; the rest get through.
func TestFaultRate(t *testing.T) {
	ctx := context.Background()
	srv := wxadstest.NewServer(t)
	c := srv.Client(client.WithRetry(client.RetryPolicy{MaxAttempts: 1}))
	setFaults(t, srv, client.FaultRule{Route: uploadRoute, Errcode: -1, Rate: 0.5})
	const calls = 200
	failed := 0
	for i := range calls {
		if _, err := c.UserActions.Add(ctx, faultAction(srv, i)); err != nil {
			if !errors.Is(err, client.ErrSystemBusy) {
				t.Fatalf("call %d: %v, want the injected -1", i, err)
			}
			failed++
		}
	}
	// Binomial(200, 0.5): 60..140 is more than 5 standard deviations wide.
	if failed < 60 || failed > 140 {
		t.Errorf("%d of %d calls faulted at rate 0.5", failed, calls)
	}
	if hits := faultHits(t, srv)[0]; hits != int64(failed) {
		t.Errorf("hits %d, failed calls %d", hits, failed)
	}
	if err := srv.Admin().ClearFaults(ctx); err != nil {
		t.Fatal(err)
	}
	list, err := c.UserActions.List(ctx, srv.SetID, 1, 1)
	if err != nil {
		t.Fatal(err)
	}
	if got := list.PageInfo.TotalNumber; got != calls-failed {
		t.Errorf("stored %d actions, want %d", got, calls-failed)
	}
}

// A rule names an app or a route; other calls are left alone, and a
// delay-only rule slows a call that then succeeds.
func TestFaultMatching(t *testing.T) {
	ctx := context.Background()
	srv := wxadstest.NewServer(t)
	c := srv.Client(client.WithRetry(client.RetryPolicy{MaxAttempts: 1}))
	setFaults(t, srv,
		client.FaultRule{Route: uploadRoute, Errcode: -1, AppID: "wx0000000000000000"},
		client.FaultRule{Route: "/marketing/user_action_sets/get", Errcode: wxads.CodeTooFrequent},
		client.FaultRule{Route: uploadRoute, DelayMS: 30})
	start := time.Now()
	if _, err := c.UserActions.Add(ctx, faultAction(srv, 0)); err != nil {
		t.Fatalf("upload of another app than the rule's: %v", err)
	}
	if d := time.Since(start); d < 30*time.Millisecond {
		t.Errorf("upload answered in %v despite delay_ms 30", d)
	}
	if _, err := c.ActionSets.Get(ctx, client.ActionSetFilter{}); !errors.Is(err, client.ErrTooFrequent) {
		t.Errorf("sets/get: %v, want 45011", err)
	}
	if got := faultHits(t, srv); got[0] != 0 || got[1] != 1 || got[2] != 1 {
		t.Errorf("hits %v, want [0 1 1]", got)
	}
	setFaults(t, srv, client.FaultRule{Errcode: -1, AppID: srv.AppID})
	if _, err := srv.Client().Token(ctx); err == nil { // a new client: no cached token
		t.Error("token call of the faulted app succeeded")
	}
}

// Bad rules are refused with a code saying what would be valid, and the
// rules in place stay.
func TestFaultRulesValidated(t *testing.T) {
	ctx := context.Background()
	srv := wxadstest.NewServer(t)
	adm := srv.Admin()
	setFaults(t, srv, client.FaultRule{Route: uploadRoute, Errcode: -1, Count: 1})
	bad := []client.FaultRule{
		{Route: "POST /nowhere", Errcode: -1},
		{Route: uploadRoute},
		{Route: uploadRoute, Errcode: 123456789},
		{Route: uploadRoute, Errcode: -1, Rate: 1.5},
		{Route: uploadRoute, HTTPStatus: 302},
		{Route: uploadRoute, Errcode: -1, Count: -1},
		{Route: uploadRoute, DelayMS: -5},
	}
	for _, r := range bad {
		_, err := adm.SetFaults(ctx, []client.FaultRule{r})
		var ae *client.APIError
		if !errors.As(err, &ae) || ae.HTTPStatus != 200 || ae.Code < 18000 || ae.Code > 18100 {
			t.Errorf("rule %+v: %v, want an 18xxx refusal", r, err)
		}
	}
	if rules, err := adm.Faults(ctx); err != nil || len(rules) != 1 || rules[0].Count != 1 {
		t.Fatalf("rules after refusals: %+v, %v", rules, err)
	}
	if err := adm.ClearFaults(ctx); err != nil {
		t.Fatal(err)
	}
	if rules, err := adm.Faults(ctx); err != nil || len(rules) != 0 {
		t.Errorf("rules after clear: %+v, %v", rules, err)
	}
}

// A rule naming an advertiser matches its OAuth-token calls, which name no
// app, and its app-token calls; another advertiser's rule matches neither.
func TestFaultByAccount(t *testing.T) {
	ctx := context.Background()
	srv := wxadstest.NewServer(t)
	oc, _ := srv.OAuthClient("", client.WithRetry(client.RetryPolicy{MaxAttempts: 1}))
	v3 := oc.V3()
	v3.AccountID = srv.AccountID
	route := "/v3.0/user_actions/add"
	setFaults(t, srv, client.FaultRule{Route: route, Errcode: wxads.CodeTooFrequent, AccountID: srv.AccountID + 1})
	if _, err := v3.UserActions.Add(ctx, srv.SetID, client.V3UserAction{ActionTime: srv.Clock.Now().Unix(),
		ActionType: "PURCHASE", UserID: client.V3UserID{WechatAppID: srv.AppID, WechatOpenID: srv.Followers[0]}}); err != nil {
		t.Fatalf("another advertiser's rule faulted this one: %v", err)
	}
	setFaults(t, srv, client.FaultRule{Route: route, Errcode: wxads.CodeTooFrequent, AccountID: srv.AccountID})
	_, err := v3.UserActions.Add(ctx, srv.SetID, client.V3UserAction{ActionTime: srv.Clock.Now().Unix(),
		ActionType: "PURCHASE", UserID: client.V3UserID{WechatAppID: srv.AppID, WechatOpenID: srv.Followers[1]}})
	if !errors.Is(err, client.ErrTooFrequent) {
		t.Fatalf("OAuth-token call of the rule's advertiser: %v, want the injected 45011", err)
	}
	if _, err := srv.Admin().SetFaults(ctx, []client.FaultRule{{Errcode: -1, AccountID: -1}}); err == nil {
		t.Error("account_id -1 accepted")
	}
}
