package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wxads/wxads/client"
	"github.com/wxads/wxads/wxadstest"
)

// clearUpstreamEnv keeps the caller's environment out of the precedence tests.
func clearUpstreamEnv(t *testing.T) {
	for _, k := range []string{"WXADS_UPSTREAM", "WXADS_UPSTREAM_APPID", "WXADS_UPSTREAM_SECRET",
		"WXADS_UPSTREAM_SETS", "WXADS_UPSTREAM_DIR", "WXADS_UPSTREAM_CONFIG"} {
		t.Setenv(k, "")
	}
}

func writeUpstreamFile(t *testing.T, mode os.FileMode, body string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "upstream.json")
	if err := os.WriteFile(path, []byte(body), mode); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(path, mode); err != nil { // past the umask
		t.Fatal(err)
	}
	return path
}

const fileSecret = "s3cr3t-from-the-file-0123456789"

func TestUpstreamConfigFile(t *testing.T) {
	clearUpstreamEnv(t)
	path := writeUpstreamFile(t, 0o600, `{"upstream": "https://api.example.com/", "upstream_appid": "wxfile",
		"upstream_secret": "`+fileSecret+`", "upstream_sets": {"1": 123, "2": 456}, "upstream_dir": "/var/q"}`)

	m := NewMain(&lockedBuffer{}, &lockedBuffer{})
	if err := m.ParseFlags([]string{"--upstream-config", path}); err != nil {
		t.Fatal(err)
	}
	u := m.Config.Upstream
	if u.URL != "https://api.example.com" || u.AppID != "wxfile" || u.Secret != fileSecret || u.Dir != "/var/q" ||
		u.Sets[1] != 123 || u.Sets[2] != 456 || len(u.Sets) != 2 {
		t.Fatalf("from the file alone: %+v", u)
	}

	// flag > environment > file, member by member; the path may come from the environment.
	t.Setenv("WXADS_UPSTREAM_CONFIG", path)
	t.Setenv("WXADS_UPSTREAM_APPID", "wxenv")
	t.Setenv("WXADS_UPSTREAM_SECRET", "secret-from-env")
	t.Setenv("WXADS_UPSTREAM_SETS", "1=999")
	m = NewMain(&lockedBuffer{}, &lockedBuffer{})
	if err := m.ParseFlags([]string{"--upstream-secret", "secret-from-flag", "--upstream-dir", "/flag/q"}); err != nil {
		t.Fatal(err)
	}
	u = m.Config.Upstream
	if u.URL != "https://api.example.com" || u.AppID != "wxenv" || u.Secret != "secret-from-flag" || u.Dir != "/flag/q" ||
		u.Sets[1] != 999 || len(u.Sets) != 1 {
		t.Fatalf("flag > environment > file: %+v", u)
	}

	// upstream_sets may also be the flag's string form.
	clearUpstreamEnv(t)
	path2 := writeUpstreamFile(t, 0o400, `{"upstream": "http://127.0.0.1:1", "upstream_appid": "a", "upstream_secret": "b", "upstream_sets": "3=30"}`)
	m = NewMain(&lockedBuffer{}, &lockedBuffer{})
	if err := m.ParseFlags([]string{"--upstream-config", path2}); err != nil || m.Config.Upstream.Sets[3] != 30 {
		t.Fatalf("sets as a string: %+v, %v", m.Config.Upstream, err)
	}
}

// A file others may read, or a wrong one, is refused with what to do, and
// the error never quotes the secret.
func TestUpstreamConfigFileRefused(t *testing.T) {
	clearUpstreamEnv(t)
	for _, c := range []struct {
		mode       os.FileMode
		body, want string
	}{
		{0o644, `{"upstream_secret": "` + fileSecret + `"}`, "chmod 600"},
		{0o640, `{"upstream_secret": "` + fileSecret + `"}`, "chmod 600"},
		{0o600, `{"upstream_secret": "` + fileSecret + `", "upstream_secrets": "x"}`, `unknown member "upstream_secrets"`},
		{0o600, `{"upstream_secret": 12345, "upstream": "` + fileSecret + `"}`, `"upstream_secret" must be a string`},
		{0o600, `{"upstream_secret": "` + fileSecret + `"`, "not valid JSON"},
		{0o600, `{"upstream_secret": "` + fileSecret + `", "upstream_sets": ["` + fileSecret + `"]}`, `"upstream_sets" must be`},
		{0o600, `{"upstream_secret": "` + fileSecret + `", "upstream_appid": "a"}`, "go together"},
	} {
		path := writeUpstreamFile(t, c.mode, c.body)
		m := NewMain(&lockedBuffer{}, &lockedBuffer{})
		err := m.ParseFlags([]string{"--upstream-config", path})
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("mode %04o %s: error %v, want one saying %q", c.mode, c.body, err, c.want)
			continue
		}
		if strings.Contains(err.Error(), fileSecret) {
			t.Errorf("the error quotes the secret: %v", err)
		}
	}
	m := NewMain(&lockedBuffer{}, &lockedBuffer{})
	if err := m.ParseFlags([]string{"--upstream-config", filepath.Join(t.TempDir(), "none.json")}); err == nil {
		t.Error("a missing --upstream-config file was accepted")
	}
}

// wxads serve with its upstream settings in the file relays, and never logs the secret.
func TestServeRelayFromConfigFile(t *testing.T) {
	clearUpstreamEnv(t)
	up := wxadstest.NewServer(t, wxadstest.WithCredentials(testAppID, testSecret))
	path := writeUpstreamFile(t, 0o600, `{"upstream": "`+up.URL+`", "upstream_appid": "`+testAppID+`", "upstream_secret": "`+testSecret+`"}`)
	const adminToken = "relay-file-test-admin-token"
	m := startMain(t, "--addr", "127.0.0.1:0", "--data", t.TempDir(), "--admin-token", adminToken, "--upstream-config", path)
	defer m.Close()
	if _, err := client.NewAdmin(m.base, adminToken).RelayStatus(context.Background()); err != nil {
		t.Fatalf("relay status: %v (the relay did not start from the file)\n%s", err, m.stderr)
	}
	if strings.Contains(m.stderr.String(), testSecret) {
		t.Error("the upstream secret appears in the server log")
	}
}
