package server_test

import (
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/wxads/wxads"
	"github.com/wxads/wxads/server"
)

// adminGet calls an admin read with a query.
func (h *harness) adminGet(path string, q url.Values) envelope {
	h.t.Helper()
	return h.do("GET", path, q, nil, http.Header{"Authorization": {"Bearer " + adminToken}})
}

type advertiserReply struct {
	AccountID   int64  `json:"account_id"`
	Name        string `json:"name"`
	Status      string `json:"status"`
	CreatedTime string `json:"created_time"`
	AppCount    *int   `json:"app_count"`
}

type appReply struct {
	AppID         string   `json:"appid"`
	AccountID     int64    `json:"account_id"`
	Name          string   `json:"name"`
	IPWhitelist   []string `json:"ip_whitelist"`
	CreatedTime   string   `json:"created_time"`
	FollowerCount *int     `json:"follower_count"`
}

type listReply[T any] struct {
	AppID    string         `json:"appid"`
	List     []T            `json:"list"`
	PageInfo wxads.PageInfo `json:"page_info"`
}

func page(p, size int) url.Values {
	return url.Values{"page": {fmt.Sprint(p)}, "page_size": {fmt.Sprint(size)}}
}

// wantPageErrors checks the paging parameters' errors on path (plus q).
func wantPageErrors(t *testing.T, h *harness, path string, q url.Values) {
	t.Helper()
	for _, c := range []struct {
		name, value string
		code        int
	}{
		{"page", "0", wxads.CodeTooSmall}, {"page", "100000", wxads.CodeTooBig}, {"page", "x", wxads.CodeWrongType},
		{"page_size", "0", wxads.CodeTooSmall}, {"page_size", "101", wxads.CodeTooBig},
		{"page_size", "1.5", wxads.CodeWrongType},
	} {
		v := url.Values{}
		for k, vs := range q {
			v[k] = vs
		}
		v.Set(c.name, c.value)
		e := h.adminGet(path, v)
		wantCode(t, e, c.code)
		if !strings.Contains(e.Errmsg, "'"+c.name+"'") {
			t.Errorf("%s %s=%s: errmsg %q does not name %s", path, c.name, c.value, e.Errmsg, c.name)
		}
	}
}

func TestAdminListAdvertisers(t *testing.T) {
	h := newHarness(t)
	var ids []int64
	for i := range 12 {
		status := "APPROVED"
		if i == 4 {
			status = "PENDING"
		}
		ids = append(ids, h.newAdvertiser(status))
	}
	first := decodeData[listReply[advertiserReply]](t, mustOK(t, h.adminGet("/admin/v1/advertisers", nil)))
	if want := wxads.NewPageInfo(1, 10, 12); first.PageInfo != want || len(first.List) != 10 {
		t.Fatalf("default page: %d rows, %+v; want 10 rows, %+v", len(first.List), first.PageInfo, want)
	}
	if a := first.List[4]; a.AccountID != ids[4] || a.Name != "adv" || a.Status != "PENDING" ||
		a.CreatedTime != "2026-11-23 12:00:00" || a.AppCount != nil {
		t.Errorf("row 4 = %+v", a)
	}
	var got []int64
	for p := 1; p <= 3; p++ {
		r := decodeData[listReply[advertiserReply]](t, mustOK(t, h.adminGet("/admin/v1/advertisers", page(p, 5))))
		if r.PageInfo != wxads.NewPageInfo(p, 5, 12) {
			t.Errorf("page %d: page_info %+v", p, r.PageInfo)
		}
		for _, a := range r.List {
			got = append(got, a.AccountID)
		}
	}
	if !slices.Equal(got, ids) {
		t.Errorf("pages of 5: %v, want %v", got, ids)
	}
	past := decodeData[listReply[advertiserReply]](t, mustOK(t, h.adminGet("/admin/v1/advertisers", page(9, 5))))
	if past.List == nil || len(past.List) != 0 || past.PageInfo.TotalNumber != 12 {
		t.Errorf("page past the end: %+v, want an empty list and the total", past)
	}
	wantPageErrors(t, h, "/admin/v1/advertisers", nil)
}

