package server_test

import (
	"cmp"
	"encoding/json"
	"flag"
	"fmt"
	"math/rand/v2"
	"net/url"
	"os"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/wxads/wxads"
)

var reportSeed = flag.Uint64("report.seed", 0,
	"seed of TestReportProperty; 0 takes $WXADS_REPORT_SEED, else a fixed default")

// propertySeed is the seed TestReportProperty runs with.
func propertySeed(t *testing.T) uint64 {
	if *reportSeed != 0 {
		return *reportSeed
	}
	if v := os.Getenv("WXADS_REPORT_SEED"); v != "" {
		s, err := strconv.ParseUint(v, 10, 64)
		if err != nil {
			t.Fatalf("WXADS_REPORT_SEED=%q: %v", v, err)
		}
		return s
	}
	return 20261123
}

// TestReportProperty sends thousands of random actions over HTTP — spread
// over 30 days with many at GMT+8 midnights and hour edges, known, late,
// unknown and foreign users, repeated outer_action_ids, rejected,
// partial-failure and validate_only batches — and checks every report
// granularity × aggregation over several windows against an oracle computed
// from what the test sent.
func TestReportProperty(t *testing.T) {
	seed := propertySeed(t)
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("seed %d; rerun with: go test ./server/ -run TestReportProperty -args -report.seed=%d", seed, seed)
		}
	})
	rng := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	h := newHarness(t)
	a, b := h.newTenant(), h.newTenant()
	app2 := decodeData[struct {
		AppID string `json:"appid"`
	}](t, mustOK(t, h.admin("POST", "/admin/v1/apps", map[string]any{"account_id": a.AccountID, "name": "app2"}))).AppID
	sets := []int64{h.newSet(a, "p1"), h.newSet(a, "p2")}
	foreignSet := h.newSet(b, "pb")

	o := newReportOracle(a.AppID, app2)
	known := h.followers(a.AppID, 40)
	o.follow(a.AppID, known...)
	shared := append(slices.Clone(known[:10]), randomOpenIDs(rng, 10)...) // same openid, other app: other user
	mustOK(t, h.admin("POST", "/admin/v1/apps/"+app2+"/followers", map[string]any{"openids": shared}))
	o.follow(app2, shared...)
	late := randomOpenIDs(rng, 10) // become followers halfway
	unknown := randomOpenIDs(rng, 20)
	foreign := h.followers(b.AppID, 10)
	unregistered := fmt.Sprintf("wx%016x", rng.Uint64())
	pick := func(list []string) string { return list[rng.IntN(len(list))] }
	user := func() (string, string) {
		switch k := rng.IntN(100); {
		case k < 40:
			return a.AppID, pick(known)
		case k < 55:
			return app2, pick(shared)
		case k < 65:
			return a.AppID, pick(late)
		case k < 80:
			return a.AppID, pick(unknown)
		case k < 88:
			return b.AppID, pick(foreign) // another advertiser's app: never identified
		case k < 94:
			return b.AppID, pick(known)
		default:
			return unregistered, pick(known)
		}
	}

	now := harnessNow.Unix()
	lo, hi := now-30*86400+3600, now // the clock only moves on, so lo stays inside the window
	var hot []int64
	for range 6 {
		hot = append(hot, wxads.HourOf(lo+rng.Int64N(hi-lo)))
	}
	when := func() int64 {
		t := lo + rng.Int64N(hi-lo+1)
		switch k := rng.IntN(100); {
		case k < 10:
			t = wxads.DayOf(t) // 00:00:00 GMT+8
		case k < 20:
			t = wxads.DayOf(t) - 1 // 23:59:59 GMT+8
		case k < 28:
			t = wxads.HourOf(t) + []int64{0, 3599}[rng.IntN(2)]
		case k < 50:
			t = hot[rng.IntN(len(hot))] + rng.Int64N(3600)
		}
		return min(max(t, lo), hi)
	}
	types := [][2]string{{wxads.ActionCompleteOrder, ""}, {wxads.ActionReservation, ""}, {wxads.ActionRegister, ""},
		{wxads.ActionCustom, "add_to_cart"}, {wxads.ActionCustom, "Share"}, {wxads.ActionCustom, "观看视频"}}
	urls := []string{"https://shop.example.com/p/1", "http://shop.example.com/cart?x=1", "https://m.example.com/",
		"https://M.Example.com:8443/deep/link", "https://pay.example.cn/ok", "http://blog.example.org/post#c"}

	newAction := func() (sentAction, map[string]any) {
		appid, openid := user()
		ty := types[rng.IntN(len(types))]
		s := sentAction{set: sets[rng.IntN(len(sets))], url: pick(urls), time: when(), typ: ty[0], custom: ty[1],
			appid: appid, openid: openid}
		if rng.IntN(10) < 7 {
			s.outer = fmt.Sprint("oid_", rng.IntN(1500))
		}
		return s, s.body(rng)
	}

	const batches = 150
	var sent int
	for i := range batches {
		if i == batches/2 {
			mustOK(t, h.admin("POST", "/admin/v1/apps/"+a.AppID+"/followers", map[string]any{"openids": late}))
			o.follow(a.AppID, late...)
		}
		n := 1 + rng.IntN(50)
		var valid []sentAction
		var bodies []any
		type failure struct{ index, code int }
		var failures []failure
		kind := rng.IntN(100)
		invalid := 0
		switch {
		case kind < 62:
		case kind < 72:
			invalid = 1
		default:
			invalid = rng.IntN(4)
		}
		bad := map[int]bool{}
		for range invalid {
			bad[rng.IntN(n)] = true
		}
		for j := range n {
			s, body := newAction()
			if len(valid) > 0 && rng.IntN(10) == 0 { // repeat a key of this batch
				if p := valid[rng.IntN(len(valid))]; p.outer != "" {
					s.set, s.outer = p.set, p.outer
					body = s.body(rng)
				}
			}
			if bad[j] {
				code := corrupt(rng, body, lo, foreignSet)
				failures = append(failures, failure{j, code})
			} else {
				valid = append(valid, s)
			}
			bodies = append(bodies, body)
		}
		sent += n
		q := url.Values{}
		validateOnly := kind >= 88
		partial := kind >= 72 && rng.IntN(3) > 0
		if validateOnly {
			q.Set("validate_only", "true")
		}
		if partial {
			q.Set("partial_failure", "true")
		}
		e := h.api(a, "POST", "/marketing/user_actions/add", q, map[string]any{"actions": bodies})
		if !partial && len(failures) > 0 {
			wantCode(t, e, failures[0].code)
			continue
		}
		mustOK(t, e)
		var acc, dup int
		if !validateOnly {
			acc, dup = o.store(valid)
		}
		switch {
		case validateOnly:
			got := decodeData[struct {
				Valid *int `json:"valid"`
			}](t, e)
			if got.Valid == nil || *got.Valid != len(valid) {
				t.Fatalf("batch %d validate_only: %s, want valid %d", i, e.Raw, len(valid))
			}
		case partial:
			got := decodeData[struct {
				Accepted, Duplicates int
				Failed               []struct{ Index, Errcode int }
			}](t, e)
			var gotFail []failure
			for _, f := range got.Failed {
				gotFail = append(gotFail, failure{f.Index, f.Errcode})
			}
			if got.Accepted != acc || got.Duplicates != dup || !reflect.DeepEqual(gotFail, failures) {
				t.Fatalf("batch %d partial: %s\nwant accepted %d duplicates %d failed %v", i, e.Raw, acc, dup, failures)
			}
		default:
			if string(e.Raw) != `{"errcode":0,"errmsg":""}` {
				t.Fatalf("batch %d: %s", i, e.Raw)
			}
		}
	}
	// Identical copies of fresh actions race each other in concurrent batches
	// (one group commit or several): each key is stored and counted once.
	var race []sentAction
	copies := make([][]any, 8)
	for i := range 60 {
		s, _ := newAction()
		s.outer = fmt.Sprint("race_", i)
		race = append(race, s)
		for _, k := range rng.Perm(len(copies))[:1+rng.IntN(3)] {
			copies[k] = append(copies[k], s.body(rng))
			sent++
		}
	}
	results := make([]envelope, len(copies))
	var wg sync.WaitGroup
	for k := range copies {
		wg.Go(func() {
			results[k] = h.api(a, "POST", "/marketing/user_actions/add", url.Values{"partial_failure": {"true"}},
				map[string]any{"actions": copies[k]})
		})
	}
	wg.Wait()
	var accepted, total int
	for k, e := range results {
		got := decodeData[struct{ Accepted, Duplicates int }](t, mustOK(t, e))
		if got.Accepted+got.Duplicates != len(copies[k]) {
			t.Fatalf("race batch %d: %s for %d actions", k, e.Raw, len(copies[k]))
		}
		accepted += got.Accepted
		total += len(copies[k])
	}
	if acc, _ := o.store(race); accepted != acc {
		t.Fatalf("racing batches accepted %d of %d, want %d", accepted, total, acc)
	}
	t.Logf("seed %d: sent %d actions, stored %d", seed, sent, len(o.stored))
	if len(o.stored) < 1500 {
		t.Fatalf("only %d actions stored", len(o.stored))
	}

	for _, set := range sets {
		e := mustOK(t, h.api(a, "GET", "/ext/v1/user_actions/get", url.Values{
			"user_action_set_id": {fmt.Sprint(set)}, "page_size": {"1"}}, nil))
		got := decodeData[struct {
			PageInfo struct {
				TotalNumber int `json:"total_number"`
			} `json:"page_info"`
		}](t, e).PageInfo.TotalNumber
		if want := o.count(set); got != want {
			t.Errorf("set %d: %d actions stored, oracle %d", set, got, want)
		}
	}
	windows := []struct {
		gran, start, end string
	}{
		{wxads.Daily, "2026-10-20", "2026-11-23"},
		{wxads.Daily, "2026-11-01", "2026-11-01"},
		{wxads.Daily, "2025-11-23", "2026-11-23"},  // 366 days
		{wxads.Daily, "2026-10-01", "2026-10-23"},  // before any action
		{wxads.Hourly, "2026-10-24", "2026-11-23"}, // 31 days
		{wxads.Hourly, "2026-11-10", "2026-11-23"},
		{"", "2026-11-01", "2026-11-02"}, // HOURLY by default
	}
	for _, set := range sets {
		for _, w := range windows {
			for _, agg := range []string{wxads.AggNone, wxads.AggDomain, wxads.AggActionType} {
				q := url.Values{"user_action_set_id": {fmt.Sprint(set)}, "date_range": {dateRange(w.start, w.end)}}
				if w.gran != "" {
					q.Set("time_granularity", w.gran)
				}
				if agg != "" {
					q.Set("aggregation", agg)
				}
				gran := cmp.Or(w.gran, wxads.Hourly)
				want := o.report(set, gran, agg, day(t, w.start), day(t, w.end))
				got := reportList(t, mustOK(t, h.api(a, "GET", "/marketing/user_action_set_reports/get", q, nil)))
				if diff := diffRows(got, want); diff != "" {
					t.Errorf("set %d %s %s %s..%s: %s", set, gran, cmp.Or(agg, "none"), w.start, w.end, diff)
				}
			}
		}
	}
}

