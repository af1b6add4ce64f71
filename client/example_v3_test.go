package client_test

import (
	"context"
	"crypto/md5"
	"encoding/hex"
	"errors"
	"fmt"
	"time"

	"github.com/wxads/wxads/client"
	"github.com/wxads/wxads/wxadstest"
)

// Upload a conversion through the Tencent Marketing API v3.0 as a developer
// app the advertiser authorized (OAuth 2.0). The code between the two
// markers is docs/sdk.md's v3.0 snippet.
func ExampleClient_V3() {
	srv, err := wxadstest.Start()
	if err != nil {
		fmt.Println(err)
		return
	}
	defer srv.Close()
	ctx := context.Background()
	// The operator registers the developer app; the admin-issued code
	// stands for the consent page's redirect (?authorization_code=…).
	admin := client.NewAdmin(srv.URL, srv.AdminToken)
	app, err := admin.CreateOAuthClient(ctx, "Dev Tool", []string{"https://dev.example.com/cb"})
	if err != nil {
		fmt.Println(err)
		return
	}
	code, err := admin.IssueOAuthCode(ctx, app.ClientID, srv.AccountID)
	if err != nil {
		fmt.Println(err)
		return
	}
	baseURL, clientID, clientSecret := srv.URL, app.ClientID, app.ClientSecret

	// --- docs/sdk.md#v30 ---
	o := client.NewOAuth(client.OAuthConfig{BaseURL: baseURL, ClientID: clientID, ClientSecret: clientSecret,
		RedirectURI: "https://dev.example.com/cb"}, nil) // nil: the refresh token kept in memory
	tokens, err := o.Exchange(ctx, code) // once; later runs start from the stored refresh token
	if err != nil {
		fmt.Println(err)
		return
	}
	c, err := client.New("", "", client.WithBaseURL(baseURL), client.WithTokenSource(o),
		client.WithAccountID(tokens.AuthorizerInfo.AccountID))
	if err != nil {
		fmt.Println(err)
		return
	}
	v3 := c.V3()
	setID, err := v3.ActionSets.Add(ctx, client.V3ActionSet{Type: "ANDROID", Name: "my app", MobileAppID: 1110})
	if err != nil {
		fmt.Println(err)
		return
	}
	oaid := md5.Sum([]byte("1fe3a9c4-7d1b-4f32-a0d2-5e8c6b7a9f10")) // hash_oaid: MD5 of the raw OAID, lowercase hex
	action := client.V3UserAction{
		ActionTime:  time.Now().Unix(),
		ActionType:  "ACTIVATE_APP",
		UserID:      client.V3UserID{HashOAID: hex.EncodeToString(oaid[:])},
		ActionParam: map[string]any{"value": 100},
		Channel:     "CHANNEL_NATURAL",
	}
	sum, err := v3.UserActions.Add(ctx, setID, action) // batches of 50, outer_action_id filled, validated offline
	var apiErr *client.APIError
	if errors.As(err, &apiErr) {
		fmt.Println(apiErr.Code, apiErr.Param, apiErr.Message, apiErr.Hint())
		return
	} else if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("accepted", sum.Accepted, "duplicates", sum.Duplicates)
	// --- end ---

	// Sent again, the same action is counted once: its outer_action_id is
	// derived from its content.
	if sum, err = v3.UserActions.Add(ctx, setID, action); err == nil {
		fmt.Println("again: accepted", sum.Accepted, "duplicates", sum.Duplicates)
	}
	// Output:
	// accepted 1 duplicates 0
	// again: accepted 0 duplicates 1
}
