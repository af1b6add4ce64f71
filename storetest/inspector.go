// The request inspector's store (wxads.InspectorStore) and the per-action
// ingest outcome it reports (Action.Duplicate, Action.AttributedEventTime).

package storetest

import (
	"errors"
	"reflect"
	"testing"

	"github.com/wxads/wxads"
)

// inspectorOf fails the test when the backend does not keep inspector records.
func (f *fixture) inspectorOf() wxads.InspectorStore {
	f.t.Helper()
	is, ok := f.s.(wxads.InspectorStore)
	if !ok {
		f.t.Fatalf("%T does not implement wxads.InspectorStore (SPEC §7 request inspector)", f.s)
	}
	return is
}

func rec(account int64, ms int64, route string, code int) wxads.RequestRecord {
	return wxads.RequestRecord{AccountID: account, AppID: appA, TimeMS: ms, Method: "POST", Route: route,
		RequestID: "r", HTTPStatus: 200, Errcode: code, Query: "access_token=REDACTED", Body: `{"a":"汉字"}`, BodyBytes: 14}
}

func testRequestLog(t *testing.T, f *fixture) {
	is := f.inspectorOf()
	const up, sets = wxads.UploadRoute, "/marketing/user_action_sets/add"
	first := rec(1, t0*1000, up, 0)
	first.ActionCount, first.Explanation, first.ExplainCN, first.Hint, first.DurationMS = 2, "e", "中", "h", 1.25
	first.Actions = []wxads.ActionVerdict{
		{Index: 0, Verdict: wxads.VerdictStored, SetID: 7, Identified: true, Identification: "i", AdID: 3, CampaignID: 4,
			EventType: wxads.EventClick, EventTime: t0 - hour, Attribution: "a"},
		{Index: 1, Verdict: wxads.VerdictRefused, Errcode: 18003, Path: "actions[1].action_time", Explanation: "ms"},
	}
	recs := []wxads.RequestRecord{first, rec(1, t0*1000+5, sets, 31013), rec(2, t0*1000+1, up, 0), rec(1, t0*1000+5, up, 18003)}
	f.must(is.AddRequests(f.ctx, recs), "AddRequests")
	for i, r := range recs {
		if r.ID == 0 {
			t.Errorf("record %d: no ID set", i)
		}
	}
	list := func(q wxads.RequestQuery, total int, want ...wxads.RequestRecord) {
		t.Helper()
		if q.Limit == 0 {
			q.Limit = 100
		}
		got, n, err := is.Requests(f.ctx, q)
		f.must(err, "Requests")
		if n != total || len(got) != len(want) {
			t.Fatalf("Requests(%+v): total %d, %d rows; want %d, %d", q, n, len(got), total, len(want))
		}
		for i := range want {
			if !reflect.DeepEqual(got[i], want[i]) {
				t.Errorf("Requests(%+v)[%d] =\n%+v\nwant\n%+v", q, i, got[i], want[i])
			}
		}
	}
	zero, conflict := 0, 31013
	// Newest first; equal times in the order stored, newest first.
	list(wxads.RequestQuery{AccountID: 1}, 3, recs[3], recs[1], recs[0])
	list(wxads.RequestQuery{AccountID: 1, Offset: 1, Limit: 1}, 3, recs[1])
	list(wxads.RequestQuery{AccountID: 1, Errcode: &zero}, 1, recs[0])
	list(wxads.RequestQuery{AccountID: 1, Errcode: &conflict}, 1, recs[1])
	list(wxads.RequestQuery{AccountID: 1, Route: up}, 2, recs[3], recs[0])
	list(wxads.RequestQuery{AccountID: 1, Route: up, Method: "GET"}, 0)
	// Tenant isolation, through every filter.
	list(wxads.RequestQuery{AccountID: 2}, 1, recs[2])
	list(wxads.RequestQuery{AccountID: 2, Errcode: &conflict}, 0)
	list(wxads.RequestQuery{AccountID: 2, Route: sets}, 0)
	list(wxads.RequestQuery{AccountID: 3}, 0)
}

