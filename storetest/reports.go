package storetest

import (
	"context"
	"fmt"
	"testing"

	"github.com/wxads/wxads"
)

// reportAction is an action of set at `at`, typed typ (custom for CUSTOM), on domain.
func reportAction(set int64, openid, outer string, at int64, typ, custom, domain string) wxads.Action {
	a := action(set, appA, openid, outer, at)
	a.ActionType, a.CustomAction, a.Domain, a.URL = typ, custom, domain, "https://"+domain+"/"
	return a
}

func testReport(t *testing.T, f *fixture) {
	acc := f.advertiser("Acme")
	f.app(acc, appA)
	set, other := f.set(acc, "s", appA), f.set(acc, "other", appA)
	u1, u2, u3 := openID(1), openID(2), openID(3)
	f.follow(appA, u1, u2) // u3 is no follower: counted raw, not identified
	const reg, order, custom = wxads.ActionRegister, wxads.ActionCompleteOrder, wxads.ActionCustom
	h9, h10 := int64(day0+9*hour), int64(day0+10*hour)
	r1 := reportAction(set, u1, "r1", h9+600, reg, "", "a.com")
	f.ingest(acc, r1,
		reportAction(set, u1, "r2", h9+1200, reg, "", "b.com"),
		reportAction(set, u3, "r3", h9+1800, order, "", "a.com"),
		reportAction(set, u1, "r6", day0-1, reg, "", "a.com"), // 2026-11-22 23:59:59 GMT+8
	)
	f.ingest(acc, r1, // a duplicate is not counted again
		reportAction(set, u2, "r4", h10+300, custom, "vip", "a.com"),
		reportAction(set, u2, "r5", h10+360, custom, "gold", "a.com"),
		reportAction(set, u2, "r7", day0+day-1, reg, "", "a.com"), // 23:59:59, the same GMT+8 day
		reportAction(set, u1, "r8", day0+day, reg, "", "a.com"),   // 00:00:00 the next day
		reportAction(set, u1, "r9", h9+2400, reg, "", "a.com"),    // u1 again: still one user
	)
	h23 := int64(day0 + 23*hour)
	type R = wxads.ReportRow
	cases := []struct {
		gran, agg  string
		start, end int64
		want       []R
	}{
		{wxads.Daily, wxads.AggNone, day0 - day, day0 + day, []R{
			{Period: day0 - day, Raw: 1, Identified: 1, Users: 1},
			{Period: day0, Raw: 7, Identified: 6, Users: 2},
			{Period: day0 + day, Raw: 1, Identified: 1, Users: 1}}},
		{wxads.Daily, wxads.AggNone, day0, day0, []R{{Period: day0, Raw: 7, Identified: 6, Users: 2}}},
		{wxads.Daily, wxads.AggDomain, day0, day0, []R{
			{Period: day0, Domain: "a.com", Raw: 6, Identified: 5},
			{Period: day0, Domain: "b.com", Raw: 1, Identified: 1}}},
		{wxads.Daily, wxads.AggActionType, day0, day0, []R{
			{Period: day0, ActionType: order, Raw: 1},
			{Period: day0, ActionType: custom, CustomAction: "gold", Raw: 1, Identified: 1},
			{Period: day0, ActionType: custom, CustomAction: "vip", Raw: 1, Identified: 1},
			{Period: day0, ActionType: reg, Raw: 4, Identified: 4}}},
		{wxads.Hourly, wxads.AggNone, day0, day0, []R{
			{Period: h9, Raw: 4, Identified: 3, Users: 1},
			{Period: h10, Raw: 2, Identified: 2, Users: 1},
			{Period: h23, Raw: 1, Identified: 1, Users: 1}}},
		{wxads.Hourly, wxads.AggNone, day0 - day, day0 - day, []R{{Period: day0 - hour, Raw: 1, Identified: 1, Users: 1}}},
		{wxads.Hourly, wxads.AggDomain, day0, day0, []R{
			{Period: h9, Domain: "a.com", Raw: 3, Identified: 2},
			{Period: h9, Domain: "b.com", Raw: 1, Identified: 1},
			{Period: h10, Domain: "a.com", Raw: 2, Identified: 2},
			{Period: h23, Domain: "a.com", Raw: 1, Identified: 1}}},
		{wxads.Hourly, wxads.AggActionType, day0, day0, []R{
			{Period: h9, ActionType: order, Raw: 1},
			{Period: h9, ActionType: reg, Raw: 3, Identified: 3},
			{Period: h10, ActionType: custom, CustomAction: "gold", Raw: 1, Identified: 1},
			{Period: h10, ActionType: custom, CustomAction: "vip", Raw: 1, Identified: 1},
			{Period: h23, ActionType: reg, Raw: 1, Identified: 1}}},
		{wxads.Daily, wxads.AggNone, day0 + 2*day, day0 + 3*day, nil},
	}
	for _, c := range cases {
		got, err := f.s.Report(f.ctx, wxads.ReportQuery{SetID: set, Start: c.start, End: c.end,
			Granularity: c.gran, Aggregation: c.agg})
		f.must(err, "Report")
		if fmt.Sprint(got) != fmt.Sprint(c.want) && len(got)+len(c.want) > 0 {
			t.Errorf("Report %s/%q %d..%d:\n got %+v\nwant %+v", c.gran, c.agg, c.start, c.end, got, c.want)
		}
	}
	if got, err := f.s.Report(f.ctx, wxads.ReportQuery{SetID: other, Start: day0 - day, End: day0 + day,
		Granularity: wxads.Daily}); err != nil || len(got) != 0 {
		t.Errorf("report of a set without actions: %+v, %v", got, err)
	}
}

