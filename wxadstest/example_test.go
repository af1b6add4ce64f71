package wxadstest_test

import (
	"context"
	"errors"
	"fmt"

	"github.com/wxads/wxads/client"
	"github.com/wxads/wxads/wxadstest"
)

// The platform in one line: a real server on a temporary database with an
// approved advertiser, an app, followers and a data source, closed when
// the test ends. In a test, srv := wxadstest.NewServer(t) does the same
// and closes it with t.Cleanup; outside one (as here), Start and Close.
func Example() {
	srv, err := wxadstest.Start()
	if err != nil {
		fmt.Println(err)
		return
	}
	defer srv.Close()
	ctx := context.Background()
	c := srv.Client()

	// Upload conversions: any number, sent 50 a request, each with an
	// outer_action_id derived from its content so a resend counts once.
	var actions []client.UserAction
	for i := range 3 {
		actions = append(actions, client.UserAction{
			UserActionSetID: srv.SetID,
			URL:             "https://shop.example.com/order/" + fmt.Sprint(i),
			ActionTime:      srv.Clock.Now().Unix(),
			ActionType:      "COMPLETE_ORDER",
			UserID:          client.UserID{WechatAppID: srv.AppID, WechatOpenID: srv.Followers[i]},
			ActionParam:     map[string]any{"source": "Biz", "claim_type": 0, "value": 1999},
		})
	}
	sum, err := c.UserActions.Add(ctx, actions...)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("requests:", sum.Requests, "accepted:", sum.Accepted, "duplicates:", sum.Duplicates)

	sum, _ = c.UserActions.Add(ctx, actions...) // the same actions again
	fmt.Println("resend accepted:", sum.Accepted, "duplicates:", sum.Duplicates)

	// Typed errors: the code, the parameter, and what to do about it.
	_, err = c.ActionSets.Get(ctx, client.ActionSetFilter{ID: 999999})
	var apiErr *client.APIError
	if errors.As(err, &apiErr) {
		fmt.Println(apiErr.Code, apiErr.Param, errors.Is(err, client.ErrNotAccessible))
	}
	// Output:
	// requests: 1 accepted: 3 duplicates: 0
	// resend accepted: 0 duplicates: 3
	// 31011 user_action_set_id true
}
