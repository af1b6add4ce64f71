package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestAdminFaults(t *testing.T) {
	c := newCLI(t)
	r := c.must(t, 0, "", "admin", "faults", "set", "--route", "POST /marketing/user_actions/add", "--errcode", "45011", "--count", "2")
	if !strings.Contains(r.stdout, "POST /marketing/user_actions/add") || !strings.Contains(r.stdout, "45011") {
		t.Errorf("set:\n%s", r.stdout)
	}
	// The next call of the route is refused with the injected code.
	c.env["WXADS_APPID"], c.env["WXADS_SECRET"] = "wx1111111111111111", strings.Repeat("1", 32)
	if r := c.run(t, "", "admin", "faults", "set", "--route", "/nowhere", "--errcode", "-1"); r.code == 0 || !strings.Contains(r.stderr, "18009") {
		t.Errorf("unknown route: exit %d\n%s", r.code, r.stderr)
	}
	r = c.must(t, 0, "", "admin", "faults", "list", "--json")
	if !strings.Contains(r.stdout, `"errcode": 45011`) || !strings.Contains(r.stdout, `"hits": 0`) {
		t.Errorf("list --json:\n%s", r.stdout)
	}
	file := filepath.Join(t.TempDir(), "rules.json")
	os.WriteFile(file, []byte(`{"rules":[{"route":"/cgi-bin/stable_token","http_status":502,"rate":0.5},{"delay_ms":20}]}`), 0o600)
	r = c.must(t, 0, "", "admin", "faults", "set", "--file", file)
	if !strings.Contains(r.stdout, "/cgi-bin/stable_token") || !strings.Contains(r.stdout, "502") || !strings.Contains(r.stdout, "0.5") {
		t.Errorf("set --file:\n%s", r.stdout)
	}
	c.must(t, 0, "", "admin", "faults", "clear")
	r = c.must(t, 0, "", "admin", "faults", "list")
	if !strings.Contains(r.stdout, "no fault rules") {
		t.Errorf("list after clear:\n%s", r.stdout)
	}
}
