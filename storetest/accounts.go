// Advertisers, apps, followers and the creative-template catalog: the
// state the admin API sets.

package storetest

import (
	"bytes"
	"fmt"
	"net/netip"
	"testing"

	"github.com/wxads/wxads"
)

func testAdvertisers(t *testing.T, f *fixture) {
	a := &wxads.Advertiser{Name: "Acme", Status: wxads.StatusPending, CreatedTime: t0}
	f.must(f.s.CreateAdvertiser(f.ctx, a), "CreateAdvertiser")
	b := &wxads.Advertiser{Name: "Beta", Status: wxads.StatusApproved, CreatedTime: t0 + 1}
	f.must(f.s.CreateAdvertiser(f.ctx, b), "CreateAdvertiser")
	if a.ID == 0 || b.ID == 0 || a.ID == b.ID {
		t.Fatalf("advertiser ids %d, %d: want distinct and non-zero", a.ID, b.ID)
	}
	got, err := f.s.Advertiser(f.ctx, a.ID)
	f.must(err, "Advertiser")
	if *got != *a {
		t.Errorf("Advertiser = %+v, want %+v", *got, *a)
	}
	f.must(f.s.SetAdvertiserStatus(f.ctx, a.ID, wxads.StatusApproved), "SetAdvertiserStatus")
	if got, err = f.s.Advertiser(f.ctx, a.ID); err != nil || got.Status != wxads.StatusApproved {
		t.Errorf("after SetAdvertiserStatus: %+v, %v; want APPROVED", got, err)
	}
	if got, err = f.s.Advertiser(f.ctx, b.ID); err != nil || *got != *b {
		t.Errorf("other advertiser = %+v, %v; want %+v unchanged", got, err, *b)
	}
	unknown := a.ID + b.ID + 1000
	_, err = f.s.Advertiser(f.ctx, unknown)
	f.wantErr(err, wxads.ErrNotFound, "Advertiser unknown")
	f.wantErr(f.s.SetAdvertiserStatus(f.ctx, unknown, wxads.StatusApproved), wxads.ErrNotFound,
		"SetAdvertiserStatus unknown")
}

func prefixes(s ...string) []wxads.Prefix {
	list := make([]wxads.Prefix, len(s))
	for i, v := range s {
		list[i] = netip.MustParsePrefix(v)
	}
	return list
}

// sameList compares whitelists, nil and empty alike.
func sameList(a, b []wxads.Prefix) bool { return fmt.Sprint(a) == fmt.Sprint(b) || len(a)+len(b) == 0 }

func testApps(t *testing.T, f *fixture) {
	acc := f.advertiser("Acme")
	want := &wxads.App{AppID: "wx0000000000000001", AccountID: acc, Name: "Shop", SecretHash: []byte{0, 1, 2, 0xff},
		IPWhitelist: prefixes("10.0.0.0/8", "192.0.2.7/32", "2001:db8::/32"), CreatedTime: t0}
	f.must(f.s.CreateApp(f.ctx, want), "CreateApp")
	check := func(what string) {
		t.Helper()
		got, err := f.s.App(f.ctx, want.AppID)
		f.must(err, what+": App")
		if got.AppID != want.AppID || got.AccountID != want.AccountID || got.Name != want.Name ||
			!bytes.Equal(got.SecretHash, want.SecretHash) || !sameList(got.IPWhitelist, want.IPWhitelist) ||
			got.CreatedTime != want.CreatedTime {
			t.Errorf("%s: App = %+v, want %+v", what, *got, *want)
		}
	}
	check("created")

	dup := *want
	dup.Name = "Other"
	f.wantErr(f.s.CreateApp(f.ctx, &dup), wxads.ErrConflict, "CreateApp duplicate appid")
	check("after duplicate")

	want.SecretHash = []byte("new secret hash")
	f.must(f.s.SetAppSecret(f.ctx, want.AppID, want.SecretHash), "SetAppSecret")
	check("secret updated")
	want.IPWhitelist = prefixes("203.0.113.0/24")
	f.must(f.s.SetAppWhitelist(f.ctx, want.AppID, want.IPWhitelist), "SetAppWhitelist")
	check("whitelist updated")
	want.IPWhitelist = nil
	f.must(f.s.SetAppWhitelist(f.ctx, want.AppID, nil), "SetAppWhitelist empty")
	check("whitelist emptied")

	other := &wxads.App{AppID: "wx0000000000000002", AccountID: acc, Name: "Two", SecretHash: []byte{9},
		IPWhitelist: wxads.DefaultWhitelist(), CreatedTime: t0 + 5}
	f.must(f.s.CreateApp(f.ctx, other), "CreateApp second app")
	check("after second app")

	const unknown = "wx00000000000000ff"
	_, err := f.s.App(f.ctx, unknown)
	f.wantErr(err, wxads.ErrNotFound, "App unknown")
	f.wantErr(f.s.SetAppSecret(f.ctx, unknown, []byte{1}), wxads.ErrNotFound, "SetAppSecret unknown")
	f.wantErr(f.s.SetAppWhitelist(f.ctx, unknown, nil), wxads.ErrNotFound, "SetAppWhitelist unknown")
}