func testRequestPrune(t *testing.T, f *fixture) {
	is := f.inspectorOf()
	var recs []wxads.RequestRecord
	for i := range int64(5) {
		recs = append(recs, rec(1, (t0+i)*1000, "/r", 0), rec(2, (t0+i)*1000, "/r", 0))
	}
	recs = append(recs, rec(3, (t0-8*day)*1000, "/r", 0))
	f.must(is.AddRequests(f.ctx, recs), "AddRequests")
	gone, err := is.PruneRequests(f.ctx, (t0-7*day)*1000, 3, day0-90*day)
	f.must(err, "PruneRequests")
	if gone != 5 {
		t.Errorf("PruneRequests removed %d, want 5 (2+2 over the count, 1 too old)", gone)
	}
	for account, want := range map[int64]int{1: 3, 2: 3, 3: 0} {
		got, n, err := is.Requests(f.ctx, wxads.RequestQuery{AccountID: account, Limit: 10})
		f.must(err, "Requests")
		if n != want || (want > 0 && got[want-1].TimeMS != (t0+2)*1000) {
			t.Errorf("account %d after pruning: %d left (%+v), want the newest %d", account, n, got, want)
		}
	}
}

func testUploadDiagnostics(t *testing.T, f *fixture) {
	is := f.inspectorOf()
	upload := func(account, at int64, verdicts ...wxads.ActionVerdict) wxads.RequestRecord {
		r := rec(account, at*1000, wxads.UploadRoute, 0)
		r.Actions, r.ActionCount = verdicts, len(verdicts)
		return r
	}
	stored := func(set int64, ident bool, ad int64) wxads.ActionVerdict {
		return wxads.ActionVerdict{Verdict: wxads.VerdictStored, SetID: set, Identified: ident, AdID: ad}
	}
	refused := func(set int64, code int) wxads.ActionVerdict {
		return wxads.ActionVerdict{Verdict: wxads.VerdictRefused, SetID: set, Errcode: code}
	}
	whole := rec(1, t0*1000, wxads.UploadRoute, 47001)
	dry := upload(1, t0, stored(7, true, 0))
	dry.DryRun = true
	f.must(is.AddRequests(f.ctx, []wxads.RequestRecord{
		upload(1, t0, stored(7, true, 3), stored(7, false, 0), refused(7, 18003),
			wxads.ActionVerdict{Verdict: wxads.VerdictDuplicate, SetID: 7}),
		upload(1, day0-1, stored(7, true, 0)), // the day before, GMT+8
		upload(2, t0, stored(7, true, 0)),     // another advertiser
		whole, dry, rec(1, t0*1000, "/marketing/user_action_sets/add", 18001),
	}), "AddRequests")
	// A second write adds to the same cells.
	f.must(is.AddRequests(f.ctx, []wxads.RequestRecord{upload(1, t0+hour, stored(7, true, 0), refused(7, 18003),
		wxads.ActionVerdict{Verdict: wxads.VerdictRejected, SetID: 8})}), "AddRequests")
	got, err := is.UploadDiagnostics(f.ctx, wxads.DiagnosticsQuery{AccountID: 1, Start: day0, End: day0})
	f.must(err, "UploadDiagnostics")
	want := []wxads.UploadDiagnostic{
		{SetID: 0, Day: day0, Refused: map[int]int64{47001: 1}},
		{SetID: 7, Day: day0, Accepted: 3, Duplicates: 1, Refused: map[int]int64{18003: 2}, Identified: 2, Attributed: 1},
		{SetID: 8, Day: day0, Refused: map[int]int64{}, Rejected: 1},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("UploadDiagnostics =\n%+v\nwant\n%+v", got, want)
	}
	got, err = is.UploadDiagnostics(f.ctx, wxads.DiagnosticsQuery{AccountID: 1, SetID: 7, Start: day0 - day, End: day0})
	f.must(err, "UploadDiagnostics")
	if len(got) != 2 || got[0].Day != day0-day || got[0].Accepted != 1 || got[1].Accepted != 3 {
		t.Errorf("UploadDiagnostics of set 7 over two days = %+v", got)
	}
	if _, err := is.PruneRequests(f.ctx, 0, 100, day0); err != nil {
		t.Fatal(err)
	}
	got, _ = is.UploadDiagnostics(f.ctx, wxads.DiagnosticsQuery{AccountID: 1, SetID: 7, Start: day0 - day, End: day0})
	if len(got) != 1 || got[0].Day != day0 {
		t.Errorf("after pruning days before %d: %+v", day0, got)
	}
}

