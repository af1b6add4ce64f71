package client_test

import (
	"context"
	"encoding/json"
	"errors"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/wxads/wxads/client"
	"github.com/wxads/wxads/wxadstest"
)

const addPath = "/marketing/user_actions/add"

// 175 actions go as 50/50/50/25 in order; sending the same 175 again
// stores nothing new (the outer ids derive from the content).
func TestAddBatchesAndDedups(t *testing.T) {
	srv := wxadstest.NewServer(t)
	rec, hc := newRecorder(t)
	c := srv.Client(client.WithHTTPClient(hc))
	ctx := context.Background()
	actions := make([]client.UserAction, 175)
	for i := range actions {
		actions[i] = action(srv, i)
	}
	sum, err := c.UserActions.Add(ctx, actions...)
	mustNoErr(t, err)
	if sum.Requests != 4 || sum.Accepted != 175 || sum.Duplicates != 0 {
		t.Fatalf("first send: %+v", sum)
	}
	var sizes []int
	next := 0
	for _, r := range rec.requests(addPath) {
		var body struct {
			Actions []client.UserAction `json:"actions"`
		}
		mustNoErr(t, json.Unmarshal(r.body, &body))
		sizes = append(sizes, len(body.Actions))
		for _, a := range body.Actions { // in order, each with its outer id
			if a.URL != actions[next].URL || a.OuterActionID != client.OuterActionID(actions[next]) {
				t.Fatalf("request action %d is not actions[%d] with its outer id", next, next)
			}
			next++
		}
	}
	if !equalInts(sizes, []int{50, 50, 50, 25}) {
		t.Fatalf("request sizes %v, want 50/50/50/25", sizes)
	}
	if actions[0].OuterActionID != "" {
		t.Fatal("Add modified the caller's slice")
	}

	sum, err = c.UserActions.Add(ctx, actions...)
	mustNoErr(t, err)
	if sum.Requests != 4 || sum.Accepted != 0 || sum.Duplicates != 175 {
		t.Fatalf("resend: %+v, want 175 duplicates", sum)
	}
	list, err := c.UserActions.List(ctx, srv.SetID, 1, 1)
	mustNoErr(t, err)
	if list.PageInfo.TotalNumber != 175 {
		t.Fatalf("%d stored, want 175", list.PageInfo.TotalNumber)
	}
	day := srv.Clock.Now().In(time.FixedZone("GMT+8", 8*3600)).Format("2006-01-02")
	rows, err := c.Reports.Get(ctx, client.ReportQuery{SetID: srv.SetID, StartDate: day, EndDate: day, Granularity: "DAILY"})
	mustNoErr(t, err)
	if len(rows) != 1 || rows[0].RawActionCount != 175 || rows[0].IdentifiedActionCount != 175 {
		t.Fatalf("report %+v, want 175 raw and identified", rows)
	}
}

func TestOuterActionID(t *testing.T) {
	srv := wxadstest.NewServer(t)
	a := action(srv, 3)
	id := client.OuterActionID(a)
	if !regexp.MustCompile(`^[A-Za-z0-9_]{1,255}$`).MatchString(id) {
		t.Fatalf("id %q is not a valid outer_action_id", id)
	}
	b := a
	b.OuterActionID = "caller-set"
	b.ActionParam = map[string]any{"value": 103, "claim_type": 0, "source": "Biz"} // same content, other map order
	if client.OuterActionID(b) != id {
		t.Fatal("the id depends on outer_action_id or map order")
	}
	for _, change := range []func(*client.UserAction){
		func(a *client.UserAction) { a.ActionTime++ },
		func(a *client.UserAction) { a.URL += "x" },
		func(a *client.UserAction) { a.UserID.WechatOpenID = "o" + strings.Repeat("x", 27) },
		func(a *client.UserAction) {
			a.ActionParam = map[string]any{"source": "Biz", "claim_type": 0, "value": 104}
		},
		func(a *client.UserAction) { a.Trace = &client.Trace{ClickID: "c1"} },
	} {
		c := a
		change(&c)
		if client.OuterActionID(c) == id {
			t.Fatalf("a change left the id as it was: %+v", c)
		}
	}
}

