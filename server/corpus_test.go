package server_test

import (
	"bufio"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/wxads/wxads"
	"github.com/wxads/wxads/server"
)

// bad is one malformed request of the corpus and its documented answer:
// the HTTP status and the platform code (docs/RELIABILITY.md, SPEC §3–§8).
type bad struct {
	name         string
	method, path string
	q            url.Values
	body         any
	hdr          http.Header
	status, code int
}

// TestBadInputCorpus sends several hundred malformed requests across every
// route — broken JSON, wrong types, huge values, deep nesting, invalid
// UTF-8, NUL bytes, injection strings, header and query abuse, 10 MiB and
// slow bodies — and checks each gets its documented answer: never a 5xx,
// never -1, and a good request is answered after them.
func TestBadInputCorpus(t *testing.T) {
	h := newHarness(t, func(c *server.Config) { c.Limits.BodyGrace = 300 * time.Millisecond })
	now := h.clock.Now().Unix()
	tn, other := h.newTenant(), h.newTenant()
	set, otherSet := h.newSet(tn, "corpus"), h.newSet(other, "theirs")
	tok := func(extra url.Values) url.Values {
		q := url.Values{"access_token": {tn.Token}}
		for k, v := range extra {
			q[k] = v
		}
		return q
	}
	admin := http.Header{"Authorization": {"Bearer " + adminToken}}
	var corpus []bad
	add := func(b bad) {
		if b.status == 0 {
			b.status = http.StatusOK
		}
		corpus = append(corpus, b)
	}

	// Every token route: the token checks, the method, the version.
	wechat := []struct{ method, path string }{
		{"POST", "/marketing/user_action_sets/add"}, {"GET", "/marketing/user_action_sets/get"},
		{"POST", "/marketing/user_actions/add"}, {"GET", "/marketing/user_action_set_reports/get"},
		{"GET", "/ext/v1/user_actions/get"}, {"GET", "/ext/v1/ad_reports/get"},
		{"POST", "/ext/v1/adcreative_templates/validate"},
	}
	for _, r := range wechat {
		add(bad{name: "no token", method: r.method, path: r.path, code: wxads.CodeMissingAccessToken})
		for _, tk := range []string{"x", "' OR 1=1 --", strings.Repeat("A", 5000), "\x00", "☃", "%00", tn.Token + "x"} {
			add(bad{name: "bad token", method: r.method, path: r.path, q: url.Values{"access_token": {tk}},
				code: wxads.CodeInvalidAccessToken})
		}
		wrong, code := "GET", wxads.CodeRequirePOST
		if r.method == "GET" {
			wrong, code = "POST", wxads.CodeRequireGET
		}
		for _, m := range []string{wrong, "PUT", "DELETE", "PATCH"} {
			if m == "PUT" || m == "DELETE" || m == "PATCH" {
				if r.method == "GET" {
					code = wxads.CodeRequireGET
				} else {
					code = wxads.CodeRequirePOST
				}
			}
			add(bad{name: "method " + m, method: m, path: r.path, q: tok(nil), code: code})
		}
		for _, v := range []string{"v2.0", "1.0", "V1.0", "v1.0 ", "\xff", "<script>"} {
			add(bad{name: "version", method: r.method, path: r.path, q: tok(url.Values{"version": {v}}),
				code: wxads.CodeNotInEnum})
		}
	}

	// Every JSON body route: bodies that are not a JSON object.
	notObject := []string{"{", "}", "[]", "[{}]", "null", "1", `"x"`, "true", "{}{}", `{"a":}`, "\xff\xfe{}",
		"{\"a\":\"\xff\"}", "{\"a\":\"\xed\xa0\x80\"}", "{\"a\":\"a\x00b\"}", "\x00",
		strings.Repeat("[", 20000), strings.Repeat(`{"a":`, 20000), "{'a':1}", `{a:1}`, "<xml/>", "\xef\xbb\xbf{}",
		"[]{}", `{"a":1,}`, "\t{\"a\":1", `{"a" 1}`, `{"a":tru}`, `{"a":01}`}
	bodies := []struct {
		path string
		q    url.Values
		hdr  http.Header
	}{
		{"/marketing/user_action_sets/add", tok(nil), nil}, {"/marketing/user_actions/add", tok(nil), nil},
		{"/ext/v1/adcreative_templates/validate", tok(nil), nil}, {"/cgi-bin/stable_token", nil, nil},
		{"/admin/v1/advertisers", nil, admin}, {"/admin/v1/apps", nil, admin}, {"/admin/v1/ad_events", nil, admin},
		{"/admin/v1/apps/" + tn.AppID + "/followers", nil, admin},
	}
	for _, b := range bodies {
		for _, body := range notObject {
			status, code := http.StatusOK, wxads.CodeBadJSON
			if b.path == "/cgi-bin/stable_token" && len(body) > server.TokenBodyLimit {
				status, code = http.StatusRequestEntityTooLarge, wxads.CodeBodyTooLarge
			}
			add(bad{name: "not an object", method: "POST", path: b.path, q: b.q, body: body, hdr: b.hdr, status: status, code: code})
		}
		for _, body := range []string{"", " ", "\n\t"} {
			add(bad{name: "empty", method: "POST", path: b.path, q: b.q, body: body, hdr: b.hdr, code: wxads.CodeEmptyBody})
		}
	}

	// Query abuse of the set id and date_range.
	for _, v := range []string{"+1", "abc", "-1", "1.0", "0x10", "99999999999999999999", "1 ", " 1", "１", "1;DROP TABLE x"} {
		add(bad{name: "set id", method: "GET", path: "/marketing/user_action_set_reports/get",
			q: tok(url.Values{"user_action_set_id": {v}, "date_range": {dr("2026-11-23", "2026-11-23")}}), code: wxads.CodeBadFormat})
		add(bad{name: "set id", method: "GET", path: "/ext/v1/user_actions/get",
			q: tok(url.Values{"user_action_set_id": {v}}), code: wxads.CodeBadFormat})
	}
	for _, id := range []int64{otherSet, set + 100000} {
		add(bad{name: "not accessible", method: "GET", path: "/ext/v1/user_actions/get",
			q: tok(url.Values{"user_action_set_id": {fmt.Sprint(id)}}), code: wxads.CodeNotAccessible})
	}
	for _, c := range []struct {
		v    string
		code int
	}{
		{`{"start_date":"2026-11-23"}`, wxads.CodeRequired}, {"x", wxads.CodeBadFormat}, {"[]", wxads.CodeBadFormat},
		{dr("2026-1-1", "2026-11-23"), wxads.CodeBadFormat}, {dr("2026-11-24", "2026-11-23"), wxads.CodeTooSmall},
		{dr("2026-11-23", "2027-11-23"), wxads.CodeTooBig}, {dr("2024-01-01", "2026-11-23"), wxads.CodeSpanTooLong},
		{dr("2026-13-01", "2026-11-23"), wxads.CodeBadFormat}, {dr("2026-02-30", "2026-11-23"), wxads.CodeBadFormat},
		{"{\"start_date\":\"\xff\"}", wxads.CodeBadFormat},
	} {
		add(bad{name: "date_range", method: "GET", path: "/marketing/user_action_set_reports/get",
			q: tok(url.Values{"user_action_set_id": {fmt.Sprint(set)}, "date_range": {c.v}, "time_granularity": {"DAILY"}}), code: c.code})
	}
	for _, v := range []string{"0", "-1", "+1", "x", "1.5", "99999999999999999999"} {
		code := wxads.CodeWrongType
		if v == "0" || v == "-1" {
			code = wxads.CodeTooSmall
		}
		for _, p := range []string{"page", "page_size"} {
			add(bad{name: p, method: "GET", path: "/ext/v1/user_actions/get",
				q: tok(url.Values{"user_action_set_id": {fmt.Sprint(set)}, p: {v}}), code: code})
		}
	}

	// Uploads: one bad field at a time (docs/ingest.md), all 1-action batches.
	good := map[string]any{"user_action_set_id": set, "url": "https://a.example/p", "action_type": "REGISTER",
		"action_time": now, "user_id": map[string]any{"wechat_app_id": tn.AppID, "wechat_openid": "o000000000000000000000000001"},
		"action_param": map[string]any{"source": "Biz", "claim_type": 0}}
	upload := func(field string, v any) string {
		b, _ := json.Marshal(map[string]any{"actions": []any{good}})
		return withValue(t, string(b), "actions.0."+field, v)
	}
	uploads := []struct {
		field string
		v     any
		code  int
	}{
		{"url", "ftp://a.example/", wxads.CodeBadFormat}, {"url", "", wxads.CodeEmptyString},
		{"url", "https://a.example/" + strings.Repeat("x", 3000), wxads.CodeTooLong}, {"url", 1, wxads.CodeWrongType},
		{"url", "javascript:alert(1)", wxads.CodeBadFormat}, {"action_type", "BUY", wxads.CodeNotInEnum},
		{"action_type", 1, wxads.CodeNotInEnum}, {"action_type", "register", wxads.CodeNotInEnum},
		{"action_time", "1", wxads.CodeWrongType}, {"action_time", 1.5, wxads.CodeWrongType},
		{"action_time", now + 100, wxads.CodeTooBig}, {"action_time", now - 31*86400, wxads.CodeTooSmall},
		{"action_time", json.Number("99999999999999999999"), wxads.CodeTooBig},
		{"user_action_set_id", otherSet, wxads.CodeNotAccessible}, {"user_action_set_id", "x", wxads.CodeBadFormat},
		{"action_param.value", -1, wxads.CodeTooSmall}, {"action_param.value", json.Number("100000000001"), wxads.CodeTooBig},
		{"action_param.value", json.Number("9223372036854775807"), wxads.CodeTooBig}, {"action_param.value", 1.5, wxads.CodeWrongType},
		{"action_param.value", "100", wxads.CodeWrongType}, {"action_param.claim_type", 2, wxads.CodeNotInEnum},
		{"action_param.source", "biz", wxads.CodeNotInEnum}, {"action_param.x", nil, wxads.CodeWrongType},
		{"action_param.x", map[string]any{}, wxads.CodeWrongType}, {"action_param.x", []any{1, "a"}, wxads.CodeWrongType},
		{"action_param.x", json.Number("1e12"), wxads.CodeTooBig}, {"outer_action_id", "a b", wxads.CodeBadChars},
		{"outer_action_id", strings.Repeat("a", 256), wxads.CodeTooLong},
	}
	for _, u := range uploads {
		add(bad{name: "upload " + u.field, method: "POST", path: "/marketing/user_actions/add", q: tok(nil),
			body: upload(u.field, u.v), code: u.code})
	}
	add(bad{name: "no actions", method: "POST", path: "/marketing/user_actions/add", q: tok(nil), body: `{"actions":[]}`, code: wxads.CodeTooFew})
	many, _ := json.Marshal(map[string]any{"actions": make([]any, 51)})
	add(bad{name: "51 actions", method: "POST", path: "/marketing/user_actions/add", q: tok(nil), body: string(many), code: wxads.CodeTooMany})

	// Injection strings are data: stored and answered as such, never run.
	for i, s := range []string{"'; DROP TABLE action_sets;--", `" OR ""="`, "<script>alert(1)</script>", "${jndi:ldap://x}",
		"{{7*7}}", "../../etc/passwd", "%s%s%n", "\u202eevil"} {
		b, _ := json.Marshal(map[string]any{"type": "WEB", "name": fmt.Sprint(i, s)})
		add(bad{name: "injection as name", method: "POST", path: "/marketing/user_action_sets/add", q: tok(nil),
			body: string(b), code: 0})
	}

	// Token endpoints.
	for _, c := range []struct {
		q    url.Values
		code int
	}{
		{url.Values{}, wxads.CodeInvalidGrantType}, {url.Values{"grant_type": {"password"}}, wxads.CodeInvalidGrantType},
		{url.Values{"grant_type": {"client_credential"}}, wxads.CodeMissingAppID},
		{url.Values{"grant_type": {"client_credential"}, "appid": {"wx' OR 1=1"}}, wxads.CodeInvalidAppID},
		{url.Values{"grant_type": {"client_credential"}, "appid": {tn.AppID}}, wxads.CodeMissingSecret},
		{url.Values{"grant_type": {"client_credential"}, "appid": {strings.Repeat("w", 10000)}, "secret": {"x"}}, wxads.CodeInvalidAppID},
	} {
		add(bad{name: "token", method: "GET", path: "/cgi-bin/token", q: c.q, code: c.code})
	}

	// v1.1 global parameters, account_id, filtering and paging.
	v11 := func(set map[string]string) url.Values {
		q := url.Values{"access_token": {tn.Token}, "timestamp": {fmt.Sprint(now)}, "account_id": {fmt.Sprint(tn.AccountID)}}
		for k, v := range set {
			q.Set(k, v)
		}
		return q
	}
	nonce := 0
	v11case := func(set map[string]string, code int) {
		nonce++
		if _, ok := set["nonce"]; !ok {
			set["nonce"] = fmt.Sprint("corpus", nonce)
		}
		q := v11(set)
		for k, v := range set {
			if v == "" {
				q.Del(k)
			}
		}
		add(bad{name: "v1.1", method: "GET", path: "/v1.1/adcreative_templates/get", q: q, code: code})
	}
	for _, p := range []string{"access_token", "timestamp", "nonce"} {
		v11case(map[string]string{p: ""}, wxads.CodeV11TokenMissing)
	}
	for _, ts := range []string{"x", "+1", fmt.Sprint(now + 301), fmt.Sprint(now - 301), "1e9", "99999999999999999999"} {
		v11case(map[string]string{"timestamp": ts}, wxads.CodeBadFormat)
	}
	v11case(map[string]string{"nonce": strings.Repeat("n", 33)}, wxads.CodeTooLong)
	v11case(map[string]string{"account_id": "x"}, wxads.CodeBadFormat)
	v11case(map[string]string{"account_id": fmt.Sprint(other.AccountID)}, wxads.CodeNotAccessible)
	for _, f := range []struct {
		v    string
		code int
	}{
		{"[]", wxads.CodeTooFew}, {"x", wxads.CodeBadFormat}, {`[{"field":"x","operator":"EQUALS","values":["1"]}]`, wxads.CodeNotInEnum},
		{`[{"field":"site_set","operator":"IN","values":["SITE_SET_WECHAT"]}]`, wxads.CodeNotInEnum},
	} {
		v11case(map[string]string{"filtering": f.v}, f.code)
	}
	for _, c := range []struct {
		p, v string
		code int
	}{{"page", "0", wxads.CodeTooSmall}, {"page", "100000", wxads.CodeTooBig}, {"page_size", "101", wxads.CodeTooBig},
		{"page", "x", wxads.CodeWrongType}, {"fields", `["nope"]`, wxads.CodeNotInEnum}} {
		v11case(map[string]string{c.p: c.v}, c.code)
	}

	// Admin: no or wrong bearer is 401 on every admin path; unknown paths 404.
	for _, p := range []string{"/admin/v1/advertisers", "/admin/v1/apps", "/admin/v1/ad_events", "/admin/v1/nope",
		"/admin/v1/apps/" + tn.AppID + "/reset_secret"} {
		for _, a := range []string{"", "Bearer", "Bearer x", "Basic " + adminToken, "Bearer " + adminToken + "x", "Bearer  " + adminToken} {
			add(bad{name: "admin auth", method: "POST", path: p, hdr: http.Header{"Authorization": {a}},
				status: http.StatusUnauthorized, code: wxads.CodeInvalidCredential})
		}
	}
	for _, p := range []string{"/nope", "/marketing/nope", "/cgi-bin/", "/v1.1/nope", "/%3Cscript%3E", "/a%00b", "//marketing/user_actions/add"} {
		add(bad{name: "unknown path", method: "GET", path: p, status: http.StatusNotFound, code: wxads.CodeInvalidURL})
	}
	add(bad{name: "10 MiB body", method: "POST", path: "/marketing/user_actions/add", q: tok(nil),
		body: strings.Repeat(" ", 10<<20), status: http.StatusRequestEntityTooLarge, code: wxads.CodeBodyTooLarge})

	if len(corpus) < 500 {
		t.Fatalf("corpus has %d requests, want at least 500", len(corpus))
	}
	for i, b := range corpus {
		path := b.path
		status, raw := h.raw(b.method, path, b.q, b.body, b.hdr)
		var e envelope
		if err := json.Unmarshal(raw, &e); err != nil {
			t.Errorf("#%d %s %s %s: HTTP %d, not JSON: %.200s", i, b.name, b.method, path, status, raw)
			continue
		}
		code := e.Errcode
		if e.Code != 0 {
			code = e.Code
		}
		if status != b.status || code != b.code {
			t.Errorf("#%d %s: %s %s %.120v body %.80q: HTTP %d code %d, want HTTP %d code %d: %.200s",
				i, b.name, b.method, path, b.q, b.body, status, code, b.status, b.code, raw)
		}
	}
	slowBodies(t, h)
	t.Logf("%d malformed requests answered as documented", len(corpus)+2)
	// Still serving.
	mustOK(t, h.api(tn, "POST", "/marketing/user_actions/add", nil, map[string]any{"actions": []any{good}}))
}

// slowBodies: a body slower than the minimum rate is 408, one declared
// over the limit is 413 before it is sent.
func slowBodies(t *testing.T, h *harness) {
	for _, c := range []struct {
		length, sent, status int
	}{{3000, 100, http.StatusRequestTimeout}, {10 << 20, 0, http.StatusRequestEntityTooLarge}} {
		conn, err := net.Dial("tcp", h.srv.Listener.Addr().String())
		if err != nil {
			t.Fatal(err)
		}
		fmt.Fprintf(conn, "POST /cgi-bin/stable_token HTTP/1.1\r\nHost: x\r\nContent-Length: %d\r\n\r\n%s",
			c.length, strings.Repeat("{", c.sent))
		conn.SetReadDeadline(time.Now().Add(5 * time.Second))
		resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
		conn.Close()
		if err != nil || resp.StatusCode != c.status {
			t.Errorf("slow body %+v: %v %v, want HTTP %d", c, resp, err, c.status)
		}
	}
}

func dr(start, end string) string {
	return fmt.Sprintf(`{"start_date":%q,"end_date":%q}`, start, end)
}
