package main

import (
	"context"
	"fmt"
	"time"

	"github.com/wxads/wxads"
	"github.com/wxads/wxads/client"
)

// sendTraffic makes the demo's first API calls through the running server,
// as an advertiser's backend would: the seeded history goes straight into
// the store, so without these the request inspector, the live-events page
// and the upload diagnostics would start empty. The calls show each kind of
// verdict — stored and attributed, duplicate, not identified, and a batch
// refused for a millisecond action_time. Outer ids are fixed, so a restart
// resends duplicates rather than counting the same conversions again.
func (w *demoWorld) sendTraffic(ctx context.Context, base string, now time.Time) error {
	ctx, cancel := context.WithTimeout(ctx, 20*time.Second)
	defer cancel()
	c, err := client.New(w.AppID, w.Secret, client.WithBaseURL(base),
		client.WithRetry(client.RetryPolicy{MaxAttempts: 2, BaseDelay: 100 * time.Millisecond, MaxDelay: time.Second}))
	if err != nil {
		return err
	}
	at := now.Unix() - 120
	action := func(i int, openid string) client.UserAction {
		return client.UserAction{UserActionSetID: w.SetID, URL: "https://shop.example.com/order", ActionTime: at,
			ActionType: "COMPLETE_ORDER", UserID: client.UserID{WechatAppID: w.AppID, WechatOpenID: openid},
			OuterActionID: fmt.Sprintf("demo_live_%d", i),
			ActionParam:   map[string]any{"source": "Biz", "claim_type": 1, "value": 4000 + i*100}}
	}
	var batch []client.UserAction
	for i, openid := range w.Followers {
		batch = append(batch, action(i, openid))
	}
	// A visitor who never followed: stored, not identified.
	batch = append(batch, action(len(batch), "oDemoVisitorNotAFollower0001"))
	opts := client.AddOptions{PartialFailure: true}
	if _, err := c.UserActions.AddBatch(ctx, batch, opts); err != nil {
		return err
	}
	// The same batch again, as a retry after a lost answer: all duplicates.
	if _, err := c.UserActions.AddBatch(ctx, batch, opts); err != nil {
		return err
	}
	// The commonest mistake: action_time in milliseconds. Refused (18003),
	// and the inspector explains why.
	bad := action(99, "oDemoVisitorNotAFollower0001")
	bad.ActionTime = at * 1000
	if _, err := c.UserActions.AddBatch(ctx, []client.UserAction{bad}, client.AddOptions{}); err == nil {
		return fmt.Errorf("the millisecond action_time was accepted")
	}
	// The v3.0 app: its set and device-identified conversions (demov3.go).
	if err := w.sendV3Traffic(ctx, base, now); err != nil {
		return fmt.Errorf("v3.0: %w", err)
	}
	if err := w.sendUnionIDTraffic(ctx, base, now); err != nil {
		return fmt.Errorf("v3.0 by unionid: %w", err)
	}
	today := now.In(wxads.CST).Format(wxads.DateLayout)
	_, err = c.Reports.Get(ctx, client.ReportQuery{SetID: w.SetID, StartDate: today, EndDate: today, Granularity: "DAILY"})
	return err
}

// sendUnionIDTraffic uploads two orders through /v3.0/user_actions/add to
// the WECHAT set naming the buyer by wechat_app_id and wechat_unionid only:
// each is identified as the follower holding the unionid, attributed by
// that follower's FOLLOW and counted as the same user as the follower's
// openid uploads above. A world saved before unionids existed has none.
func (w *demoWorld) sendUnionIDTraffic(ctx context.Context, base string, now time.Time) error {
	if len(w.UnionIDs) == 0 {
		return nil
	}
	c, err := client.New(w.AppID, w.Secret, client.WithBaseURL(base), client.WithAccountID(w.AccountID),
		client.WithRetry(client.RetryPolicy{MaxAttempts: 2, BaseDelay: 100 * time.Millisecond, MaxDelay: time.Second}))
	if err != nil {
		return err
	}
	var actions []client.V3UserAction
	for i, u := range w.UnionIDs[:min(2, len(w.UnionIDs))] {
		actions = append(actions, client.V3UserAction{ActionTime: now.Unix() - 60, ActionType: "COMPLETE_ORDER",
			UserID:        client.V3UserID{WechatAppID: w.AppID, WechatUnionID: u},
			OuterActionID: fmt.Sprintf("demo_v3_unionid_%d", i),
			ActionParam:   map[string]any{"claim_type": 1, "value": 5200 + i*100}})
	}
	_, err = c.V3().UserActions.AddBatch(ctx, w.SetID, actions, client.AddOptions{})
	return err
}
