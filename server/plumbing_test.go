package server_test

import (
	"bytes"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/wxads/wxads"
	"github.com/wxads/wxads/server"
)

// syncBuffer is a log sink the server's goroutines may write while a test reads.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

var generatedID = regexp.MustCompile(`^[0-9a-f]{16}$`)

// Every response carries X-Request-Id: a sane incoming one is echoed, else
// a fresh one; the request's log line carries the same id.
func TestRequestID(t *testing.T) {
	var log syncBuffer
	h := newHarness(t, func(c *server.Config) { c.Logger = slog.New(slog.NewJSONHandler(&log, nil)) })
	tn := h.newTenant()
	requests := []struct{ method, path string }{
		{"GET", "/healthz"},
		{"GET", "/nope"},
		{"GET", "/cgi-bin/token"},
		{"POST", "/cgi-bin/token"},
		{"GET", "/marketing/user_action_sets/get?access_token=" + tn.Token},
		{"GET", "/marketing/user_action_sets/get"},
		{"POST", "/admin/v1/advertisers"},
		{"GET", "/v1.1/adcreative_templates/get"},
	}
	seen := map[string]bool{}
	for _, r := range requests {
		path, rawQuery, _ := strings.Cut(r.path, "?")
		q, _ := url.ParseQuery(rawQuery)
		e := h.do(r.method, path, q, nil, nil)
		id := e.Header.Get("X-Request-Id")
		if !generatedID.MatchString(id) || seen[id] {
			t.Errorf("%s %s: X-Request-Id %q, want a fresh id", r.method, r.path, id)
		}
		seen[id] = true
		if !strings.Contains(log.String(), `"request_id":"`+id+`"`) {
			t.Errorf("%s %s: no log line carries request id %s", r.method, r.path, id)
		}
	}
	for _, in := range []string{"abc-123_X.y", strings.Repeat("a", 64)} {
		e := h.do("GET", "/healthz", nil, nil, http.Header{"X-Request-Id": {in}})
		if got := e.Header.Get("X-Request-Id"); got != in {
			t.Errorf("incoming id %q answered with %q", in, got)
		}
	}
	for _, in := range []string{strings.Repeat("a", 65), "a b", "a/b", "☃", "<script>", `a"b`} {
		e := h.do("GET", "/healthz", nil, nil, http.Header{"X-Request-Id": {in}})
		if got := e.Header.Get("X-Request-Id"); !generatedID.MatchString(got) {
			t.Errorf("insane incoming id %q answered with %q, want a fresh one", in, got)
		}
	}
}

func TestHealthz(t *testing.T) {
	h := newHarness(t)
	e := h.do("GET", "/healthz", nil, nil, nil)
	if e.Status != http.StatusOK || string(e.Raw) != `{"status":"ok"}` ||
		!strings.HasPrefix(e.Header.Get("Content-Type"), "application/json") {
		t.Errorf("healthz: HTTP %d %q %s", e.Status, e.Raw, e.Header.Get("Content-Type"))
	}
}

func TestUnknownPathIs404(t *testing.T) {
	h := newHarness(t)
	for _, p := range []string{"/", "/nope", "/healthz/x", "/cgi-bin/nope", "/cgi-bin/token/x", "/marketing/nope",
		"/marketing/user_action_sets/get/x", "/marketing/user_action_sets", "/ext/v1/nope", "/v1.1/nope",
		"/%E2%98%83", "/Marketing/user_action_sets/get"} {
		for _, m := range []string{"GET", "POST"} {
			if e := h.do(m, p, nil, nil, nil); e.Status != http.StatusNotFound || e.Errcode == 0 && e.Code == 0 {
				t.Errorf("%s %s: HTTP %d %s, want 404 with an error code", m, p, e.Status, e.Raw)
			}
		}
	}
	if e := h.admin("GET", "/admin/v1/nope", nil); e.Status != http.StatusNotFound {
		t.Errorf("unknown admin path: HTTP %d %s", e.Status, e.Raw)
	}
}