// sentAction is an action as the test sent it.
type sentAction struct {
	set           int64
	url           string
	time          int64
	typ, custom   string
	appid, openid string
	outer         string
	identified    bool // set by the oracle when stored
}

func (s sentAction) body(rng *rand.Rand) map[string]any {
	m := map[string]any{
		"user_action_set_id": s.set,
		"url":                s.url,
		"action_time":        s.time,
		"action_type":        s.typ,
		"user_id":            map[string]any{"wechat_app_id": s.appid, "wechat_openid": s.openid},
		"action_param":       map[string]any{"source": "Web", "claim_type": rng.IntN(2), "value": rng.IntN(10000)},
	}
	if rng.IntN(4) == 0 {
		m["user_action_set_id"] = fmt.Sprint(s.set)
	}
	if s.custom != "" {
		m["custom_action"] = s.custom
	}
	if s.outer != "" {
		m["outer_action_id"] = s.outer
	}
	return m
}

// domain is the host of the URL, lower case, without port.
func (s sentAction) domain() string {
	u, err := url.Parse(s.url)
	if err != nil {
		panic(err)
	}
	return strings.ToLower(u.Hostname())
}

// corrupt makes one action invalid in one way and returns the code it earns.
func corrupt(rng *rand.Rand, body map[string]any, lo, foreignSet int64) int {
	switch rng.IntN(5) {
	case 0:
		body["action_type"] = "PURCHASE"
		delete(body, "custom_action")
		return wxads.CodeNotInEnum
	case 1:
		body["url"] = "ftp://shop.example.com/"
		return wxads.CodeBadFormat
	case 2:
		body["action_time"] = lo - 2*86400
		return wxads.CodeTooSmall
	case 3:
		body["user_action_set_id"] = foreignSet
		return wxads.CodeNotAccessible
	default:
		body["action_type"] = wxads.ActionCustom
		delete(body, "custom_action")
		return wxads.CodeRequired
	}
}