func TestAdminGetAdvertiser(t *testing.T) {
	h := newHarness(t)
	id := h.newAdvertiser("PENDING")
	h.newApp(id, nil)
	h.newApp(id, nil)
	empty := h.newAdvertiser("APPROVED")
	got := decodeData[advertiserReply](t, mustOK(t, h.adminGet("/admin/v1/advertisers/"+itoa(id), nil)))
	if got.AccountID != id || got.Status != "PENDING" || got.AppCount == nil || *got.AppCount != 2 {
		t.Errorf("advertiser = %+v, want PENDING with 2 apps", got)
	}
	if got := decodeData[advertiserReply](t, mustOK(t, h.adminGet("/admin/v1/advertisers/"+itoa(empty), nil))); got.AppCount == nil || *got.AppCount != 0 {
		t.Errorf("advertiser without apps = %+v, want app_count 0", got)
	}
	for _, bad := range []string{"999999", "0", "-1", "abc", "99999999999999999999"} {
		e := h.adminGet("/admin/v1/advertisers/"+bad, nil)
		wantCode(t, e, wxads.CodeNotAccessible)
		if !strings.Contains(e.Errmsg, "'account_id'") {
			t.Errorf("%s: errmsg %q does not name account_id", bad, e.Errmsg)
		}
	}
	// PATCH on the same path still works, and other methods are refused.
	mustOK(t, h.admin("PATCH", "/admin/v1/advertisers/"+itoa(id), `{"status":"APPROVED"}`))
	wantCode(t, h.admin("DELETE", "/admin/v1/advertisers/"+itoa(id), nil), wxads.CodeRequirePOST)
}

// The admin sees every app; under account_id only that advertiser's.
func TestAdminListApps(t *testing.T) {
	h := newHarness(t)
	a, b := h.newAdvertiser("APPROVED"), h.newAdvertiser("APPROVED")
	var appsA []string
	for range 3 {
		appid, _ := h.newApp(a, []string{"10.0.0.0/8", "2001:db8::/32"})
		appsA = append(appsA, appid)
	}
	appB, _ := h.newApp(b, nil)
	list := func(q url.Values) listReply[appReply] {
		t.Helper()
		return decodeData[listReply[appReply]](t, mustOK(t, h.adminGet("/admin/v1/apps", q)))
	}
	appids := func(r listReply[appReply]) []string {
		var ids []string
		for _, app := range r.List {
			ids = append(ids, app.AppID)
		}
		slices.Sort(ids)
		return ids
	}
	gotA := list(url.Values{"account_id": {itoa(a)}})
	if want := slices.Sorted(slices.Values(appsA)); !slices.Equal(appids(gotA), want) || gotA.PageInfo.TotalNumber != 3 {
		t.Errorf("apps of A = %v (%+v), want %v", appids(gotA), gotA.PageInfo, want)
	}
	for _, app := range gotA.List {
		if app.AccountID != a || app.Name != "app" || app.CreatedTime != "2026-11-23 12:00:00" ||
			!slices.Equal(app.IPWhitelist, []string{"10.0.0.0/8", "2001:db8::/32"}) || app.FollowerCount != nil {
			t.Errorf("app row = %+v", app)
		}
	}
	if got := appids(list(url.Values{"account_id": {itoa(b)}})); !slices.Equal(got, []string{appB}) {
		t.Errorf("apps of B = %v, want only %s", got, appB)
	}
	all := list(nil)
	if want := slices.Sorted(slices.Values(append(slices.Clone(appsA), appB))); !slices.Equal(appids(all), want) {
		t.Errorf("every app = %v, want %v", appids(all), want)
	}
	if p := list(page(2, 3)); len(p.List) != 1 || p.PageInfo != wxads.NewPageInfo(2, 3, 4) {
		t.Errorf("page 2 of 3: %+v", p)
	}
	for v, code := range map[string]int{"999999": wxads.CodeNotAccessible, "0": wxads.CodeBadFormat,
		"abc": wxads.CodeBadFormat, "-1": wxads.CodeBadFormat, "+1": wxads.CodeBadFormat} {
		e := h.adminGet("/admin/v1/apps", url.Values{"account_id": {v}})
		wantCode(t, e, code)
		if !strings.Contains(e.Errmsg, "'account_id'") {
			t.Errorf("account_id=%s: errmsg %q does not name account_id", v, e.Errmsg)
		}
	}
	wantPageErrors(t, h, "/admin/v1/apps", url.Values{"account_id": {itoa(a)}})
}

