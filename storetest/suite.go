// Package storetest is the storage conformance suite (STYLE.md rule 7): the
// behaviour every backend of the wxads store interfaces must show, written
// once against the interfaces and run by each backend's own test:
//
//	func TestStoreSuite(t *testing.T) {
//		storetest.Run(t, func(t *testing.T) storetest.Stores { return openFreshStore(t) })
//	}
//
// open must return an empty store with the default attribution window
// (wxads.DefaultAttributionWindow) and arrange its own cleanup. Every subtest
// opens its own store, so they are independent. Times are fixed Unix seconds
// passed to the stores; nothing reads the wall clock.
package storetest

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/wxads/wxads"
)

// Stores is everything one backend implements (the same set as server.Stores).
type Stores interface {
	wxads.AccountStore
	wxads.TokenStore
	wxads.ActionSetStore
	wxads.ActionStore
	wxads.ReportStore
	wxads.AdEventStore
	wxads.CatalogStore
}

// Run runs the suite; open is called once per subtest for a fresh, empty store.
func Run(t *testing.T, open func(t *testing.T) Stores) {
	tests := []struct {
		name string
		fn   func(t *testing.T, f *fixture)
	}{
		{"Advertisers", testAdvertisers},
		{"Apps", testApps},
		{"Followers", testFollowers},
		{"Catalog", testCatalog},
		{"TokenIssue", testTokenIssue},
		{"TokenQuota", testTokenQuota},
		{"StableToken", testStableToken},
		{"StableForced", testStableForced},
		{"RevokeTokens", testRevokeTokens},
		{"ResetSecret", testResetSecret},
		{"StaleSecret", testStaleSecret},
		{"ListAdvertisers", testListAdvertisers},
		{"ListApps", testListApps},
		{"ListFollowers", testListFollowers},
		{"ListAdEvents", testListAdEvents},
		{"ActionSets", testActionSets},
		{"ActionSetRateLimit", testActionSetRateLimit},
		{"IngestDedup", testIngestDedup},
		{"IngestIdentify", testIngestIdentify},
		{"IngestAttribution", testIngestAttribution},
		{"DeviceIDs", testDeviceIDs},
		{"FollowerUnionIDs", testFollowerUnionIDs},
		{"ListActions", testListActions},
		{"Report", testReport},
		{"AdReport", testAdReport},
		{"RequestLog", testRequestLog},
		{"RequestPrune", testRequestPrune},
		{"UploadDiagnostics", testUploadDiagnostics},
		{"NearestAdEvent", testNearestAdEvent},
		{"IngestOutcome", testIngestOutcome},
		{"OAuth", testOAuth},
		{"OAuthGrants", testOAuthGrants},
		{"OAuthGrantRevokeRace", testOAuthGrantRevokeRace},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tc.fn(t, &fixture{t: t, s: open(t), ctx: context.Background()})
		})
	}
}

// t0 is 2026-11-23 12:00:00 GMT+8; day0 is that day's GMT+8 midnight.
const (
	t0   int64 = 1795406400
	day0 int64 = 1795363200
	hour int64 = 3600
	day  int64 = 86400
)

// fixture wraps a store with helpers that fail the test on error.
type fixture struct {
	t   *testing.T
	s   Stores
	ctx context.Context
}

// Apps of the fixtures: appA and appB are created for the first advertiser
// as a test needs, appO is the second advertiser's (twoAdvertisers).
const (
	appA = "wx000000000000000a"
	appB = "wx000000000000000b"
	appO = "wx00000000000000cc"
)

// twoAdvertisers creates advertiser Acme with apps, and Beta with appO.
func (f *fixture) twoAdvertisers(apps ...string) (acc, other int64) {
	f.t.Helper()
	acc, other = f.advertiser("Acme"), f.advertiser("Beta")
	for _, a := range apps {
		f.app(acc, a)
	}
	f.app(other, appO)
	return acc, other
}

func openID(i int) string { return fmt.Sprintf("o%027d", i) }

// dayOf is the GMT+8 date a token quota is counted on, as the server passes it.
func dayOf(ts int64) string { return time.Unix(ts, 0).In(wxads.CST).Format(wxads.DateLayout) }

func (f *fixture) must(err error, what string) {
	f.t.Helper()
	if err != nil {
		f.t.Fatalf("%s: %v", what, err)
	}
}

// wantErr fails unless err wraps target (errors.Is).
func (f *fixture) wantErr(err, target error, what string) {
	f.t.Helper()
	if !errors.Is(err, target) {
		f.t.Errorf("%s: err = %v, want %v", what, err, target)
	}
}

func (f *fixture) advertiser(name string) int64 {
	f.t.Helper()
	a := &wxads.Advertiser{Name: name, Status: wxads.StatusApproved, CreatedTime: t0}
	f.must(f.s.CreateAdvertiser(f.ctx, a), "CreateAdvertiser "+name)
	return a.ID
}

func (f *fixture) app(account int64, appid string) {
	f.t.Helper()
	f.must(f.s.CreateApp(f.ctx, &wxads.App{AppID: appid, AccountID: account, Name: appid, SecretHash: []byte{1},
		IPWhitelist: wxads.DefaultWhitelist(), CreatedTime: t0}), "CreateApp "+appid)
}

// set creates a WEB data source of account created by creator.
func (f *fixture) set(account int64, name, creator string) int64 {
	f.t.Helper()
	s := &wxads.ActionSet{AccountID: account, Type: "WEB", Name: name, CreatorAppID: creator, CreatedTime: t0}
	f.must(f.s.CreateActionSet(f.ctx, s, 1000), "CreateActionSet "+name)
	return s.ID
}

func (f *fixture) follow(appid string, openids ...string) {
	f.t.Helper()
	f.must(f.s.AddFollowers(f.ctx, appid, openids, t0-day), "AddFollowers")
}

func (f *fixture) ingest(account int64, actions ...wxads.Action) wxads.IngestResult {
	f.t.Helper()
	res, err := f.s.Ingest(f.ctx, account, actions)
	f.must(err, "Ingest")
	return res
}

// list returns all of a set's actions by outer_action_id.
func (f *fixture) list(set int64) map[string]wxads.StoredAction {
	f.t.Helper()
	list, total, err := f.s.ListActions(f.ctx, set, 0, 1000)
	f.must(err, "ListActions")
	if total != len(list) {
		f.t.Fatalf("ListActions: total %d, %d rows", total, len(list))
	}
	m := map[string]wxads.StoredAction{}
	for _, a := range list {
		m[a.OuterActionID] = a
	}
	return m
}

// action is a minimal valid action of set; callers adjust what they test.
func action(set int64, appid, openid, outer string, at int64) wxads.Action {
	return wxads.Action{SetID: set, URL: "https://a.example/p", Domain: "a.example", ActionTime: at,
		ActionType: wxads.ActionRegister, AppID: appid, OpenID: openid, OuterActionID: outer,
		Param: []byte(`{}`), ReceivedTime: t0}
}
