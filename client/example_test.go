package client_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/wxads/wxads/client"
	"github.com/wxads/wxads/wxadstest"
)

// Upload conversions with a call log (the seed's 回传日志), then read the
// log back: one line per HTTP attempt, tokens and secrets redacted.
func ExampleOpenCallLog() {
	srv, err := wxadstest.Start()
	if err != nil {
		fmt.Println(err)
		return
	}
	defer srv.Close()
	dir, _ := os.MkdirTemp("", "calllog")
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "calls.jsonl")

	cl, err := client.OpenCallLog(path, 10<<20, 5) // rotate at 10 MiB, keep 5 old files
	if err != nil {
		fmt.Println(err)
		return
	}
	c, err := client.New(srv.AppID, srv.Secret, client.WithBaseURL(srv.URL), client.WithCallLog(cl))
	if err != nil {
		fmt.Println(err)
		return
	}
	ctx := context.Background()
	_, err = c.UserActions.Add(ctx, client.UserAction{
		UserActionSetID: srv.SetID,
		URL:             "https://shop.example.com/order/1",
		ActionType:      "COMPLETE_ORDER",
		UserID:          client.UserID{WechatAppID: srv.AppID, WechatOpenID: srv.Followers[0]},
		ActionParam:     map[string]any{"source": "Biz", "claim_type": 0},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	cl.Close()

	client.ReadCallLog(path, func(r client.CallRecord) error {
		fmt.Println(r.Method, r.Route, r.HTTPStatus, r.Errcode, r.Attempt)
		return nil
	})
	// Output:
	// POST /cgi-bin/stable_token 200 0 1
	// POST /marketing/user_actions/add 200 0 1
}

// Offline validation uses the platform's own rules: nothing is sent, and
// the error names the action by its index in your slice.
func ExampleValidate() {
	actions := []client.UserAction{{
		UserActionSetID: 1,
		URL:             "shop.example.com/order/1", // not absolute
		ActionType:      "COMPLETE_ORDER",
		UserID:          client.UserID{WechatAppID: "wx0123456789abcdef", WechatOpenID: "o0123456789012345678901234567"},
		ActionParam:     map[string]any{"source": "Biz", "claim_type": 0},
	}}
	err := client.Validate(actions)
	var apiErr *client.APIError
	if errors.As(err, &apiErr) {
		fmt.Println(apiErr.Code, apiErr.Param)
	}
	// Output:
	// 18005 actions[0].url
}
