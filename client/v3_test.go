package client_test

import (
	"context"
	"crypto/md5"
	"encoding/hex"
	"errors"
	"fmt"
	"reflect"
	"testing"
	"time"

	"github.com/wxads/wxads/client"
	"github.com/wxads/wxads/wxadstest"
)

// hashOAID is the lowercase MD5 hex of a made-up OAID number i.
func hashOAID(i int) string {
	sum := md5.Sum(fmt.Appendf(nil, "oaid-%d", i))
	return hex.EncodeToString(sum[:])
}

// v3Action is a valid v3.0 action for an app set: a device id, no openid.
func v3Action(srv *wxadstest.Server, i int) client.V3UserAction {
	return client.V3UserAction{
		ActionTime:    srv.Clock.Now().Unix(),
		ActionType:    "ACTIVATE_APP",
		UserID:        client.V3UserID{HashOAID: hashOAID(i)},
		ActionParam:   map[string]any{"value": 100 + i},
		Channel:       "CHANNEL_NATURAL",
		ProductInform: &client.ProductInform{ContentType: "EC", ProductID: []string{fmt.Sprint(i)}},
	}
}

// v3WechatAction is a valid v3.0 action for srv's WECHAT set.
func v3WechatAction(srv *wxadstest.Server, i int, outer string) client.V3UserAction {
	return client.V3UserAction{
		ActionTime:    srv.Clock.Now().Unix(),
		ActionType:    "COMPLETE_ORDER",
		OuterActionID: outer,
		UserID:        client.V3UserID{WechatAppID: srv.AppID, WechatOpenID: srv.Followers[i%len(srv.Followers)]},
		ActionParam:   map[string]any{"value": 4000},
	}
}

func TestV3UploadWithOAuth(t *testing.T) {
	srv := wxadstest.NewServer(t)
	ctx := context.Background()
	c, _ := srv.OAuthClient("")
	v3 := c.V3()
	setID, err := v3.ActionSets.Add(ctx, client.V3ActionSet{Type: "ANDROID", Name: "app", MobileAppID: 1110})
	mustNoErr(t, err)
	sets, err := v3.ActionSets.Get(ctx, client.V3ActionSetFilter{ID: setID, IncludePermission: true})
	mustNoErr(t, err)
	if len(sets) != 1 || sets[0].Type != "ANDROID" || sets[0].MobileAppID != 1110 || sets[0].Permission == nil {
		t.Fatalf("sets/get: %+v", sets)
	}
	// The WeChat side lists the same set.
	wsets, err := srv.Client().ActionSets.Get(ctx, client.ActionSetFilter{ID: setID})
	mustNoErr(t, err)
	if len(wsets) != 1 || wsets[0].Name != "app" {
		t.Fatalf("WeChat side: %+v", wsets)
	}

	actions := make([]client.V3UserAction, 120)
	for i := range actions {
		actions[i] = v3Action(srv, i)
	}
	sum, err := v3.UserActions.Add(ctx, setID, actions...)
	mustNoErr(t, err)
	if sum.Requests != 3 || sum.Accepted != 120 || sum.Duplicates != 0 {
		t.Fatalf("first upload: %+v", sum)
	}
	if actions[0].OuterActionID != "" {
		t.Fatal("Add modified the caller's slice")
	}
	// The same actions again: the filled outer_action_id dedups them.
	sum, err = v3.UserActions.Add(ctx, setID, actions...)
	mustNoErr(t, err)
	if sum.Accepted != 0 || sum.Duplicates != 120 {
		t.Fatalf("resend: %+v", sum)
	}
	today := srv.Clock.Now().In(time.FixedZone("GMT+8", 8*3600)).Format(time.DateOnly)
	rows, err := v3.Reports.Get(ctx, client.ReportQuery{SetID: setID, StartDate: today, EndDate: today, Granularity: "DAILY"})
	mustNoErr(t, err)
	if len(rows) != 1 || rows[0].RawActionCount != 120 {
		t.Fatalf("report: %+v", rows)
	}
}

