package client_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/wxads/wxads/client"
	"github.com/wxads/wxads/wxadstest"
)

// The read services decode what the platform answers.
func TestServices(t *testing.T) {
	srv := wxadstest.NewServer(t)
	ctx := context.Background()
	c := srv.Client()

	id, err := c.ActionSets.Add(ctx, client.ActionSet{Type: "WEB", Name: "site"})
	mustNoErr(t, err)
	sets, err := c.ActionSets.Get(ctx, client.ActionSetFilter{ID: id})
	mustNoErr(t, err)
	if len(sets) != 1 || sets[0].Name != "site" || sets[0].Type != "WEB" {
		t.Fatalf("sets %+v", sets)
	}

	now := srv.Clock.Now()
	mustNoErr(t, srv.Admin().AddAdEvents(ctx, []client.AdEvent{{Type: "CLICK", AppID: srv.AppID,
		OpenID: srv.Followers[0], AdID: 42, CampaignID: 4, ClickID: "click-1", Time: now.Unix() - 60}}))
	a := action(srv, 0)
	a.Trace = &client.Trace{ClickID: "click-1"}
	b := action(srv, 1)
	b.ActionType, b.CustomAction = "CUSTOM", "share"
	_, err = c.UserActions.Add(ctx, a, b)
	mustNoErr(t, err)

	list, err := c.UserActions.List(ctx, srv.SetID, 1, 10)
	mustNoErr(t, err)
	if list.PageInfo.TotalNumber != 2 || !list.List[0].Identified || list.List[0].ReceivedTime == "" {
		t.Fatalf("list %+v", list)
	}
	var attributed int
	for _, s := range list.List {
		if s.AttributedAdID != nil && *s.AttributedAdID == 42 {
			attributed++
		}
	}
	if attributed != 1 {
		t.Fatalf("%d actions attributed to ad 42, want 1", attributed)
	}

	day := now.In(time.FixedZone("GMT+8", 8*3600)).Format("2006-01-02")
	rows, err := c.Reports.Get(ctx, client.ReportQuery{SetID: srv.SetID, StartDate: day, EndDate: day,
		Granularity: "DAILY", Aggregation: "ACTION_TYPE"})
	mustNoErr(t, err)
	if len(rows) != 2 || rows[0].ActionType != "COMPLETE_ORDER" || rows[1].CustomAction != "share" {
		t.Fatalf("report %+v", rows)
	}
	ads, err := c.AdReports.Get(ctx, client.AdReportQuery{StartDate: day, EndDate: day})
	mustNoErr(t, err)
	if len(ads) != 1 || ads[0].AdID != 42 || ads[0].Conversions != 1 || ads[0].Value != 100 {
		t.Fatalf("ad report %+v", ads)
	}

	tl, err := c.Templates.Get(ctx, client.TemplateQuery{
		Filtering: []client.Filter{{Field: "adcreative_template_id", Operator: "EQUALS", Values: []string{"69"}}}})
	mustNoErr(t, err)
	if len(tl.List) != 1 || tl.PageInfo.TotalNumber != 1 {
		t.Fatalf("templates %+v", tl)
	}
	v, err := c.Templates.Validate(ctx, 69, json.RawMessage(`{}`))
	mustNoErr(t, err)
	if len(v) == 0 || v[0].Rule == "" {
		t.Fatalf("an empty creative broke no rule: %+v", v)
	}

	res, err := c.UserActions.AddBatch(ctx, []client.UserAction{action(srv, 2)}, client.AddOptions{ValidateOnly: true})
	mustNoErr(t, err)
	if res.Valid != 1 {
		t.Fatalf("validate_only: %+v", res)
	}
}

// The request inspector lists the client's calls, newest first.
func TestRequests(t *testing.T) {
	srv := wxadstest.NewServer(t)
	ctx := context.Background()
	c := srv.Client()
	_, err := c.UserActions.Add(ctx, action(srv, 0))
	mustNoErr(t, err)
	tok, _ := c.Token(ctx)
	var got *client.RequestList
	for range 50 { // the inspector records in the background
		got, err = c.Requests.Get(ctx, client.RequestQuery{Route: "/marketing/user_actions/add"})
		mustNoErr(t, err)
		if len(got.List) > 0 {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	if len(got.List) == 0 {
		t.Fatal("the platform's inspector recorded no upload within a second")
	}
	r := got.List[0]
	if r.Route != "/marketing/user_actions/add" || r.RequestID == "" || len(r.Raw) == 0 || r.Errcode != 0 {
		t.Fatalf("request %+v", r)
	}
	if len(r.Actions) != 1 || r.Actions[0].Verdict != "stored" || !r.Actions[0].Identified {
		t.Fatalf("verdicts %+v", r.Actions)
	}
	if strings.Contains(r.Query+r.Body, tok) {
		t.Fatal("the inspector shows the token")
	}
}
