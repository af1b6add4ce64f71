package main

import (
	"io"
	"net/http"
	"strings"
	"testing"
)

// TestMetricsAddr: by default GET /metrics answers on the API's port (to this
// loopback test); with --metrics-addr it answers there and the API's port
// says 404. The store reports its group commit into the same registry.
func TestMetricsAddr(t *testing.T) {
	get := func(url string) (int, string) {
		resp, err := serveClient.Get(url)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		body, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(body)
	}
	m := startMain(t, "--addr", "127.0.0.1:0", "--data", t.TempDir())
	defer m.Close()
	get(m.base + "/healthz")
	code, body := get(m.base + "/metrics")
	if code != http.StatusOK || !strings.Contains(body, `wxads_http_requests_total{errcode="0",route="/healthz"} 1`) ||
		!strings.Contains(body, "wxads_ingest_queue_depth") {
		t.Errorf("GET /metrics on the API port: HTTP %d\n%.2000s", code, body)
	}
	if m.MetricsAddr() != "" {
		t.Errorf("metrics listener at %s without --metrics-addr", m.MetricsAddr())
	}
	if err := m.Close(); err != nil {
		t.Fatal(err)
	}

	sep := startMain(t, "--addr", "127.0.0.1:0", "--data", t.TempDir(), "--metrics-addr", "127.0.0.1:0")
	defer sep.Close()
	if code, body := get("http://" + sep.MetricsAddr() + "/metrics"); code != http.StatusOK ||
		!strings.Contains(body, "wxads_inflight_requests_limit") {
		t.Errorf("--metrics-addr listener: HTTP %d %.500s", code, body)
	}
	if code, _ := get(sep.base + "/metrics"); code != http.StatusNotFound {
		t.Errorf("with --metrics-addr the API port answered /metrics with %d, want 404", code)
	}
}