func TestV3AppTokenAndDedupAcrossAPIs(t *testing.T) {
	srv := wxadstest.NewServer(t)
	ctx := context.Background()
	c := srv.Client() // the app's own token works on /v3.0 too
	_, err := c.UserActions.AddBatch(ctx, []client.UserAction{{
		UserActionSetID: srv.SetID, URL: "https://shop.example.com/o", ActionTime: srv.Clock.Now().Unix(),
		ActionType: "COMPLETE_ORDER", OuterActionID: "order_1001",
		UserID:      client.UserID{WechatAppID: srv.AppID, WechatOpenID: srv.Followers[0]},
		ActionParam: map[string]any{"source": "Biz", "claim_type": 0, "value": 4000},
	}}, client.AddOptions{})
	mustNoErr(t, err)
	for _, api := range []struct {
		name string
		c    *client.Client
	}{{"app token", c}, {"OAuth token", first(srv.OAuthClient(""))}} {
		sum, err := api.c.V3().UserActions.Add(ctx, srv.SetID,
			v3WechatAction(srv, 0, "order_1001"), v3WechatAction(srv, 1, "order_1002_"+api.name[:3]))
		mustNoErr(t, err)
		if sum.Accepted != 1 || sum.Duplicates != 1 {
			t.Fatalf("%s: order_1001 sent on v1.0 and v3.0 must count once: %+v", api.name, sum)
		}
	}
	today := srv.Clock.Now().In(time.FixedZone("GMT+8", 8*3600)).Format(time.DateOnly)
	for _, g := range []string{"DAILY", "HOURLY"} {
		q := client.ReportQuery{SetID: srv.SetID, StartDate: today, EndDate: today, Granularity: g}
		v1, err := c.Reports.Get(ctx, q)
		mustNoErr(t, err)
		v3, err := c.V3().Reports.Get(ctx, q)
		mustNoErr(t, err)
		if !reflect.DeepEqual(v1, v3) || len(v1) == 0 {
			t.Fatalf("%s reports differ:\nv1.0 %+v\nv3.0 %+v", g, v1, v3)
		}
		if g == "DAILY" && v1[0].RawActionCount != 3 {
			t.Fatalf("raw_action_count %d, want 3", v1[0].RawActionCount)
		}
	}
}

func first[A, B any](a A, _ B) A { return a }

func TestV3ErrorTyping(t *testing.T) {
	srv := wxadstest.NewServer(t)
	ctx := context.Background()
	rec, hc := newRecorder(t)
	c, _ := srv.OAuthClient("", client.WithHTTPClient(hc))
	v3 := c.V3()
	setID, err := v3.ActionSets.Add(ctx, client.V3ActionSet{Type: "ANDROID", Name: "app"})
	mustNoErr(t, err)

	// Offline: nothing is sent, the path names the action in the caller's slice.
	actions := make([]client.V3UserAction, 70)
	for i := range actions {
		actions[i] = v3Action(srv, i)
	}
	actions[60].UserID.HashOAID = "0123"
	_, err = v3.UserActions.Add(ctx, setID, actions...)
	var ve *client.ValidationError
	var ae *client.APIError
	if !errors.As(err, &ve) || !ve.Offline || !errors.As(err, &ae) || ae.Code != 18005 || ae.Param != "actions[60].user_id.hash_oaid" {
		t.Fatalf("offline: %v", err)
	}
	if n := rec.count("/v3.0/user_actions/add"); n != 0 {
		t.Fatalf("%d requests sent after an offline refusal", n)
	}

	// The server's refusal of an atomic batch: the same code and path.
	_, err = v3.UserActions.AddBatch(ctx, setID, actions[59:61], client.AddOptions{})
	if !errors.As(err, &ae) || ae.Code != 18005 || ae.Param != "actions[1].user_id.hash_oaid" || ae.MessageCN == "" ||
		ae.RequestID == "" || ae.Route != "/v3.0/user_actions/add" {
		t.Fatalf("server: %#v", err)
	}
	if client.Retryable(err) {
		t.Fatal("a validation error is not retryable")
	}

	// Another advertiser's account: 31011, the WeChat side's sentinel.
	other := c.V3()
	other.AccountID = srv.AccountID + 1000
	_, err = other.ActionSets.Get(ctx, client.V3ActionSetFilter{})
	if !errors.Is(err, client.ErrNotAccessible) || !errors.As(err, &ae) || ae.Hint() == "" {
		t.Fatalf("another account: %v", err)
	}
	// Without an account id nothing is sent.
	other.AccountID = 0
	if _, err := other.UserActions.Add(ctx, setID, v3Action(srv, 0)); err == nil {
		t.Fatal("no account_id: no error")
	}
	// A WECHAT set needs openid and appid: only the server knows the set's type.
	sum, err := v3.UserActions.Add(ctx, srv.SetID, v3Action(srv, 0))
	if !errors.As(err, &ve) || ve.Offline || len(sum.Failed) != 1 || sum.Failed[0].Err.Code != 18001 {
		t.Fatalf("device id in a WECHAT set: %v %+v", err, sum)
	}
}