func testNearestAdEvent(t *testing.T, f *fixture) {
	is := f.inspectorOf()
	acc, _ := f.twoAdvertisers(appA)
	_ = acc
	u := openID(1)
	f.must(f.s.AddAdEvents(f.ctx, []wxads.AdEvent{
		{Type: wxads.EventClick, AppID: appA, OpenID: u, AdID: 1, CampaignID: 9, ClickID: "c1", Time: t0 - 9*day},
		{Type: wxads.EventClick, AppID: appA, OpenID: u, AdID: 2, CampaignID: 9, Time: t0 + hour},
		{Type: wxads.EventFollow, AppID: appA, OpenID: u, AdID: 3, CampaignID: 9, Time: t0 - 8*day},
	}, t0), "AddAdEvents")
	for _, c := range []struct {
		p    wxads.AdEventProbe
		want int64 // ad id, 0 for not found
	}{
		{wxads.AdEventProbe{AppID: appA, Type: wxads.EventClick, OpenID: u, At: t0}, 1},          // latest before: too old
		{wxads.AdEventProbe{AppID: appA, Type: wxads.EventClick, OpenID: u, At: t0 - 10*day}, 1}, // none before: earliest after
		{wxads.AdEventProbe{AppID: appA, Type: wxads.EventClick, ClickID: "c1", At: t0}, 1},
		{wxads.AdEventProbe{AppID: appA, Type: wxads.EventClick, ClickID: "nope", At: t0}, 0},
		{wxads.AdEventProbe{AppID: appA, Type: wxads.EventFollow, OpenID: u, At: t0}, 3},
		{wxads.AdEventProbe{AppID: appO, Type: wxads.EventClick, OpenID: u, At: t0}, 0},
		{wxads.AdEventProbe{AppID: appA, Type: wxads.EventClick, OpenID: openID(2), At: t0}, 0},
	} {
		e, err := is.NearestAdEvent(f.ctx, c.p)
		switch {
		case c.want == 0 && !errors.Is(err, wxads.ErrNotFound):
			t.Errorf("NearestAdEvent(%+v) = %+v, %v; want ErrNotFound", c.p, e, err)
		case c.want != 0 && (err != nil || e.AdID != c.want):
			t.Errorf("NearestAdEvent(%+v) = %+v, %v; want ad %d", c.p, e, err, c.want)
		}
	}
}

// testIngestOutcome: Ingest marks each action a duplicate or not and gives
// the time of the ad event it credits.
func testIngestOutcome(t *testing.T, f *fixture) {
	acc, _ := f.twoAdvertisers(appA)
	set := f.set(acc, "s", appA)
	u := openID(1)
	f.follow(appA, u)
	f.must(f.s.AddAdEvents(f.ctx, []wxads.AdEvent{{Type: wxads.EventClick, AppID: appA, OpenID: u, AdID: 4,
		CampaignID: 5, Time: t0 - hour}}, t0), "AddAdEvents")
	f.ingest(acc, action(set, appA, u, "held", t0))
	batch := []wxads.Action{action(set, appA, u, "held", t0), action(set, appA, u, "new", t0),
		action(set, appA, u, "new", t0), action(set, appA, u, "", t0)}
	_, err := f.s.Ingest(f.ctx, acc, batch)
	f.must(err, "Ingest")
	for i, want := range []bool{true, false, true, false} {
		if batch[i].Duplicate != want {
			t.Errorf("actions[%d].Duplicate = %v, want %v", i, batch[i].Duplicate, want)
		}
	}
	if a := batch[1]; a.AttributedAdID != 4 || a.AttributedEventTime != t0-hour {
		t.Errorf("attributed action: ad %d at %d, want ad 4 at %d", a.AttributedAdID, a.AttributedEventTime, t0-hour)
	}
}