func randomOpenIDs(rng *rand.Rand, n int) []string {
	const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-"
	out := make([]string, n)
	for i := range out {
		b := []byte{'o'}
		for len(b) < 28 {
			b = append(b, alphabet[rng.IntN(len(alphabet))])
		}
		out[i] = string(b)
	}
	return out
}

// reportOracle recomputes reports from the actions the platform should have
// stored: the first of each (set, outer_action_id), identified when its app
// is one of the caller's and the user was a follower when it was sent.
type reportOracle struct {
	apps      map[string]bool
	followers map[[2]string]bool
	keys      map[int64]map[string]bool
	stored    []sentAction
}

func newReportOracle(apps ...string) *reportOracle {
	o := &reportOracle{apps: map[string]bool{}, followers: map[[2]string]bool{}, keys: map[int64]map[string]bool{}}
	for _, a := range apps {
		o.apps[a] = true
	}
	return o
}

func (o *reportOracle) follow(appid string, openids ...string) {
	for _, id := range openids {
		o.followers[[2]string{appid, id}] = true
	}
}

// store applies a committed batch's valid actions in order.
func (o *reportOracle) store(batch []sentAction) (accepted, duplicates int) {
	for _, s := range batch {
		if s.outer != "" {
			if o.keys[s.set] == nil {
				o.keys[s.set] = map[string]bool{}
			}
			if o.keys[s.set][s.outer] {
				duplicates++
				continue
			}
			o.keys[s.set][s.outer] = true
		}
		s.identified = o.apps[s.appid] && o.followers[[2]string{s.appid, s.openid}]
		o.stored = append(o.stored, s)
		accepted++
	}
	return accepted, duplicates
}