// GET routes answer other methods 43001, POST routes 43002, before the token.
func TestWrongMethod(t *testing.T) {
	h := newHarness(t)
	tn := h.newTenant()
	gets := []string{"/marketing/user_action_sets/get", "/marketing/user_action_set_reports/get",
		"/ext/v1/user_actions/get", "/ext/v1/ad_reports/get"}
	posts := []string{"/marketing/user_action_sets/add", "/marketing/user_actions/add", "/ext/v1/adcreative_templates/validate"}
	for _, p := range gets {
		for _, m := range []string{"POST", "PUT", "DELETE", "PATCH"} {
			wantCode(t, h.api(tn, m, p, nil, "{}"), wxads.CodeRequireGET)
			wantCode(t, h.do(m, p, nil, "{}", nil), wxads.CodeRequireGET)
		}
	}
	for _, p := range posts {
		for _, m := range []string{"GET", "PUT", "DELETE"} {
			wantCode(t, h.api(tn, m, p, nil, nil), wxads.CodeRequirePOST)
			wantCode(t, h.do(m, p, nil, nil, nil), wxads.CodeRequirePOST)
		}
	}
	wantCode(t, h.admin("DELETE", "/admin/v1/advertisers", nil), wxads.CodeRequirePOST) // GET lists them
	wantCode(t, h.admin("POST", "/admin/v1/apps/"+tn.AppID+"/ip_whitelist", "{}"), wxads.CodeRequirePOST)
	wantCode(t, h.admin("POST", "/admin/v1/advertisers/1", "{}"), wxads.CodeRequirePOST)
}

// version is optional; anything but v1.0 is 18009.
func TestMarketingVersion(t *testing.T) {
	h := newHarness(t)
	tn := h.newTenant()
	mustOK(t, h.api(tn, "GET", "/marketing/user_action_sets/get", url.Values{"version": {"v1.0"}}, nil))
	mustOK(t, h.api(tn, "GET", "/marketing/user_action_sets/get", url.Values{"version": {""}}, nil))
	for _, v := range []string{"v2", "v1.1", "V1.0", "v1.0 ", "1.0"} {
		e := h.api(tn, "GET", "/marketing/user_action_sets/get", url.Values{"version": {v}}, nil)
		wantCode(t, e, wxads.CodeNotInEnum)
		if !strings.Contains(e.Errmsg, "version") {
			t.Errorf("version %q: errmsg %q does not name version", v, e.Errmsg)
		}
		wantCode(t, h.api(tn, "POST", "/marketing/user_action_sets/add", url.Values{"version": {v}},
			map[string]any{"type": "WEB", "name": "v"}), wxads.CodeNotInEnum)
	}
}

// A body over 1 MiB is HTTP 413 with errcode 45002 on every body-reading
// route, sized or chunked.
func TestBodyTooLarge(t *testing.T) {
	h := newHarness(t)
	tn := h.newTenant()
	big := `{"pad":"` + strings.Repeat("x", 1<<20) + `"}`
	token := url.Values{"access_token": {tn.Token}}
	routes := []struct {
		path string
		q    url.Values
		auth bool
	}{
		{"/cgi-bin/stable_token", nil, false},
		{"/marketing/user_action_sets/add", token, false},
		{"/marketing/user_actions/add", token, false},
		{"/ext/v1/adcreative_templates/validate", token, false},
		{"/admin/v1/advertisers", nil, true},
		{"/admin/v1/apps", nil, true},
		{"/admin/v1/apps/" + tn.AppID + "/followers", nil, true},
		{"/admin/v1/ad_events", nil, true},
	}
	for _, r := range routes {
		var hdr http.Header
		if r.auth {
			hdr = http.Header{"Authorization": {"Bearer " + adminToken}}
		}
		for name, body := range map[string]any{"sized": big, "chunked": io.MultiReader(strings.NewReader(big))} {
			status, raw := h.raw("POST", r.path, r.q, body, hdr)
			var e envelope
			if json.Unmarshal(raw, &e); status != http.StatusRequestEntityTooLarge || e.Errcode != wxads.CodeBodyTooLarge {
				t.Errorf("POST %s, %s: HTTP %d %.200s, want 413 errcode 45002", r.path, name, status, raw)
			}
		}
	}
}