func testAdReport(t *testing.T, f *fixture) {
	acc, other := f.twoAdvertisers(appA)
	set, otherSet := f.set(acc, "s", appA), f.set(other, "s", appO)
	u1, u2, u3 := openID(1), openID(2), openID(3)
	f.follow(appA, u1)
	f.follow(appO, u1)
	f.must(f.s.AddAdEvents(f.ctx, []wxads.AdEvent{
		{Type: wxads.EventClick, AppID: appA, OpenID: u1, AdID: 101, CampaignID: 7, ClickID: "c1", Time: day0 + 8*hour},
		{Type: wxads.EventFollow, AppID: appA, OpenID: u2, AdID: 102, CampaignID: 8, Time: day0 + 8*hour},
		{Type: wxads.EventClick, AppID: appO, OpenID: u1, AdID: 201, CampaignID: 9, Time: day0 + 8*hour},
	}, day0+8*hour), "AddAdEvents")
	conv := func(set int64, appid, openid, outer string, claim int, at, value int64, typ string) wxads.Action {
		a := action(set, appid, openid, outer, at)
		a.ClaimType, a.Value, a.ActionType = claim, value, typ
		return a
	}
	const order, reg = wxads.ActionCompleteOrder, wxads.ActionRegister
	h9, h10 := int64(day0+9*hour), int64(day0+10*hour)
	f.ingest(acc,
		conv(set, appA, u1, "1", wxads.ClaimClick, h9, 1000, order),
		conv(set, appA, u1, "2", wxads.ClaimClick, h9+1800, 500, order),
		conv(set, appA, u1, "3", wxads.ClaimClick, h10, 0, reg),
		conv(set, appA, u2, "4", wxads.ClaimFollow, h10+60, 200, order),
		conv(set, appA, u3, "5", wxads.ClaimClick, h10, 999, order),     // not identified: not attributed
		conv(set, appA, u1, "6", wxads.ClaimClick, day0+day, 40, order), // next GMT+8 day
	)
	f.ingest(acc, conv(set, appA, u1, "1", wxads.ClaimClick, h9, 1000, order)) // duplicate: not counted
	f.ingest(other, conv(otherSet, appO, u1, "1", wxads.ClaimClick, h9, 7, order))
	type R = wxads.AdReportRow
	cases := []struct {
		account    int64
		gran       string
		start, end int64
		want       []R
	}{
		{acc, wxads.Daily, day0, day0, []R{
			{Period: day0, AdID: 101, CampaignID: 7, ActionType: order, Conversions: 2, Value: 1500},
			{Period: day0, AdID: 101, CampaignID: 7, ActionType: reg, Conversions: 1},
			{Period: day0, AdID: 102, CampaignID: 8, ActionType: order, Conversions: 1, Value: 200}}},
		{acc, wxads.Hourly, day0, day0, []R{
			{Period: h9, AdID: 101, CampaignID: 7, ActionType: order, Conversions: 2, Value: 1500},
			{Period: h10, AdID: 101, CampaignID: 7, ActionType: reg, Conversions: 1},
			{Period: h10, AdID: 102, CampaignID: 8, ActionType: order, Conversions: 1, Value: 200}}},
		{acc, wxads.Daily, day0 + day, day0 + day, []R{
			{Period: day0 + day, AdID: 101, CampaignID: 7, ActionType: order, Conversions: 1, Value: 40}}},
		{other, wxads.Daily, day0 - day, day0 + day, []R{
			{Period: day0, AdID: 201, CampaignID: 9, ActionType: order, Conversions: 1, Value: 7}}},
		{acc, wxads.Daily, day0 - 2*day, day0 - day, nil},
	}
	for _, c := range cases {
		got, err := f.s.AdReport(f.ctx, wxads.AdReportQuery{AccountID: c.account, Start: c.start, End: c.end,
			Granularity: c.gran})
		f.must(err, "AdReport")
		if fmt.Sprint(got) != fmt.Sprint(c.want) && len(got)+len(c.want) > 0 {
			t.Errorf("AdReport account %d %s %d..%d:\n got %+v\nwant %+v", c.account, c.gran, c.start, c.end, got, c.want)
		}
	}
}

// AllReports returns every report shape of set from the GMT+8 day starting
// at start to the one starting at end, keyed "GRANULARITY/AGGREGATION": what
// a backend's migration of its rollups must leave as it was.
func AllReports(t testing.TB, s wxads.ReportStore, set, start, end int64) map[string][]wxads.ReportRow {
	t.Helper()
	out := map[string][]wxads.ReportRow{}
	for _, g := range []string{wxads.Hourly, wxads.Daily} {
		for _, agg := range []string{wxads.AggNone, wxads.AggDomain, wxads.AggActionType} {
			rows, err := s.Report(context.Background(), wxads.ReportQuery{SetID: set, Start: start, End: end,
				Granularity: g, Aggregation: agg})
			if err != nil {
				t.Fatal(err)
			}
			out[g+"/"+agg] = rows
		}
	}
	return out
}
