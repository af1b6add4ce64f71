package server

import (
	"errors"
	"net/http"
	"net/netip"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/wxads/wxads"
	"github.com/wxads/wxads/errcode"
)

// fuzzCode fails unless err is nil or a platform error whose code is in the
// registry: a parser must answer garbage with a documented code, never a
// bare error (-1) or a panic.
func fuzzCode(t *testing.T, err error) {
	t.Helper()
	if err == nil {
		return
	}
	var e *wxads.Error
	if !errors.As(err, &e) || e.Code == wxads.CodeSystemBusy {
		t.Fatalf("not a platform error: %#v", err)
	}
	if en, _ := errcode.Format(e.Code, e.Args()...); en == "" {
		t.Fatalf("code %d has no message", e.Code)
	}
}

func FuzzDateRange(f *testing.F) {
	for _, s := range []string{`{"start_date":"2026-11-01","end_date":"2026-11-23"}`, `{"start_date":"2026-11-23"}`,
		`{"start_date":1,"end_date":null}`, `[]`, `null`, `{"start_date":"2026-02-30","end_date":"2026-11-23"}`,
		"{\"start_date\":\"\xff\"}", `{"start_date":"+002026-11-2","end_date":"2026-11-23"}`} {
		f.Add(s, "DAILY")
	}
	clock := &wxads.FakeClock{Frozen: true}
	clock.Set(time.Date(2026, 11, 23, 12, 0, 0, 0, wxads.CST))
	s := &Server{cfg: Config{Clock: clock}}
	f.Fuzz(func(t *testing.T, raw, gran string) {
		r := &http.Request{URL: &url.URL{RawQuery: url.Values{"date_range": {raw}}.Encode()}}
		start, end, err := s.dateRange(r)
		fuzzCode(t, err)
		if err != nil {
			return
		}
		if start > end || end > clock.Now().Unix() || (start-wxads.DayStart(time.Unix(start, 0)).Unix()) != 0 {
			t.Fatalf("%q → [%d, %d]", raw, start, end)
		}
		fuzzCode(t, checkSpan(start, end, gran))
	})
}

func FuzzDecodeObject(f *testing.F) {
	for _, s := range []string{`{"name":"a","status":"APPROVED"}`, `{"account_id":"12","ip_whitelist":["1.2.3.4/32"]}`,
		`{"NAME":1}`, `{"account_id":1e400}`, `{"a":[`, "{\"name\":\"\xff\"}", `{"ip_whitelist":null}`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		for _, v := range []any{&advertiserRequest{}, &appRequest{}, &stableTokenRequest{}, &actionSetRequest{}} {
			fuzzCode(t, decodeObject(body, v))
		}
	})
}

var integerText = regexp.MustCompile(`^-?[0-9]+$`)

func FuzzIntegerParams(f *testing.F) {
	for _, s := range []string{"1", "+1", "-1", "0", "007", "9223372036854775808", "1e3", " 1", "１", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, v string) {
		if n, err := parseInteger(v); err == nil && (!integerText.MatchString(v) || strconv.FormatInt(n, 10) == "") {
			t.Fatalf("parseInteger(%q) = %d", v, n)
		}
		if id, err := parseID(v); err == nil && (id <= 0 || strings.ContainsAny(v, "+- ")) {
			t.Fatalf("parseID(%q) = %d", v, id)
		}
		r := &http.Request{URL: &url.URL{RawQuery: url.Values{"page": {v}}.Encode()}}
		if p, err := intParam(r, "page", 1, 1, 99999); err == nil && (p < 1 || p > 99999) {
			t.Fatalf("page %q → %d", v, p)
		} else {
			fuzzCode(t, err)
		}
	})
}

func FuzzClientIP(f *testing.F) {
	for _, s := range []string{"203.0.113.7", "203.0.113.7, 10.0.0.1", "[::1]:80", "garbage", ",,", "::ffff:1.2.3.4"} {
		f.Add(s)
	}
	trusted := []netip.Prefix{netip.MustParsePrefix("10.0.0.0/8")}
	f.Fuzz(func(t *testing.T, xff string) {
		if !utf8.ValidString(xff) {
			return
		}
		r := &http.Request{RemoteAddr: "10.1.2.3:5555", Header: http.Header{"X-Forwarded-For": {xff}}}
		ip := clientIP(r, trusted)
		if ip.IsValid() && ip.Is4In6() {
			t.Fatalf("%q → %v not unmapped", xff, ip)
		}
	})
}