func TestAdminGetApp(t *testing.T) {
	h := newHarness(t)
	tn := h.newTenant()
	h.followers(tn.AppID, 3)
	got := decodeData[appReply](t, mustOK(t, h.adminGet("/admin/v1/apps/"+tn.AppID, nil)))
	if got.AppID != tn.AppID || got.AccountID != tn.AccountID || got.Name != "app" ||
		!slices.Equal(got.IPWhitelist, []string{"127.0.0.0/8", "::1/128"}) || got.CreatedTime != "2026-11-23 12:00:00" ||
		got.FollowerCount == nil || *got.FollowerCount != 3 {
		t.Errorf("app = %+v", got)
	}
	mustOK(t, h.admin("PUT", "/admin/v1/apps/"+tn.AppID+"/ip_whitelist", `{"ip_whitelist":[]}`))
	if got := decodeData[appReply](t, mustOK(t, h.adminGet("/admin/v1/apps/"+tn.AppID, nil))); got.IPWhitelist == nil || len(got.IPWhitelist) != 0 {
		t.Errorf("emptied whitelist reads %v, want []", got.IPWhitelist)
	}
	for _, bad := range []string{"wx0123456789abcdef", "nope", "WX" + tn.AppID[2:]} {
		e := h.adminGet("/admin/v1/apps/"+bad, nil)
		wantCode(t, e, wxads.CodeNotAccessible)
		if !strings.Contains(e.Errmsg, "'appid'") {
			t.Errorf("%s: errmsg %q does not name appid", bad, e.Errmsg)
		}
	}
	wantCode(t, h.admin("POST", "/admin/v1/apps/"+tn.AppID, `{}`), wxads.CodeRequireGET)
}

func TestAdminListFollowers(t *testing.T) {
	h := newHarness(t)
	tn, other := h.newTenant(), h.newTenant()
	openids := h.followers(tn.AppID, 25)
	h.followers(other.AppID, 2)
	path := "/admin/v1/apps/" + tn.AppID + "/followers"
	var got []string
	for p := 1; p <= 4; p++ { // 25 followers: three pages, then an empty one
		r := decodeData[listReply[struct {
			OpenID      string `json:"openid"`
			CreatedTime string `json:"created_time"`
		}]](t, mustOK(t, h.adminGet(path, page(p, 10))))
		if r.AppID != tn.AppID || r.PageInfo != wxads.NewPageInfo(p, 10, 25) {
			t.Fatalf("page %d: appid %q, page_info %+v", p, r.AppID, r.PageInfo)
		}
		if want := min(10, max(25-(p-1)*10, 0)); len(r.List) != want {
			t.Fatalf("page %d: %d followers, want %d", p, len(r.List), want)
		}
		for _, f := range r.List {
			if f.CreatedTime != "2026-11-23 12:00:00" {
				t.Errorf("follower %+v", f)
			}
			got = append(got, f.OpenID)
		}
	}
	if want := slices.Sorted(slices.Values(openids)); !slices.Equal(got, want) {
		t.Errorf("followers over pages = %v, want %v (by openid)", got, want)
	}
	// POST on the same path still registers.
	mustOK(t, h.admin("POST", path, map[string]any{"count": 1}))
	if r := decodeData[listReply[struct{}]](t, mustOK(t, h.adminGet(path, nil))); r.PageInfo.TotalNumber != 26 {
		t.Errorf("after one more: total %d", r.PageInfo.TotalNumber)
	}
	e := h.adminGet("/admin/v1/apps/wx0123456789abcdef/followers", nil)
	wantCode(t, e, wxads.CodeNotAccessible)
	if !strings.Contains(e.Errmsg, "'appid'") {
		t.Errorf("errmsg %q does not name appid", e.Errmsg)
	}
	wantPageErrors(t, h, path, nil)
}

