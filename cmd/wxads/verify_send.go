package main

import (
	"context"
	"fmt"
	"time"

	"github.com/wxads/wxads/client"
)

// sendTest runs steps 6–8: the test action validated, sent, and found in
// the report of the GMT+8 day the platform stamped it with.
func (o *VerifyOptions) sendTest(ctx context.Context, cl *checklist, c *client.Client, set int64) bool {
	outer := fmt.Sprintf("wxads_verify_%d_%s", o.F.Now().Unix(), randomSuffix())
	a := client.UserAction{UserActionSetID: set, URL: verifyURL, ActionType: "CUSTOM", CustomAction: verifyCustom,
		UserID:        client.UserID{WechatAppID: c.AppID(), WechatOpenID: o.OpenID},
		OuterActionID: outer, ActionParam: map[string]any{"source": "Biz", "claim_type": 0}}
	res, err := c.UserActions.AddBatch(ctx, []client.UserAction{a}, client.AddOptions{ValidateOnly: true})
	if err == nil && res.Valid != 1 {
		err = fmt.Errorf("validate_only answered valid=%d, want 1", res.Valid)
	}
	if err != nil {
		cl.fail(stepValidate, "CUSTOM/"+verifyCustom, err)
		cl.skip(stepSend, skipped)
		cl.skip(stepReport, skipped)
		return false
	}
	cl.ok(stepValidate, bi("valid, nothing stored", "校验通过，未存储"))
	if o.NoSend {
		cl.skip(stepSend, "--no-send")
		cl.skip(stepReport, "--no-send")
		return true
	}

	res, err = c.UserActions.AddBatch(ctx, []client.UserAction{a}, client.AddOptions{PartialFailure: true})
	if err == nil && len(res.Failed) > 0 {
		err = res.Failed[0].Err
	}
	if err != nil {
		cl.fail(stepSend, "outer_action_id "+outer, err)
		cl.skip(stepReport, skipped)
		return false
	}
	cl.ok(stepSend, "outer_action_id "+outer)

	day, err := o.storedDay(ctx, c, set, outer)
	if err != nil {
		cl.fail(stepReport, bi("the stored action was not found", "未找到已存储的测试行为"), err)
		return false
	}
	rows, err := c.Reports.Get(ctx, client.ReportQuery{SetID: set, StartDate: day, EndDate: day,
		Granularity: "DAILY", Aggregation: "ACTION_TYPE"})
	if err != nil {
		cl.fail(stepReport, day, err)
		return false
	}
	for _, r := range rows {
		if r.ActionType == "CUSTOM" && r.CustomAction == verifyCustom && r.RawActionCount > 0 {
			cl.ok(stepReport, fmt.Sprintf("%s CUSTOM/%s raw_action_count %d", day, verifyCustom, r.RawActionCount))
			return true
		}
	}
	cl.fail(stepReport, fmt.Sprintf("%s: no CUSTOM/%s row / 报表中没有该行为", day, verifyCustom), nil,
		bi("the action was stored but is not counted; report this with its outer_action_id", "行为已存储但未计入报表，请附 outer_action_id 反馈"))
	return false
}

// storedDay finds the test action among the newest stored ones and returns
// its GMT+8 day (the platform stamped its action_time; its clock may not be
// this machine's).
func (o *VerifyOptions) storedDay(ctx context.Context, c *client.Client, set int64, outer string) (string, error) {
	l, err := c.UserActions.List(ctx, set, 1, 100)
	if err != nil {
		return "", err
	}
	for _, a := range l.List {
		if a.OuterActionID == outer {
			return time.Unix(a.ActionTime, 0).In(gmt8).Format(time.DateOnly), nil
		}
	}
	return "", fmt.Errorf("outer_action_id %s is not among the %d newest actions", outer, len(l.List))
}
