package server_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/wxads/wxads/metrics"
	"github.com/wxads/wxads/server"
)

func withMetrics(m *metrics.Registry, elsewhere bool) func(*server.Config) {
	return func(c *server.Config) { c.Metrics, c.MetricsElsewhere = m, elsewhere }
}

func (h *harness) scrape() string {
	h.t.Helper()
	resp, err := h.srv.Client().Get(h.srv.URL + "/metrics")
	if err != nil {
		h.t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK {
		h.t.Fatalf("GET /metrics from loopback: HTTP %d %s", resp.StatusCode, body)
	}
	return string(body)
}

// An upload through a real SQLite store shows in the request, latency,
// token, ingest and group-commit metrics.
func TestMetricsCountRequestsAndIngest(t *testing.T) {
	m := metrics.New()
	h := newHarness(t, withMetrics(m, false))
	h.db.SetMetrics(m)
	tn := h.newTenant()
	set := h.newSet(tn, "web")
	mustOK(t, h.upload(tn, nil, act(tn, set, "o1", outer("a")), act(tn, set, "o2", outer("b"))))
	mustOK(t, h.upload(tn, nil, act(tn, set, "o1", outer("a"))))
	wantCode(t, h.api(tenant{Token: "bogus"}, "GET", "/marketing/user_action_sets/get", nil, nil), 40014)
	body := h.scrape()
	for _, want := range []string{
		`wxads_http_requests_total{errcode="0",route="/marketing/user_actions/add"} 2`,
		`wxads_http_requests_total{errcode="40014",route="/marketing/user_action_sets/get"} 1`,
		`wxads_http_request_duration_seconds_count{route="/marketing/user_actions/add"} 2`,
		`wxads_tokens_issued_total{route="/cgi-bin/token"} 1`,
		`wxads_ingest_actions_total{result="stored"} 2`,
		`wxads_ingest_actions_total{result="duplicate"} 1`,
		`wxads_ingest_group_actions_count 2`,
		`wxads_inflight_requests_limit 1024`,
		`wxads_inspector_dropped_total 0`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("scrape lacks %q", want)
		}
	}
}

// The main port answers /metrics to loopback callers only, and not at all
// when the metrics have their own listener.
func TestMetricsOnlyForLoopback(t *testing.T) {
	m := metrics.New()
	srv := server.New(newHarness(t, withMetrics(m, false)).cfg)
	for _, tc := range []struct {
		remote string
		want   int
	}{{"127.0.0.1:5000", 200}, {"[::1]:5000", 200}, {"203.0.113.7:5000", 404}, {"10.0.0.2:5000", 404}} {
		rr := httptest.NewRecorder()
		req := httptest.NewRequest("GET", "/metrics", nil)
		req.RemoteAddr = tc.remote
		srv.ServeHTTP(rr, req)
		if rr.Code != tc.want {
			t.Errorf("GET /metrics from %s: HTTP %d, want %d", tc.remote, rr.Code, tc.want)
		}
		if tc.want == 404 && !strings.Contains(rr.Body.String(), `"errcode"`) {
			t.Errorf("GET /metrics from %s: %s, want the 404 envelope", tc.remote, rr.Body)
		}
	}
	elsewhere := newHarness(t, withMetrics(m, true))
	if e := elsewhere.do("GET", "/metrics", nil, nil, nil); e.Status != 404 || e.Errcode == 0 {
		t.Errorf("with --metrics-addr the main port answers /metrics: HTTP %d %s", e.Status, e.Raw)
	}
	// A loopback proxy trusted with X-Forwarded-For passes on a remote caller.
	proxied := newHarness(t, withMetrics(m, false), trustProxies("127.0.0.0/8"))
	if e := proxied.do("GET", "/metrics", nil, nil, xff("198.51.100.9")); e.Status != 404 {
		t.Errorf("remote caller through a trusted loopback proxy: HTTP %d, want 404", e.Status)
	}
	without := newHarness(t)
	if e := without.do("GET", "/metrics", nil, nil, nil); e.Status != 404 {
		t.Errorf("no registry: HTTP %d, want 404", e.Status)
	}
}