// Offline validation refuses what the server refuses, with the same code
// and parameter path, and sends nothing.
func TestOfflineValidationMatchesServer(t *testing.T) {
	srv := wxadstest.NewServer(t)
	ctx := context.Background()
	for _, tc := range []struct {
		name   string
		change func(*client.UserAction)
	}{
		{"relative url", func(a *client.UserAction) { a.URL = "/order/1" }},
		{"no action_type", func(a *client.UserAction) { a.ActionType = "" }},
		{"custom without name", func(a *client.UserAction) { a.ActionType = "CUSTOM" }},
		{"future", func(a *client.UserAction) { a.ActionTime = srv.Clock.Now().Unix() + 3600 }},
		{"too old", func(a *client.UserAction) { a.ActionTime = srv.Clock.Now().Unix() - 31*86400 }},
		{"bad source", func(a *client.UserAction) { a.ActionParam["source"] = "App" }},
		{"negative value", func(a *client.UserAction) { a.ActionParam["value"] = -1 }},
		{"nested param", func(a *client.UserAction) { a.ActionParam["x"] = map[string]any{"y": 1} }},
		{"bad outer id", func(a *client.UserAction) { a.OuterActionID = "a-b" }},
		{"no openid", func(a *client.UserAction) { a.UserID.WechatOpenID = "" }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rec, hc := newRecorder(t)
			c := srv.Client(client.WithHTTPClient(hc))
			actions := make([]client.UserAction, 120)
			for i := range actions {
				actions[i] = action(srv, i)
			}
			tc.change(&actions[117])
			_, err := c.UserActions.Add(ctx, actions...)
			var ve *client.ValidationError
			if !errors.As(err, &ve) || !ve.Offline || len(ve.Failed) != 1 || ve.Failed[0].Index != 117 {
				t.Fatalf("err = %v, want an offline refusal of actions[117]", err)
			}
			if len(rec.reqs) != 0 {
				t.Fatalf("%d requests sent, want none", len(rec.reqs))
			}
			off := ve.Failed[0].Err

			// The server, given the same action as actions[17] of a batch.
			batch := actions[100:]
			if tc.name != "bad outer id" { // Add filled the others' outer ids; do as it does
				for i := range batch {
					batch[i].OuterActionID = client.OuterActionID(batch[i])
				}
			}
			_, err = c.UserActions.AddBatch(ctx, batch, client.AddOptions{})
			var on *client.APIError
			if !errors.As(err, &on) {
				t.Fatalf("server accepted what offline validation refused (%v)", off)
			}
			wantParam := strings.Replace(off.Param, "actions[117]", "actions[17]", 1)
			if on.Code != off.Code || on.Param != wantParam {
				t.Fatalf("server said %d %q, offline %d %q", on.Code, on.Param, off.Code, off.Param)
			}
			if want := strings.Replace(off.Message, "actions[117]", "actions[17]", 1); on.Message != want {
				t.Fatalf("server said %q, offline %q", on.Message, off.Message)
			}
			if on.Hint() == "" || off.MessageCN == "" {
				t.Fatalf("no hint or no Chinese message: %+v", off)
			}
		})
	}
}

// What Add does on refusals: single actions refused by the server are
// collected (the rest is stored); a request refused as a whole stops Add
// with a SendError naming that request's indexes and what went before.
func TestAddRefusals(t *testing.T) {
	srv := wxadstest.NewServer(t)
	other := wxadstest.NewServer(t) // a set id that exists, but not for srv's advertiser
	ctx := context.Background()
	rec, hc := newRecorder(t)
	c := srv.Client(client.WithHTTPClient(hc))

	actions := make([]client.UserAction, 120)
	for i := range actions {
		actions[i] = action(srv, i)
	}
	actions[70].UserActionSetID = other.SetID + 1000
	sum, err := c.UserActions.Add(ctx, actions...)
	var ve *client.ValidationError
	if !errors.As(err, &ve) || ve.Offline || len(ve.Failed) != 1 || ve.Failed[0].Index != 70 ||
		ve.Failed[0].Err.Code != 31011 || ve.Failed[0].Err.Param != "actions[70].user_action_set_id" {
		t.Fatalf("err = %v (%+v)", err, ve)
	}
	if sum.Requests != 3 || sum.Accepted != 119 {
		t.Fatalf("summary %+v, want 3 requests and 119 accepted", sum)
	}

	rec.inject(addPath, fault{pass: true}, fault{body: `{"errcode":45009,"errmsg":"reach max api daily quota limit"}`, before: true})
	for i := range actions {
		actions[i] = action(srv, i)
		actions[i].ActionTime -= 10 // new content: new outer ids
	}
	sum, err = c.UserActions.Add(ctx, actions...)
	var se *client.SendError
	if !errors.As(err, &se) || se.First != 50 || se.Last != 99 || !errors.Is(err, client.ErrQuotaExceeded) {
		t.Fatalf("err = %v, want a SendError for actions[50]–[99]", err)
	}
	if sum.Requests != 1 || sum.Accepted != 50 || se.Summary.Accepted != 50 {
		t.Fatalf("summary %+v", sum)
	}
}
