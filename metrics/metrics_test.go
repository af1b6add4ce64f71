package metrics_test

import (
	"errors"
	"io"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/wxads/wxads/metrics"
)

func scrape(t *testing.T, m *metrics.Registry) string {
	t.Helper()
	rr := httptest.NewRecorder()
	m.Handler().ServeHTTP(rr, httptest.NewRequest("GET", "/metrics", nil))
	body, _ := io.ReadAll(rr.Body)
	return string(body)
}

func TestRequestCountsByRouteAndErrcode(t *testing.T) {
	m := metrics.New()
	m.Request("/cgi-bin/token", 0, time.Millisecond)
	m.Request("/cgi-bin/token", 0, time.Millisecond)
	m.Request("/cgi-bin/token", 40001, time.Millisecond)
	m.Request("", 40066, time.Millisecond)
	m.TokenIssued("/cgi-bin/token")
	m.InternalError("/marketing/user_actions/add")
	body := scrape(t, m)
	for _, want := range []string{
		`wxads_http_requests_total{errcode="0",route="/cgi-bin/token"} 2`,
		`wxads_http_requests_total{errcode="40001",route="/cgi-bin/token"} 1`,
		`wxads_http_requests_total{errcode="40066",route="unmatched"} 1`,
		`wxads_http_request_duration_seconds_count{route="/cgi-bin/token"} 3`,
		`wxads_tokens_issued_total{route="/cgi-bin/token"} 1`,
		`wxads_http_internal_errors_total{route="/marketing/user_actions/add"} 1`,
		`go_goroutines `,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("scrape lacks %q", want)
		}
	}
}

func TestGroupCommit(t *testing.T) {
	m := metrics.New()
	m.GroupBegan(100, 3)
	m.Waited(2 * time.Millisecond)
	m.GroupCommitted(5*time.Millisecond, 90, 10, nil)
	m.GroupCommitted(5*time.Millisecond, 7, 0, errors.New("disk full"))
	body := scrape(t, m)
	for _, want := range []string{
		`wxads_ingest_actions_total{result="stored"} 90`,
		`wxads_ingest_actions_total{result="duplicate"} 10`,
		`wxads_ingest_group_actions_sum 100`,
		`wxads_ingest_queue_depth 3`,
		`wxads_ingest_queue_wait_seconds_count 1`,
		`wxads_ingest_commit_seconds_count 2`,
		`wxads_store_errors_total{op="ingest"} 1`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("scrape lacks %q", want)
		}
	}
}

func TestServerSourcesReadAtScrape(t *testing.T) {
	m := metrics.New()
	var n int64 = 3
	m.ServerSources(func() (int64, int64) { return n, n << 10 }, func() (int64, int64) { return 1024, 64 << 20 },
		func() int64 { return 7 })
	n = 5
	body := scrape(t, m)
	for _, want := range []string{"wxads_inflight_requests 5", "wxads_inflight_body_bytes 5120",
		"wxads_inflight_requests_limit 1024", "wxads_inspector_dropped_total 7"} {
		if !strings.Contains(body, want) {
			t.Errorf("scrape lacks %q", want)
		}
	}
}

// The request path must not allocate once a route and errcode were seen.
func TestRequestDoesNotAllocate(t *testing.T) {
	m := metrics.New()
	m.Request("/marketing/user_actions/add", 0, time.Millisecond)
	m.Request("/marketing/user_actions/add", 40001, time.Millisecond)
	if n := testing.AllocsPerRun(1000, func() {
		m.Request("/marketing/user_actions/add", 0, time.Millisecond)
		m.Request("/marketing/user_actions/add", 40001, time.Millisecond)
	}); n != 0 {
		t.Errorf("Request allocates %v times per call pair, want 0", n)
	}
}

// A nil registry records nothing and does not panic: stores opened by tools
// run without metrics.
func TestNilRegistry(t *testing.T) {
	var m *metrics.Registry
	m.Request("/x", 0, time.Millisecond)
	m.GroupBegan(1, 0)
	m.Waited(time.Millisecond)
	m.GroupCommitted(time.Millisecond, 1, 0, nil)
	m.ServerSources(nil, nil, nil)
}
