package main

import (
	"net/http"
	"testing"
)

// TestPprofAddr: profiles are served on --pprof-addr only, never on the
// API listener, and not at all without the flag.
func TestPprofAddr(t *testing.T) {
	get := func(url string) int {
		resp, err := serveClient.Get(url)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	m := startMain(t, "--addr", "127.0.0.1:0", "--data", t.TempDir(), "--pprof-addr", "127.0.0.1:0")
	defer m.Close()
	if m.PprofAddr() == "" {
		t.Fatal("--pprof-addr given but no profiler listening")
	}
	if code := get("http://" + m.PprofAddr() + "/debug/pprof/cmdline"); code != http.StatusOK {
		t.Errorf("pprof listener: /debug/pprof/cmdline answered %d, want 200", code)
	}
	if code := get(m.base + "/debug/pprof/cmdline"); code == http.StatusOK {
		t.Errorf("API listener serves /debug/pprof/cmdline")
	}
	if err := m.Close(); err != nil {
		t.Fatal(err)
	}

	off := startMain(t, "--addr", "127.0.0.1:0", "--data", t.TempDir())
	defer off.Close()
	if off.PprofAddr() != "" {
		t.Errorf("profiler listening at %s without --pprof-addr", off.PprofAddr())
	}
}