func TestV3FreshNonceOnRetry(t *testing.T) {
	srv := wxadstest.NewServer(t)
	ctx := context.Background()
	rec, hc := newRecorder(t)
	c, _ := srv.OAuthClient("", client.WithHTTPClient(hc))
	v3 := c.V3()
	setID, err := v3.ActionSets.Add(ctx, client.V3ActionSet{Type: "ANDROID", Name: "app"})
	mustNoErr(t, err)
	admin := srv.Admin()
	_, err = admin.SetFaults(ctx, []client.FaultRule{{Route: "POST /v3.0/user_actions/add", Errcode: -1, Count: 2}})
	mustNoErr(t, err)

	sum, err := v3.UserActions.Add(ctx, setID, v3Action(srv, 1), v3Action(srv, 2))
	mustNoErr(t, err)
	if sum.Accepted != 2 {
		t.Fatalf("after two faults: %+v", sum)
	}
	reqs := rec.requests("/v3.0/user_actions/add")
	if len(reqs) != 3 {
		t.Fatalf("%d attempts, want 3", len(reqs))
	}
	nonces := map[string]bool{}
	for _, r := range reqs {
		nonces[r.query["nonce"][0]] = true
		if string(r.body) != string(reqs[0].body) {
			t.Fatal("the body changed between attempts")
		}
	}
	if len(nonces) != 3 {
		t.Fatalf("nonces reused across attempts: %v", nonces)
	}
	rules, err := admin.Faults(ctx)
	mustNoErr(t, err)
	if len(rules) != 1 || rules[0].Hits != 2 {
		t.Fatalf("fault hits: %+v", rules)
	}
}

func TestV3Flags(t *testing.T) {
	srv := wxadstest.NewServer(t)
	ctx := context.Background()
	c, _ := srv.OAuthClient("user_actions")
	v3 := c.V3()
	setID, err := v3.ActionSets.Add(ctx, client.V3ActionSet{Type: "ANDROID", Name: "app"})
	mustNoErr(t, err)
	good, bad := v3Action(srv, 1), v3Action(srv, 2)
	good.OuterActionID, bad.OuterActionID = "a1", "a2"
	bad.UserID.HashOAID = "xyz"

	res, err := v3.UserActions.AddBatch(ctx, setID, []client.V3UserAction{good}, client.AddOptions{ValidateOnly: true})
	mustNoErr(t, err)
	if res.Valid != 1 || res.Accepted != 0 {
		t.Fatalf("validate_only: %+v", res)
	}
	res, err = v3.UserActions.AddBatch(ctx, setID, []client.V3UserAction{good, bad}, client.AddOptions{PartialFailure: true})
	mustNoErr(t, err)
	if res.Accepted != 1 || len(res.Failed) != 1 || res.Failed[0].Index != 1 || res.Failed[0].Err.Code != 18005 ||
		res.Failed[0].Err.Param != "actions[1].user_id.hash_oaid" {
		t.Fatalf("partial_failure: %+v", res)
	}
	// validate_only stored nothing: the report counts the one partial_failure stored.
	today := srv.Clock.Now().In(time.FixedZone("GMT+8", 8*3600)).Format(time.DateOnly)
	rows, err := v3.Reports.Get(ctx, client.ReportQuery{SetID: setID, StartDate: today, EndDate: today, Granularity: "DAILY"})
	mustNoErr(t, err)
	if len(rows) != 1 || rows[0].RawActionCount != 1 {
		t.Fatalf("report: %+v", rows)
	}
	// Validate alone: the same rule offline.
	if err := v3.UserActions.Validate(setID, []client.V3UserAction{good, bad}); err == nil {
		t.Fatal("Validate passed a bad hash_oaid")
	}
}
