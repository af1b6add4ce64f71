// The admin reads: advertisers, apps, followers and ad events, paged by
// offset and limit with the total.

package storetest

import (
	"fmt"
	"reflect"
	"slices"
	"testing"

	"github.com/wxads/wxads"
)

// pages reads a list in pages of size and checks every page's total; it
// returns the rows of all pages in order.
func pages[T any](f *fixture, what string, size int, list func(offset, limit int) ([]T, int, error)) []T {
	f.t.Helper()
	var all []T
	_, want, err := list(0, 0)
	f.must(err, what+" total only")
	// One page past the end too, which must be empty (bounded: a backend
	// ignoring offset fails instead of looping).
	for offset := 0; offset < want+size; offset += size {
		rows, total, err := list(offset, size)
		f.must(err, fmt.Sprintf("%s offset %d", what, offset))
		if total != want {
			f.t.Fatalf("%s offset %d: total %d, want %d", what, offset, total, want)
		}
		if wantRows := min(size, max(want-offset, 0)); len(rows) != wantRows {
			f.t.Fatalf("%s offset %d limit %d: %d rows, want %d", what, offset, size, len(rows), wantRows)
		}
		all = append(all, rows...)
	}
	if len(all) != want {
		f.t.Fatalf("%s: %d rows over all pages, total %d", what, len(all), want)
	}
	return all
}

func testListAdvertisers(t *testing.T, f *fixture) {
	if got, total, err := f.s.ListAdvertisers(f.ctx, 0, 10); err != nil || len(got) != 0 || total != 0 {
		t.Fatalf("ListAdvertisers on an empty store = %v, %d, %v", got, total, err)
	}
	var want []wxads.Advertiser
	for i := range 5 {
		a := wxads.Advertiser{Name: fmt.Sprint("adv", i), Status: wxads.StatusApproved, CreatedTime: t0 + int64(i)}
		if i == 3 {
			a.Status = wxads.StatusPending
		}
		f.must(f.s.CreateAdvertiser(f.ctx, &a), "CreateAdvertiser")
		want = append(want, a)
	}
	got := pages(f, "ListAdvertisers", 2, func(o, l int) ([]wxads.Advertiser, int, error) {
		return f.s.ListAdvertisers(f.ctx, o, l)
	})
	if !slices.Equal(got, want) {
		t.Errorf("ListAdvertisers = %+v, want %+v (by account id)", got, want)
	}
	if rows, total, err := f.s.ListAdvertisers(f.ctx, 100, 10); err != nil || len(rows) != 0 || total != 5 {
		t.Errorf("ListAdvertisers past the end = %v, %d, %v; want none of 5", rows, total, err)
	}
}

func testListApps(t *testing.T, f *fixture) {
	acc, other, empty := f.advertiser("Acme"), f.advertiser("Beta"), f.advertiser("Empty")
	// Created out of appid order: lists are by created time, then appid.
	for i, appid := range []string{"wx0000000000000003", "wx0000000000000001", "wx0000000000000002"} {
		f.must(f.s.CreateApp(f.ctx, &wxads.App{AppID: appid, AccountID: acc, Name: fmt.Sprint("app", i),
			SecretHash: []byte("secret hash"), IPWhitelist: prefixes("10.0.0.0/8"), CreatedTime: t0 + int64(i%2)}),
			"CreateApp "+appid)
	}
	f.must(f.s.CreateApp(f.ctx, &wxads.App{AppID: appO, AccountID: other, Name: "other", SecretHash: []byte{1},
		CreatedTime: t0 - 10}), "CreateApp other")
	appids := func(apps []wxads.App) []string {
		ids := make([]string, len(apps))
		for i, a := range apps {
			ids[i] = a.AppID
			if a.SecretHash != nil {
				t.Errorf("ListApps carries %s's secret hash", a.AppID)
			}
		}
		return ids
	}
	list := func(account int64) []wxads.App {
		return pages(f, fmt.Sprint("ListApps ", account), 2, func(o, l int) ([]wxads.App, int, error) {
			return f.s.ListApps(f.ctx, account, o, l)
		})
	}
	mine := list(acc)
	if got, want := appids(mine), []string{"wx0000000000000002", "wx0000000000000003", "wx0000000000000001"}; !slices.Equal(got, want) {
		t.Errorf("ListApps(acc) = %v, want %v", got, want)
	}
	if a := mine[1]; a.AccountID != acc || a.Name != "app0" || a.CreatedTime != t0 || !sameList(a.IPWhitelist, prefixes("10.0.0.0/8")) {
		t.Errorf("ListApps row = %+v", a)
	}
	if got := appids(list(other)); !slices.Equal(got, []string{appO}) {
		t.Errorf("ListApps(other) = %v, want only its own app", got)
	}
	if got := appids(list(empty)); len(got) != 0 {
		t.Errorf("ListApps of an advertiser without apps = %v", got)
	}
	if got, want := appids(list(0)), []string{appO, "wx0000000000000002", "wx0000000000000003", "wx0000000000000001"}; !slices.Equal(got, want) {
		t.Errorf("ListApps(0) = %v, want every app %v", got, want)
	}
}

