package main

import (
	"strings"
	"testing"
)

// TestBench runs `wxads bench` against a server of this test, with the HTTP
// ceiling, and checks that it prints both runs, a ratio, the RSS and the
// report check.
func TestBench(t *testing.T) {
	if testing.Short() {
		t.Skip("creates 50 000 followers")
	}
	const admin = "bench-admin-token-0123456789abcdef"
	m := startMain(t, "--addr", "127.0.0.1:0", "--data", t.TempDir(), "--admin-token", admin)
	defer m.Close()
	c := &cli{env: map[string]string{"HOME": t.TempDir()}}
	r := c.run(t, "", "bench", "--server", m.base, "--admin-token", admin, "--call-log", "off",
		"-c", "2", "-b", "5", "-d", "300ms", "--baseline", "http")
	if r.code != 0 {
		t.Fatalf("exit %d\n%s\n%s", r.code, r.stdout, r.stderr)
	}
	for _, want := range []string{"wxads ", "baseline http", "ratio 1/1: wxads ÷ http ceiling", "RSS ", "✓ report raw_action_count"} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("output lacks %q:\n%s", want, r.stdout)
		}
	}
	// --mode templates: v1.1 calls with fresh nonces, every one answered code 0.
	r = c.run(t, "", "bench", "--server", m.base, "--admin-token", admin, "--call-log", "off",
		"-c", "2", "-d", "300ms", "--mode", "templates", "--baseline", "http")
	if r.code != 0 || !strings.Contains(r.stdout, "errors none") || strings.Contains(r.stdout, "code ") ||
		!strings.Contains(r.stdout, "ratio 1/1: wxads ÷ http ceiling") {
		t.Errorf("--mode templates: exit %d\n%s\n%s", r.code, r.stdout, r.stderr)
	}
	if r := c.run(t, "", "bench", "--mode", "nope"); r.code != 2 || !strings.Contains(r.stderr, "--mode") {
		t.Errorf("--mode nope: exit %d, %s; want 2 naming --mode", r.code, r.stderr)
	}
}