func (o *reportOracle) count(set int64) int {
	n := 0
	for _, s := range o.stored {
		if s.set == set {
			n++
		}
	}
	return n
}

// report is the expected data.list of a report, as decoded JSON.
func (o *reportOracle) report(set int64, gran, agg string, start, end int64) []map[string]any {
	type key struct {
		period              int64
		domain, typ, custom string
	}
	type tally struct {
		raw, ident int
		users      map[[2]string]bool
	}
	rows := map[key]*tally{}
	for _, s := range o.stored {
		if s.set != set || wxads.DayOf(s.time) < start || wxads.DayOf(s.time) > end {
			continue
		}
		k := key{period: wxads.DayOf(s.time)}
		if gran == wxads.Hourly {
			k.period = wxads.HourOf(s.time)
		}
		switch agg {
		case wxads.AggDomain:
			k.domain = s.domain()
		case wxads.AggActionType:
			k.typ, k.custom = s.typ, s.custom
		}
		r := rows[k]
		if r == nil {
			r = &tally{users: map[[2]string]bool{}}
			rows[k] = r
		}
		r.raw++
		if s.identified {
			r.ident++
			r.users[[2]string{s.appid, s.openid}] = true
		}
	}
	keys := make([]key, 0, len(rows))
	for k := range rows {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(x, y key) int {
		if x.period != y.period {
			return int(x.period - y.period)
		}
		return strings.Compare(x.domain+"\x00"+x.typ+"\x00"+x.custom, y.domain+"\x00"+y.typ+"\x00"+y.custom)
	})
	out := []map[string]any{}
	for _, k := range keys {
		r := rows[k]
		t := time.Unix(k.period, 0).In(wxads.CST)
		m := map[string]any{"date": t.Format(wxads.DateLayout), "raw_action_count": float64(r.raw),
			"identified_action_count": float64(r.ident)}
		if gran == wxads.Hourly {
			m["hour"] = float64(t.Hour())
		}
		switch agg {
		case wxads.AggDomain:
			m["domain"] = k.domain
		case wxads.AggActionType:
			m["action_type"], m["custom_action"] = k.typ, k.custom
		default:
			m["identified_user_count"] = float64(len(r.users))
		}
		out = append(out, m)
	}
	return out
}