func testListFollowers(t *testing.T, f *fixture) {
	f.twoAdvertisers(appA, appB)
	f.must(f.s.AddFollowers(f.ctx, appA, []string{openID(3), openID(1)}, t0), "AddFollowers")
	f.must(f.s.AddFollowers(f.ctx, appA, []string{openID(2), openID(1)}, t0+5), "AddFollowers again")
	f.must(f.s.AddFollowers(f.ctx, appB, []string{openID(9)}, t0), "AddFollowers appB")
	f.must(f.s.AddAdEvents(f.ctx, []wxads.AdEvent{{Type: wxads.EventFollow, AppID: appA, OpenID: openID(4),
		AdID: 1, Time: t0}}, t0+9), "AddAdEvents FOLLOW")
	got := pages(f, "ListFollowers", 3, func(o, l int) ([]wxads.Follower, int, error) {
		return f.s.ListFollowers(f.ctx, appA, o, l)
	})
	want := []wxads.Follower{{OpenID: openID(1), CreatedTime: t0}, {OpenID: openID(2), CreatedTime: t0 + 5},
		{OpenID: openID(3), CreatedTime: t0}, {OpenID: openID(4), CreatedTime: t0 + 9}}
	if !slices.Equal(got, want) {
		t.Errorf("ListFollowers = %+v, want %+v (by openid, first registration kept)", got, want)
	}
	if rows, total, err := f.s.ListFollowers(f.ctx, appO, 0, 10); err != nil || len(rows) != 0 || total != 0 {
		t.Errorf("ListFollowers of an app without followers = %v, %d, %v", rows, total, err)
	}
}

func testListAdEvents(t *testing.T, f *fixture) {
	f.twoAdvertisers(appA)
	var want []wxads.AdEvent
	for i := range 7 {
		e := wxads.AdEvent{Type: wxads.EventClick, AppID: appA, OpenID: openID(i % 3), AdID: int64(100 + i),
			CampaignID: int64(i), ClickID: fmt.Sprint("c", i), Time: t0 - int64(i)*hour}
		if i%2 == 1 {
			e.Type, e.ClickID = wxads.EventFollow, ""
		}
		want = append(want, e)
	}
	f.must(f.s.AddAdEvents(f.ctx, want[:4], t0), "AddAdEvents")
	f.must(f.s.AddAdEvents(f.ctx, []wxads.AdEvent{{Type: wxads.EventClick, AppID: appO, OpenID: openID(1), AdID: 9,
		Time: t0}}, t0), "AddAdEvents other app")
	f.must(f.s.AddAdEvents(f.ctx, want[4:], t0), "AddAdEvents more")
	got := pages(f, "ListAdEvents", 3, func(o, l int) ([]wxads.AdEvent, int, error) {
		return f.s.ListAdEvents(f.ctx, appA, o, l)
	})
	if !reflect.DeepEqual(got, want) { // AdEvent holds a slice: not comparable
		t.Errorf("ListAdEvents = %+v, want %+v (in stored order)", got, want)
	}
	if other, total, err := f.s.ListAdEvents(f.ctx, appO, 0, 10); err != nil || total != 1 || len(other) != 1 || other[0].AdID != 9 {
		t.Errorf("ListAdEvents(appO) = %+v, %d, %v; want its one event", other, total, err)
	}
	if rows, total, err := f.s.ListAdEvents(f.ctx, appB, 0, 10); err != nil || len(rows) != 0 || total != 0 {
		t.Errorf("ListAdEvents of an app without events = %v, %d, %v", rows, total, err)
	}
}
