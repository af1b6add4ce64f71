package main

import (
	"bytes"
	"context"
	"fmt"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/wxads/wxads"
	"github.com/wxads/wxads/postgres"
	"github.com/wxads/wxads/postgres/pgtest"
	"github.com/wxads/wxads/sqlite"
)

// A SQLite platform copied to PostgreSQL answers the same: accounts, tokens,
// actions, reports, ad reports, catalog; a second copy into the now
// non-empty database is refused and changes nothing.
func TestMigrateSQLiteToPostgres(t *testing.T) {
	url := pgtest.FreshSchema(t)
	dir := t.TempDir()
	ctx := context.Background()
	const t0 int64 = 1795406400 // 2026-11-23 12:00:00 GMT+8
	src, err := sqlite.Open(filepath.Join(dir, "wxads.db"))
	if err != nil {
		t.Fatal(err)
	}
	adv := &wxads.Advertiser{Name: "Acme", Status: wxads.StatusApproved, CreatedTime: t0}
	must(t, src.CreateAdvertiser(ctx, adv))
	const appid = "wx000000000000000a"
	must(t, src.CreateApp(ctx, &wxads.App{AppID: appid, AccountID: adv.ID, Name: "a", SecretHash: []byte{1, 2},
		IPWhitelist: wxads.DefaultWhitelist(), CreatedTime: t0}))
	openid := func(i int) string { return fmt.Sprintf("o%027d", i) }
	must(t, src.AddFollowers(ctx, appid, []string{openid(1), openid(2)}, t0))
	must(t, src.AddFollowersWithUnionIDs(ctx, appid, []wxads.Follower{{OpenID: openid(2), UnionID: "u2"}}, t0))
	must(t, src.Issue(ctx, wxads.IssueToken{Token: wxads.Token{Hash: []byte("tok"), AppID: appid, IssuedAt: t0,
		ExpiresAt: t0 + wxads.TokenTTL}, Day: "2026-11-23", Limit: 10}))
	set := &wxads.ActionSet{AccountID: adv.ID, Type: "WEB", Name: "s", CreatorAppID: appid, CreatedTime: t0,
		MobileAppID: 1101234567, EnableConversionClaim: true}
	must(t, src.CreateActionSet(ctx, set, 10))
	oaid := wxads.UserID{Kind: "hash_oaid", Value: strings.Repeat("ab", 16)}
	must(t, src.AddAdEvents(ctx, []wxads.AdEvent{{Type: wxads.EventClick, AppID: appid, OpenID: openid(1), AdID: 7,
		CampaignID: 8, Time: t0 - 60}, {Type: wxads.EventClick, AppID: appid, AdID: 9, CampaignID: 8, Time: t0 - 30,
		UserIDs: []wxads.UserID{oaid}}}, t0))
	var batch []wxads.Action
	for i := range 30 {
		batch = append(batch, wxads.Action{SetID: set.ID, URL: "https://a.example/", Domain: "a.example",
			ActionTime: t0 + int64(i)*3600, ActionType: wxads.ActionCompleteOrder, AppID: appid, OpenID: openid(i % 3),
			OuterActionID: fmt.Sprint("o", i), Param: []byte(`{"value":5}`), Value: 5, ReceivedTime: t0 + int64(i)*3600})
	}
	batch = append(batch, wxads.Action{SetID: set.ID, URL: "https://b.example/", Domain: "b.example", ActionTime: t0,
		ActionType: wxads.ActionRegister, AppID: appid, OpenID: openid(9), Param: []byte(`{}`), ReceivedTime: t0})
	// A v3.0 action identified and attributed by its device id (ad 9), with its other fields.
	batch = append(batch, wxads.Action{SetID: set.ID, ActionTime: t0, ActionType: "ACTIVATE_APP", Param: []byte(`{}`),
		ReceivedTime: t0, UserIDs: []wxads.UserID{{Kind: "wechat_unionid", Value: "u1"}, oaid},
		ProductInform: []byte(`{"content_type":"EC"}`), Channel: "CHANNEL_NATURAL"})
	if _, err := src.Ingest(ctx, adv.ID, batch); err != nil {
		t.Fatal(err)
	}
	_, err = src.SetCatalog(ctx, []byte(`[]`))
	must(t, err)
	must(t, src.Close())

	var out, errOut bytes.Buffer
	if code := runMigrate([]string{"--from", "sqlite:" + dir, "--to", url}, &out, &errOut); code != 0 {
		t.Fatalf("migrate exited %d: %s", code, errOut.String())
	}
	t.Logf("wxads migrate:\n%s", out.String())
	if !strings.Contains(out.String(), "actions              32 rows") ||
		!strings.Contains(out.String(), "ad_event_ids         1 rows") {
		t.Errorf("migrate output:\n%s", out.String())
	}

	// Both backends answer the same.
	src, err = sqlite.Open(filepath.Join(dir, "wxads.db"))
	must(t, err)
	defer src.Close()
	dst, err := postgres.Open(ctx, url)
	must(t, err)
	defer dst.Close()
	type stores = interface {
		wxads.AccountStore
		wxads.TokenStore
		wxads.ActionSetStore
		wxads.ActionStore
		wxads.ReportStore
		wxads.AdEventStore
		wxads.CatalogStore
	}
	same := func(what string, get func(s stores) (any, error)) {
		t.Helper()
		a, errA := get(src)
		b, errB := get(dst)
		if errA != nil || errB != nil || !reflect.DeepEqual(a, b) {
			t.Errorf("%s: SQLite %+v (%v), PostgreSQL %+v (%v)", what, a, errA, b, errB)
		}
	}
	same("app", func(s stores) (any, error) { return s.App(ctx, appid) })
	same("followers", func(s stores) (any, error) {
		list, total, err := s.ListFollowers(ctx, appid, 0, 10)
		if err == nil && (len(list) != 2 || list[1].UnionID != "u2") {
			t.Errorf("followers %+v: want openid 2 with its unionid", list)
		}
		return fmt.Sprint(total, list), err
	})
	same("token", func(s stores) (any, error) { return s.Lookup(ctx, []byte("tok")) })
	same("action sets", func(s stores) (any, error) { return s.ActionSets(ctx, adv.ID, wxads.ActionSetFilter{}) })
	same("actions", func(s stores) (any, error) {
		list, total, err := s.ListActions(ctx, set.ID, 0, 100)
		return fmt.Sprint(total, list), err
	})
	for _, g := range []string{wxads.Daily, wxads.Hourly} {
		same("report "+g, func(s stores) (any, error) {
			return s.Report(ctx, wxads.ReportQuery{SetID: set.ID, Start: wxads.DayOf(t0), End: wxads.DayOf(t0) + 86400, Granularity: g})
		})
	}
	same("ad report", func(s stores) (any, error) {
		return s.AdReport(ctx, wxads.AdReportQuery{AccountID: adv.ID, Start: wxads.DayOf(t0), End: wxads.DayOf(t0) + 86400, Granularity: wxads.Daily})
	})
	same("ad events", func(s stores) (any, error) {
		list, total, err := s.ListAdEvents(ctx, appid, 0, 10)
		return fmt.Sprint(total, list), err
	})
	if list, _, err := dst.ListActions(ctx, set.ID, 0, 1); err != nil || len(list) != 1 ||
		list[0].IdentifiedBy != oaid.String() || list[0].AttributedAdID != 9 || list[0].Channel != "CHANNEL_NATURAL" {
		t.Errorf("the device-identified action in PostgreSQL: %+v, %v", list, err)
	}
	if res, err := dst.Ingest(ctx, adv.ID, []wxads.Action{{SetID: set.ID, ActionTime: t0, ActionType: "ACTIVATE_APP",
		Param: []byte(`{}`), ReceivedTime: t0, UserIDs: []wxads.UserID{oaid}}}); err != nil || res.Accepted != 1 {
		t.Errorf("ingest after the copy: %+v, %v", res, err)
	} else if list, _, _ := dst.ListActions(ctx, set.ID, 0, 1); len(list) != 1 || list[0].AttributedAdID != 9 {
		t.Errorf("the copied device id does not attribute in PostgreSQL: %+v", list)
	}
	same("catalog", func(s stores) (any, error) { v, b, err := s.Catalog(ctx); return fmt.Sprint(v, string(b)), err })

	// Ids continue past the imported ones, and dedup keys came along.
	next := &wxads.Advertiser{Name: "Next", Status: wxads.StatusApproved, CreatedTime: t0}
	must(t, dst.CreateAdvertiser(ctx, next))
	if next.ID <= adv.ID {
		t.Errorf("new advertiser id %d, want above the imported %d", next.ID, adv.ID)
	}
	if res, err := dst.Ingest(ctx, adv.ID, batch[:1]); err != nil || res.Duplicates != 1 {
		t.Errorf("re-sending an imported action: %+v, %v; want a duplicate", res, err)
	}

	errOut.Reset()
	if code := runMigrate([]string{"--from", "sqlite:" + dir, "--to", url}, &out, &errOut); code != 1 ||
		!strings.Contains(errOut.String(), "not empty") {
		t.Errorf("second migrate: exit %d, %s; want a refusal naming the non-empty target", code, errOut.String())
	}
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