// reportList decodes data.list of a report response; it must be an array.
func reportList(t *testing.T, e envelope) []map[string]any {
	t.Helper()
	var data struct {
		List json.RawMessage `json:"list"`
	}
	if err := json.Unmarshal(e.Data, &data); err != nil || len(data.List) == 0 || data.List[0] != '[' {
		t.Fatalf("data.list not an array: %s", e.Raw)
	}
	var list []map[string]any
	if err := json.Unmarshal(data.List, &list); err != nil {
		t.Fatal(err)
	}
	return list
}

// diffRows describes the first difference between two row lists, "" if none.
func diffRows(got, want []map[string]any) string {
	for i := range min(len(got), len(want)) {
		if !reflect.DeepEqual(got[i], want[i]) {
			g, _ := json.Marshal(got[i])
			w, _ := json.Marshal(want[i])
			return fmt.Sprintf("row %d of %d:\n got %s\nwant %s", i, len(want), g, w)
		}
	}
	if len(got) != len(want) {
		return fmt.Sprintf("got %d rows, want %d", len(got), len(want))
	}
	return ""
}

func dateRange(start, end string) string {
	return fmt.Sprintf(`{"start_date":%q,"end_date":%q}`, start, end)
}

func day(t *testing.T, date string) int64 {
	d, err := time.ParseInLocation(wxads.DateLayout, date, wxads.CST)
	if err != nil {
		t.Fatal(err)
	}
	return d.Unix()
}