func TestAdminListAdEvents(t *testing.T) {
	h := newHarness(t)
	tn, other := h.newTenant(), h.newTenant()
	at := harnessNow.Unix() - 3600
	var events []map[string]any
	for i := range 13 {
		ev := map[string]any{"type": "CLICK", "appid": tn.AppID, "openid": server.NewOpenID(), "ad_id": 100 + i,
			"campaign_id": 7, "click_id": fmt.Sprint("click-", i), "time": at + int64(i)}
		if i%4 == 3 {
			ev["type"], ev["click_id"] = "FOLLOW", ""
		}
		events = append(events, ev)
	}
	otherEvent := map[string]any{"type": "CLICK", "appid": other.AppID, "openid": server.NewOpenID(), "ad_id": 1, "time": at}
	mustOK(t, h.admin("POST", "/admin/v1/ad_events", map[string]any{"events": append(events[:5:5], otherEvent)}))
	mustOK(t, h.admin("POST", "/admin/v1/ad_events", map[string]any{"events": events[5:]}))

	type eventReply struct {
		Type       string `json:"type"`
		AppID      string `json:"appid"`
		OpenID     string `json:"openid"`
		AdID       int64  `json:"ad_id"`
		CampaignID int64  `json:"campaign_id"`
		ClickID    string `json:"click_id"`
		Time       int64  `json:"time"`
	}
	var got []eventReply
	for p := 1; p <= 3; p++ {
		q := page(p, 5)
		q.Set("appid", tn.AppID)
		r := decodeData[listReply[eventReply]](t, mustOK(t, h.adminGet("/admin/v1/ad_events", q)))
		if r.PageInfo != wxads.NewPageInfo(p, 5, 13) {
			t.Errorf("page %d: %+v", p, r.PageInfo)
		}
		got = append(got, r.List...)
	}
	if len(got) != len(events) {
		t.Fatalf("%d events over the pages, want %d", len(got), len(events))
	}
	for i, e := range got {
		w := events[i]
		if e.Type != w["type"] || e.AppID != tn.AppID || e.OpenID != w["openid"] || e.AdID != int64(100+i) ||
			e.CampaignID != 7 || e.ClickID != w["click_id"] || e.Time != w["time"] {
			t.Errorf("event %d = %+v, want %v (in the order stored)", i, e, w)
		}
	}
	r := decodeData[listReply[eventReply]](t, mustOK(t, h.adminGet("/admin/v1/ad_events", url.Values{"appid": {other.AppID}})))
	if len(r.List) != 1 || r.List[0].AdID != 1 || r.List[0].CampaignID != 0 || r.PageInfo.TotalNumber != 1 {
		t.Errorf("other app's events = %+v", r)
	}

	wantCode(t, h.adminGet("/admin/v1/ad_events", nil), wxads.CodeRequired)
	e := h.adminGet("/admin/v1/ad_events", url.Values{"appid": {"wx0123456789abcdef"}})
	wantCode(t, e, wxads.CodeNotAccessible)
	if !strings.Contains(e.Errmsg, "'appid'") {
		t.Errorf("errmsg %q does not name appid", e.Errmsg)
	}
	wantPageErrors(t, h, "/admin/v1/ad_events", url.Values{"appid": {tn.AppID}})
}