// raw sends a request without failing the test on any answer; body is
// nil, a string or an io.Reader (sent chunked).
func (h *harness) raw(method, path string, q url.Values, body any, hdr http.Header) (int, []byte) {
	h.t.Helper()
	var rd io.Reader
	switch b := body.(type) {
	case string:
		rd = strings.NewReader(b)
	case io.Reader:
		rd = b
	}
	u := h.srv.URL + path
	if len(q) > 0 {
		u += "?" + q.Encode()
	}
	req, err := http.NewRequest(method, u, rd)
	if err != nil {
		h.t.Fatal(err)
	}
	for k, v := range hdr {
		req.Header[k] = v
	}
	resp, err := h.srv.Client().Do(req)
	if err != nil {
		h.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, raw
}

// badJSON are field values no handler expects.
var badJSON = []any{nil, -1, 0, 1.5, 1e308, json.Number("1e400"), json.Number("-1e400"),
	json.Number("99999999999999999999999"), json.Number("-9223372036854775809"), json.Number("9223372036854775807"),
	"", " ", "☃", "\x00", "\u202e", strings.Repeat("x", 3000), "99999999999999999999", "-1", "0x10", "1e3",
	"2026-11-23", []any{}, []any{nil}, []any{1, "a", true}, map[string]any{}, map[string]any{"a": map[string]any{}},
	true, false, json.RawMessage(strings.Repeat("[", 1000) + strings.Repeat("]", 1000))}

// badQuery are query values no handler expects.
var badQuery = []string{"", " ", "-1", "0", "1.5", "99999999999999999999999", "9223372036854775807",
	"-9223372036854775808", "1e400", "NaN", "☃", "\x00", "\xff", "%", "null", "[]", "{}", "true",
	strings.Repeat("9", 5000), `{"start_date":"2026-11-23"}`, `{"start_date":1,"end_date":null}`,
	`{"start_date":"0000-01-01","end_date":"9999-12-31"}`, `{"start_date":"2026-11-23","end_date":"2026-11-23"}`,
	`{"start_date":"2026-11-23","end_date":"2026-11-22"}`, `{"start_date":"-001-01-01","end_date":"2026-11-23"}`,
	`[{"field":"adcreative_template_id","operator":"EQUALS","values":[1e400]}]`,
	`[{"field":"","operator":"","values":[null]}]`, `[null]`, `[[]]`, `["x"]`, "[1,2,3,4]"}

// badBodies are request bodies no handler expects.
var badBodies = []string{"", " ", "{", "}", "[]", "[{}]", "null", "1", `"x"`, "true", "{}", `{"a":}`,
	"\xff\xfe{}", "\ufeff{}", `{"x":1e999}`, `{"a":"\ud800"}`, "{\"a\":\"\xff\"}", `{"a":1,"a":"b"}`,
	strings.Repeat("[", 20000), `{"` + strings.Repeat("a", 5000) + `":1}`, strings.Repeat(`{"a":`, 20000)}

// withValue returns the JSON document base with the element at a dotted
// path ("actions.0.url") replaced by v.
func withValue(t *testing.T, base, path string, v any) string {
	t.Helper()
	d := json.NewDecoder(strings.NewReader(base))
	d.UseNumber()
	var doc any
	if err := d.Decode(&doc); err != nil {
		t.Fatal(err)
	}
	cur := doc
	keys := strings.Split(path, ".")
	for i, k := range keys {
		last := i == len(keys)-1
		switch c := cur.(type) {
		case map[string]any:
			if last {
				c[k] = v
			}
			cur = c[k]
		case []any:
			n, _ := strconv.Atoi(k)
			if last {
				c[n] = v
			}
			cur = c[n]
		}
	}
	b, err := json.Marshal(doc)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// No input reaches the panic recover or any other 5xx: malformed values in
// every parameter and field of every route, garbage bodies, odd methods and
// path values. Each answer is a JSON envelope with a code other than -1.
func TestNoBadInputIsAServerError(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	t0 := harnessNow.Unix()
	h.at(t0)
	tn := h.newTenant()
	set := itoa(h.newSet(tn, "probe"))
	openid := h.followers(tn.AppID, 1)[0]
	spare, spareSecret := h.newApp(tn.AccountID, nil)
	admin := http.Header{"Authorization": {"Bearer " + adminToken}}
	account, now := itoa(tn.AccountID), itoa(t0)
	n := 0
	probe := func(method, path string, q url.Values, body any, hdr http.Header) {
		t.Helper()
		n++
		status, raw := h.raw(method, path, q, body, hdr)
		var e envelope
		err := json.Unmarshal(raw, &e)
		if status >= 500 || err != nil || e.Errcode == wxads.CodeSystemBusy || e.Code == wxads.CodeSystemBusy {
			t.Errorf("%s %s %v body %.200q: HTTP %d %.300s", method, path, q, body, status, raw)
		}
		h.at(t0) // undo any clock route
	}

	gets := []struct {
		path  string
		q     url.Values
		vary  []string
		extra http.Header
	}{
		{"/cgi-bin/token", credQuery(spare, spareSecret), []string{"grant_type", "appid", "secret"}, nil},
		{"/marketing/user_action_sets/get", url.Values{"access_token": {tn.Token}, "version": {"v1.0"},
			"user_action_set_id": {set}, "wechat_app_id": {tn.AppID}},
			[]string{"access_token", "version", "user_action_set_id", "wechat_app_id"}, nil},
		{"/marketing/user_action_set_reports/get", url.Values{"access_token": {tn.Token}, "user_action_set_id": {set},
			"date_range": {`{"start_date":"2026-11-01","end_date":"2026-11-23"}`}, "time_granularity": {"DAILY"},
			"aggregation": {"DOMAIN"}}, []string{"user_action_set_id", "date_range", "time_granularity", "aggregation"}, nil},
		{"/ext/v1/user_actions/get", url.Values{"access_token": {tn.Token}, "user_action_set_id": {set},
			"page": {"1"}, "page_size": {"10"}}, []string{"user_action_set_id", "page", "page_size"}, nil},
		{"/ext/v1/ad_reports/get", url.Values{"access_token": {tn.Token},
			"date_range": {`{"start_date":"2026-11-01","end_date":"2026-11-23"}`}, "time_granularity": {"HOURLY"}},
			[]string{"date_range", "time_granularity"}, nil},
		{"/v1.1/adcreative_templates/get", url.Values{"access_token": {tn.Token}, "timestamp": {now}, "nonce": {"n"},
			"account_id": {account}, "page": {"1"}, "page_size": {"10"},
			"filtering": {`[{"field":"adcreative_template_id","operator":"EQUALS","values":["69"]}]`},
			"fields":    {`["adcreative_template_id"]`}},
			[]string{"access_token", "timestamp", "nonce", "account_id", "filtering", "page", "page_size", "fields"}, nil},
	}
	for _, g := range gets {
		for _, p := range g.vary {
			for i, v := range badQuery {
				q := url.Values{}
				for k, vs := range g.q {
					q[k] = vs
				}
				q.Set(p, v)
				q.Set("nonce", "n"+itoa(int64(n))+"_"+itoa(int64(i)))
				if p == "nonce" {
					q.Set("nonce", v)
				}
				probe("GET", g.path, q, nil, g.extra)
			}
		}
		for _, m := range []string{"POST", "OPTIONS", "FOO"} {
			probe(m, g.path, g.q, "{}", nil)
		}
	}

	action := `{"user_action_set_id":` + set + `,"url":"https://a.example/x","action_time":` + now + `,
		"action_type":"CUSTOM","custom_action":"c","user_id":{"wechat_app_id":"` + tn.AppID + `","wechat_openid":"` + openid + `"},
		"trace":{"click_id":"k"},"outer_action_id":"o1","action_param":{"source":"Biz","claim_type":0,"value":1,"k":[1]}}`
	event := `{"type":"CLICK","appid":"` + tn.AppID + `","openid":"` + openid + `","ad_id":1,"campaign_id":2,"click_id":"k","time":` + now + `}`
	token := url.Values{"access_token": {tn.Token}}
	posts := []struct {
		method, path string
		q            url.Values
		hdr          http.Header
		base         string
		vary         []string
	}{
		{"POST", "/cgi-bin/stable_token", nil, nil,
			`{"grant_type":"client_credential","appid":"` + spare + `","secret":"` + spareSecret + `","force_refresh":false}`,
			[]string{"grant_type", "appid", "secret", "force_refresh"}},
		{"POST", "/marketing/user_action_sets/add", token, nil,
			`{"type":"WEB","name":"n","description":"d","wechat_app_id":"` + tn.AppID + `"}`,
			[]string{"type", "name", "description", "wechat_app_id"}},
		{"POST", "/marketing/user_actions/add", token, nil, `{"actions":[` + action + `]}`,
			[]string{"actions", "actions.0", "actions.0.user_action_set_id", "actions.0.url", "actions.0.action_time",
				"actions.0.action_type", "actions.0.custom_action", "actions.0.user_id", "actions.0.user_id.wechat_app_id",
				"actions.0.user_id.wechat_openid", "actions.0.trace", "actions.0.trace.click_id", "actions.0.outer_action_id",
				"actions.0.action_param", "actions.0.action_param.source", "actions.0.action_param.claim_type",
				"actions.0.action_param.value", "actions.0.action_param.k"}},
		{"POST", "/marketing/user_actions/add", url.Values{"access_token": {tn.Token}, "partial_failure": {"true"}}, nil,
			`{"actions":[` + action + `,` + action + `]}`, []string{"actions.1.url", "actions.1.user_action_set_id"}},
		{"POST", "/ext/v1/adcreative_templates/validate", token, nil,
			`{"adcreative_template_id":69,"adcreative_elements":{"title":"t","description":"d"}}`,
			[]string{"adcreative_template_id", "adcreative_elements", "adcreative_elements.title", "adcreative_elements.image"}},
		{"POST", "/admin/v1/advertisers", nil, admin, `{"name":"n","status":"APPROVED"}`, []string{"name", "status"}},
		{"PATCH", "/admin/v1/advertisers/" + account, nil, admin, `{"status":"APPROVED"}`, []string{"status"}},
		{"POST", "/admin/v1/apps", nil, admin, `{"account_id":` + account + `,"name":"n","ip_whitelist":["127.0.0.1"]}`,
			[]string{"account_id", "name", "ip_whitelist", "ip_whitelist.0"}},
		{"PUT", "/admin/v1/apps/" + spare + "/ip_whitelist", nil, admin, `{"ip_whitelist":["127.0.0.0/8"]}`,
			[]string{"ip_whitelist", "ip_whitelist.0"}},
		{"POST", "/admin/v1/apps/" + tn.AppID + "/followers", nil, admin, `{"openids":["` + openid + `"],"count":0}`,
			[]string{"openids", "openids.0", "count"}},
		{"POST", "/admin/v1/ad_events", nil, admin, `{"events":[` + event + `]}`,
			[]string{"events", "events.0", "events.0.type", "events.0.appid", "events.0.openid", "events.0.ad_id",
				"events.0.campaign_id", "events.0.click_id", "events.0.time"}},
		{"POST", "/admin/v1/clock", nil, admin, `{"now":` + now + `,"advance_seconds":null}`, []string{"now", "advance_seconds"}},
		{"POST", "/admin/v1/apps/" + spare + "/reset_secret", nil, admin, `{}`, nil},
		{"PUT", "/admin/v1/adcreative_templates", nil, admin, `[{"adcreative_template_id":1}]`,
			[]string{"0", "0.adcreative_template_id"}},
	}
	for _, p := range posts {
		for _, path := range p.vary {
			for _, v := range badJSON {
				probe(p.method, p.path, p.q, withValue(t, p.base, path, v), p.hdr)
			}
		}
		for _, b := range badBodies {
			probe(p.method, p.path, p.q, b, p.hdr)
		}
		probe(p.method, p.path, p.q, io.MultiReader(strings.NewReader(p.base)), p.hdr) // chunked
		for _, m := range []string{"GET", "OPTIONS", "FOO"} {
			probe(m, p.path, p.q, p.base, p.hdr)
		}
	}
	for _, v := range []string{"0", "-1", "1.5", " 1", "☃", "\x00", "99999999999999999999999", strings.Repeat("9", 5000)} {
		probe("PATCH", "/admin/v1/advertisers/"+url.PathEscape(v), nil, `{"status":"APPROVED"}`, admin)
		for tail, m := range map[string]string{"/reset_secret": "POST", "/ip_whitelist": "PUT", "/followers": "POST"} {
			probe(m, "/admin/v1/apps/"+url.PathEscape(v)+tail, nil, `{"count":1,"ip_whitelist":[]}`, admin)
		}
	}
	t.Logf("%d requests", n)
}

// A path not in clean form is 404 with the envelope, never a redirect that
// echoes the query (an access_token) and skips auth.
func TestUncleanPathsAre404(t *testing.T) {
	h := newHarness(t)
	for _, p := range []string{"/marketing//user_actions/add", "/admin/v1//advertisers", "/marketing/./user_action_sets/get",
		"/ext/v1/../v1/user_actions/get", "/v1.1//adcreative_templates/get"} {
		req, _ := http.NewRequest("POST", h.srv.URL+p+"?access_token=secret", strings.NewReader("{}"))
		req.URL.Opaque = p // keep the path exactly as written
		resp, err := h.srv.Client().Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusNotFound || resp.Header.Get("Location") != "" {
			t.Errorf("%s: HTTP %d, Location %q", p, resp.StatusCode, resp.Header.Get("Location"))
		}
	}
}