// TestReportParams checks every parameter rule of user_action_set_reports/get
// and the code and parameter path of each error (SPEC §6.4). Today is the
// fake clock's GMT+8 date, 2026-11-23.
func TestReportParams(t *testing.T) {
	h := newHarness(t)
	a, b := h.newTenant(), h.newTenant()
	set, foreign := h.newSet(a, "s"), h.newSet(b, "s")
	mustOK(t, h.api(a, "POST", "/marketing/user_actions/add", nil, map[string]any{"actions": []any{
		sentAction{set: set, url: "https://shop.example.com/", time: harnessNow.Unix() - 3600,
			typ: wxads.ActionRegister, appid: a.AppID, openid: randomOpenIDs(rand.New(rand.NewPCG(1, 1)), 1)[0]}.
			body(rand.New(rand.NewPCG(1, 1))),
	}}))
	id := fmt.Sprint(set)
	tests := []struct {
		name  string
		q     url.Values // user_action_set_id, date_range and time_granularity default as below
		code  int
		param string // named in errmsg
	}{
		{"ok", nil, 0, ""},
		{"set missing", url.Values{"user_action_set_id": {""}}, wxads.CodeRequired, "'user_action_set_id'"},
		{"set not digits", url.Values{"user_action_set_id": {"12a"}}, wxads.CodeBadFormat, "'user_action_set_id'"},
		{"set negative", url.Values{"user_action_set_id": {"-" + id}}, wxads.CodeBadFormat, "'user_action_set_id'"},
		{"set zero", url.Values{"user_action_set_id": {"0"}}, wxads.CodeBadFormat, "'user_action_set_id'"},
		{"set of another advertiser", url.Values{"user_action_set_id": {fmt.Sprint(foreign)}}, wxads.CodeNotAccessible, "'user_action_set_id'"},
		{"set unknown", url.Values{"user_action_set_id": {"987654"}}, wxads.CodeNotAccessible, "'user_action_set_id'"},
		{"date_range missing", url.Values{"date_range": {""}}, wxads.CodeRequired, "'date_range'"},
		{"date_range not JSON", url.Values{"date_range": {"2026-11-01,2026-11-23"}}, wxads.CodeBadFormat, "'date_range'"},
		{"date_range array", url.Values{"date_range": {`["2026-11-01","2026-11-23"]`}}, wxads.CodeBadFormat, "'date_range'"},
		{"date_range null", url.Values{"date_range": {`null`}}, wxads.CodeBadFormat, "'date_range'"},
		{"start missing", url.Values{"date_range": {`{"end_date":"2026-11-23"}`}}, wxads.CodeRequired, "date_range.start_date"},
		{"end missing", url.Values{"date_range": {`{"start_date":"2026-11-01"}`}}, wxads.CodeRequired, "date_range.end_date"},
		{"start 9 bytes", url.Values{"date_range": {dateRange("2026-11-1", "2026-11-23")}}, wxads.CodeBadFormat, "date_range.start_date"},
		{"end 11 bytes", url.Values{"date_range": {dateRange("2026-11-01", "2026-11-230")}}, wxads.CodeBadFormat, "date_range.end_date"},
		{"start slashes", url.Values{"date_range": {dateRange("2026/11/01", "2026-11-23")}}, wxads.CodeBadFormat, "date_range.start_date"},
		{"start no such day", url.Values{"date_range": {dateRange("2026-02-30", "2026-11-23")}}, wxads.CodeBadFormat, "date_range.start_date"},
		{"start signed year", url.Values{"date_range": {dateRange("+026-11-01", "2026-11-23")}}, wxads.CodeBadFormat, "date_range.start_date"},
		{"start month 00", url.Values{"date_range": {dateRange("2026-00-01", "2026-11-23")}}, wxads.CodeBadFormat, "date_range.start_date"},
		{"start not a string", url.Values{"date_range": {`{"start_date":20261101,"end_date":"2026-11-23"}`}}, wxads.CodeWrongType, "date_range.start_date"},
		{"end with time", url.Values{"date_range": {dateRange("2026-11-01", "2026-11-23 00:00:00")}}, wxads.CodeBadFormat, "date_range.end_date"},
		{"start after end", url.Values{"date_range": {dateRange("2026-11-05", "2026-11-04")}}, wxads.CodeTooSmall, "date_range.end_date"},
		{"start equals end", url.Values{"date_range": {dateRange("2026-11-05", "2026-11-05")}}, 0, ""},
		{"end today", url.Values{"date_range": {dateRange("2026-11-23", "2026-11-23")}}, 0, ""},
		{"end tomorrow", url.Values{"date_range": {dateRange("2026-11-23", "2026-11-24")}}, wxads.CodeTooBig, "date_range.end_date"},
		{"DAILY 366 days", url.Values{"date_range": {dateRange("2025-11-23", "2026-11-23")}}, 0, ""},
		{"DAILY 367 days", url.Values{"date_range": {dateRange("2025-11-22", "2026-11-23")}}, wxads.CodeSpanTooLong, ""},
		{"DAILY 367 days in the past", url.Values{"date_range": {dateRange("2024-01-01", "2025-01-01")}}, wxads.CodeSpanTooLong, ""},
		{"DAILY 366 days over a leap day", url.Values{"date_range": {dateRange("2024-01-01", "2024-12-31")}}, 0, ""},
		{"HOURLY 31 days", url.Values{"time_granularity": {wxads.Hourly}, "date_range": {dateRange("2026-10-24", "2026-11-23")}}, 0, ""},
		{"HOURLY 32 days", url.Values{"time_granularity": {wxads.Hourly}, "date_range": {dateRange("2026-10-23", "2026-11-23")}}, wxads.CodeSpanTooLong, ""},
		{"default HOURLY 31 days", url.Values{"time_granularity": {""}, "date_range": {dateRange("2026-10-24", "2026-11-23")}}, 0, ""},
		{"default HOURLY 32 days", url.Values{"time_granularity": {""}, "date_range": {dateRange("2026-10-23", "2026-11-23")}}, wxads.CodeSpanTooLong, ""},
		{"granularity lower case", url.Values{"time_granularity": {"daily"}}, wxads.CodeNotInEnum, "'time_granularity' must be one of the following values: [DAILY, HOURLY]"},
		{"granularity unknown", url.Values{"time_granularity": {"WEEKLY"}}, wxads.CodeNotInEnum, "'time_granularity'"},
		{"aggregation DOMAIN", url.Values{"aggregation": {wxads.AggDomain}}, 0, ""},
		{"aggregation ACTION_TYPE", url.Values{"aggregation": {wxads.AggActionType}}, 0, ""},
		{"aggregation lower case", url.Values{"aggregation": {"domain"}}, wxads.CodeNotInEnum, "'aggregation' must be one of the following values: [DOMAIN, ACTION_TYPE]"},
		{"aggregation unknown", url.Values{"aggregation": {"USER"}}, wxads.CodeNotInEnum, "'aggregation'"},
		{"version", url.Values{"version": {"v2.0"}}, wxads.CodeNotInEnum, "'version'"},
		{"version v1.0", url.Values{"version": {"v1.0"}}, 0, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			q := url.Values{"user_action_set_id": {id}, "date_range": {dateRange("2026-11-01", "2026-11-23")},
				"time_granularity": {wxads.Daily}}
			for k, v := range tc.q {
				if v[0] == "" {
					q.Del(k)
				} else {
					q[k] = v
				}
			}
			e := h.api(a, "GET", "/marketing/user_action_set_reports/get", q, nil)
			wantCode(t, e, tc.code)
			if !strings.Contains(e.Errmsg, tc.param) {
				t.Errorf("errmsg %q does not name %s", e.Errmsg, tc.param)
			}
			if tc.code != 0 {
				if e.Data != nil {
					t.Errorf("error with data: %s", e.Raw)
				}
				return
			}
			list := reportList(t, e)
			hourly := q.Get("time_granularity") != wxads.Daily
			for _, row := range list {
				if _, ok := row["hour"]; ok != hourly {
					t.Errorf("hourly %v, row %v", hourly, row)
				}
			}
			if q.Get("aggregation") == "" && strings.Contains(q.Get("date_range"), `"end_date":"2026-11-23"`) && len(list) != 1 {
				t.Errorf("want the one action's row, got %v", list)
			}
		})
	}
	t.Run("POST", func(t *testing.T) {
		q := url.Values{"user_action_set_id": {id}, "date_range": {dateRange("2026-11-01", "2026-11-23")}}
		wantCode(t, h.api(a, "POST", "/marketing/user_action_set_reports/get", q, "{}"), 43001)
	})
}