func testFollowers(t *testing.T, f *fixture) {
	acc := f.advertiser("Acme")
	const app1, app2 = "wx0000000000000001", "wx0000000000000002"
	f.app(acc, app1)
	f.app(acc, app2)
	u1, u2, u3 := openID(1), openID(2), openID(3)
	is := func(appid, openid string, want bool) {
		t.Helper()
		got, err := f.s.IsFollower(f.ctx, appid, openid)
		f.must(err, "IsFollower")
		if got != want {
			t.Errorf("IsFollower(%s, %s) = %v, want %v", appid, openid, got, want)
		}
	}
	is(app1, u1, false)
	f.must(f.s.AddFollowers(f.ctx, app1, []string{u1, u2, u1}, t0), "AddFollowers")
	f.must(f.s.AddFollowers(f.ctx, app1, []string{u2, u3}, t0+10), "AddFollowers again")
	f.must(f.s.AddFollowers(f.ctx, app1, nil, t0+20), "AddFollowers none")
	is(app1, u1, true)
	is(app1, u2, true)
	is(app1, u3, true)
	is(app2, u1, false)
	is(app1, openID(4), false)
	is("wx00000000000000ff", u1, false)

	// A FOLLOW ad event registers the follower too.
	f.must(f.s.AddAdEvents(f.ctx, []wxads.AdEvent{{Type: wxads.EventFollow, AppID: app2, OpenID: u1, AdID: 1,
		CampaignID: 1, Time: t0}}, t0), "AddAdEvents FOLLOW")
	is(app2, u1, true)
	f.must(f.s.AddAdEvents(f.ctx, []wxads.AdEvent{{Type: wxads.EventClick, AppID: app2, OpenID: u2, AdID: 1,
		CampaignID: 1, ClickID: "c", Time: t0}}, t0), "AddAdEvents CLICK")
	is(app2, u2, false)
}

func testCatalog(t *testing.T, f *fixture) {
	_, _, err := f.s.Catalog(f.ctx)
	f.wantErr(err, wxads.ErrNotFound, "Catalog before any")
	v, err := f.s.CatalogVersion(f.ctx)
	f.must(err, "CatalogVersion before any")
	if v != 0 {
		t.Errorf("CatalogVersion before any = %d, want 0", v)
	}
	var last int64
	for _, body := range []string{`{"templates":[1]}`, `{"templates":[2,3]}`} {
		v, err := f.s.SetCatalog(f.ctx, []byte(body))
		f.must(err, "SetCatalog")
		if v <= last {
			t.Errorf("SetCatalog version %d after %d, want it bumped", v, last)
		}
		last = v
		gv, gb, err := f.s.Catalog(f.ctx)
		f.must(err, "Catalog")
		if gv != v || string(gb) != body {
			t.Errorf("Catalog = %d %q, want %d %q", gv, gb, v, body)
		}
		if cv, err := f.s.CatalogVersion(f.ctx); err != nil || cv != v {
			t.Errorf("CatalogVersion = %d, %v; want %d", cv, err, v)
		}
	}
}