// TestReportDayEdges puts actions at 23:59:59 and 00:00:00 GMT+8 (15:59:59
// and 16:00:00 UTC), at the start of today and now, and then moves the clock
// across midnight so that "today" changes.
func TestReportDayEdges(t *testing.T) {
	h := newHarness(t)
	a := h.newTenant()
	set := h.newSet(a, "edges")
	u := h.followers(a.AppID, 1)[0]
	late := time.Date(2026, 11, 20, 15, 59, 59, 0, time.UTC).Unix()
	if time.Unix(late, 0).In(wxads.CST).Format(wxads.TimeLayout) != "2026-11-20 23:59:59" {
		t.Fatal("GMT+8")
	}
	today := time.Date(2026, 11, 23, 0, 0, 0, 0, wxads.CST).Unix()
	now := h.clock.Now().Unix()
	send := func(times ...int64) {
		t.Helper()
		var actions []any
		for _, at := range times {
			actions = append(actions, map[string]any{"user_action_set_id": set, "url": "https://shop.example.com/",
				"action_time": at, "action_type": wxads.ActionRegister,
				"user_id":      map[string]any{"wechat_app_id": a.AppID, "wechat_openid": u},
				"action_param": map[string]any{"source": "Web", "claim_type": 0}})
		}
		mustOK(t, h.api(a, "POST", "/marketing/user_actions/add", nil, map[string]any{"actions": actions}))
	}
	send(late, late+1, today-1, today, now)
	report := func(gran, start, end string) envelope {
		t.Helper()
		return h.api(a, "GET", "/marketing/user_action_set_reports/get", url.Values{
			"user_action_set_id": {fmt.Sprint(set)}, "date_range": {dateRange(start, end)}, "time_granularity": {gran}}, nil)
	}
	row := func(date string, hour, n int) map[string]any {
		m := map[string]any{"date": date, "raw_action_count": float64(n), "identified_action_count": float64(n),
			"identified_user_count": float64(1)}
		if hour >= 0 {
			m["hour"] = float64(hour)
		}
		return m
	}
	check := func(e envelope, want ...map[string]any) {
		t.Helper()
		if diff := diffRows(reportList(t, mustOK(t, e)), want); diff != "" {
			t.Error(diff)
		}
	}
	check(report(wxads.Daily, "2026-11-20", "2026-11-23"),
		row("2026-11-20", -1, 1), row("2026-11-21", -1, 1), row("2026-11-22", -1, 1), row("2026-11-23", -1, 2))
	check(report(wxads.Hourly, "2026-11-20", "2026-11-23"),
		row("2026-11-20", 23, 1), row("2026-11-21", 0, 1), row("2026-11-22", 23, 1), row("2026-11-23", 0, 1),
		row("2026-11-23", 12, 1))
	check(report(wxads.Daily, "2026-11-21", "2026-11-21"), row("2026-11-21", -1, 1))
	check(report(wxads.Hourly, "2026-11-23", "2026-11-23"), row("2026-11-23", 0, 1), row("2026-11-23", 12, 1))
	wantCode(t, report(wxads.Daily, "2026-11-23", "2026-11-24"), wxads.CodeTooBig)

	// Two seconds before midnight, then past it: today becomes 2026-11-24.
	h.clock.Set(time.Date(2026, 11, 23, 23, 59, 58, 0, wxads.CST))
	a.Token = h.token(a.AppID, a.Secret)
	send(h.clock.Now().Unix())
	wantCode(t, report(wxads.Daily, "2026-11-24", "2026-11-24"), wxads.CodeTooBig)
	h.clock.Set(time.Date(2026, 11, 24, 0, 0, 3, 0, wxads.CST))
	send(h.clock.Now().Unix())
	check(report(wxads.Hourly, "2026-11-23", "2026-11-24"), row("2026-11-23", 0, 1), row("2026-11-23", 12, 1),
		row("2026-11-23", 23, 1), row("2026-11-24", 0, 1))
	check(report(wxads.Daily, "2025-11-24", "2026-11-24"), row("2026-11-20", -1, 1), row("2026-11-21", -1, 1),
		row("2026-11-22", -1, 1), row("2026-11-23", -1, 3), row("2026-11-24", -1, 1))
	wantCode(t, report(wxads.Daily, "2025-11-23", "2026-11-24"), wxads.CodeSpanTooLong)
}

// TestReportDedupValidateOnly: a repeated outer_action_id and a
// validate_only batch count nothing; an action without action_time counts now.
func TestReportDedupValidateOnly(t *testing.T) {
	h := newHarness(t)
	a := h.newTenant()
	set := h.newSet(a, "dedup")
	u := h.followers(a.AppID, 1)[0]
	at := harnessNow.Unix() - 600
	action := func(outer string, typ string) map[string]any {
		m := map[string]any{"user_action_set_id": set, "url": "https://shop.example.com/", "action_time": at,
			"action_type":  typ,
			"user_id":      map[string]any{"wechat_app_id": a.AppID, "wechat_openid": u},
			"action_param": map[string]any{"source": "Web", "claim_type": 0}}
		if outer != "" {
			m["outer_action_id"] = outer
		}
		return m
	}
	post := func(q url.Values, actions ...any) envelope {
		return mustOK(t, h.api(a, "POST", "/marketing/user_actions/add", q, map[string]any{"actions": actions}))
	}
	post(nil, action("k1", wxads.ActionRegister), action("k1", wxads.ActionReservation))
	post(nil, action("k1", wxads.ActionCompleteOrder))
	e := post(url.Values{"partial_failure": {"true"}}, action("k1", wxads.ActionRegister), action("k2", wxads.ActionRegister))
	if got := decodeData[struct{ Accepted, Duplicates int }](t, e); got.Accepted != 1 || got.Duplicates != 1 {
		t.Errorf("partial: %s", e.Raw)
	}
	post(url.Values{"validate_only": {"true"}}, action("k3", wxads.ActionRegister), action("", wxads.ActionRegister))
	// k3 was only validated: sending it now stores it.
	post(nil, action("k3", wxads.ActionReservation))
	// Without action_time the action happens now (2026-11-23 12:00 GMT+8).
	noTime := action("", wxads.ActionCompleteOrder)
	delete(noTime, "action_time")
	post(nil, noTime)
	e = h.api(a, "GET", "/marketing/user_action_set_reports/get", url.Values{"user_action_set_id": {fmt.Sprint(set)},
		"date_range": {dateRange("2026-11-23", "2026-11-23")}, "time_granularity": {wxads.Daily},
		"aggregation": {wxads.AggActionType}}, nil)
	want := []map[string]any{
		{"date": "2026-11-23", "action_type": "COMPLETE_ORDER", "custom_action": "", "raw_action_count": 1.0, "identified_action_count": 1.0},
		{"date": "2026-11-23", "action_type": "REGISTER", "custom_action": "", "raw_action_count": 2.0, "identified_action_count": 2.0},
		{"date": "2026-11-23", "action_type": "RESERVATION", "custom_action": "", "raw_action_count": 1.0, "identified_action_count": 1.0},
	}
	if diff := diffRows(reportList(t, mustOK(t, e)), want); diff != "" {
		t.Error(diff)
	}
}
