package main

import (
	"bytes"
	"context"
	"net"
	"net/http"
	"net/netip"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/wxads/wxads"
)

// lockedBuffer collects output the server's goroutines write while a test reads it.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// runningMain is a Main started by a test and the output it wrote.
type runningMain struct {
	*Main
	stdout, stderr *lockedBuffer
	base           string
}

// startMain parses args, runs Main and returns it running; the test closes it.
func startMain(t *testing.T, args ...string) *runningMain {
	t.Helper()
	out, errOut := &lockedBuffer{}, &lockedBuffer{}
	m := NewMain(out, errOut)
	if err := m.ParseFlags(args); err != nil {
		t.Fatalf("ParseFlags(%q): %v", args, err)
	}
	if err := m.Run(context.Background()); err != nil {
		m.Close()
		t.Fatalf("Run: %v\n%s", err, errOut)
	}
	return &runningMain{Main: m, stdout: out, stderr: errOut, base: "http://" + m.Addr()}
}

// demoCreds reads what --demo printed.
func demoCreds(t *testing.T, stdout string) (appid, secret, set string) {
	t.Helper()
	field := func(name, pattern string) string {
		m := regexp.MustCompile(`(?m)^\s+` + name + `\s+(` + pattern + `)$`).FindStringSubmatch(stdout)
		if m == nil {
			t.Fatalf("demo output has no %s:\n%s", name, stdout)
		}
		return m[1]
	}
	return field("appid", `wx[0-9a-f]{16}`), field("secret", `[0-9a-f]{32}`), field("user_action_set_id", `[0-9]+`)
}

// serveClient is what the end-to-end tests talk to the server with.
var serveClient = &http.Client{Timeout: 10 * time.Second}

type wechatReply struct {
	Errcode     int    `json:"errcode"`
	AccessToken string `json:"access_token"`
	Status      string `json:"status"`
	Data        struct {
		AccountID int64 `json:"account_id"`
		List      []struct {
			ID   int64  `json:"user_action_set_id"`
			Name string `json:"name"`
		} `json:"list"`
	} `json:"data"`
}

// fetch calls the server and decodes a 200 answer; it fails the test otherwise.
func (r *runningMain) fetch(t *testing.T, method, path, bearer string, body any) wechatReply {
	t.Helper()
	var out wechatReply
	if err := call(serveClient, method, r.base+path, bearer, body, &out); err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	return out
}

func (r *runningMain) stableToken(t *testing.T, appid, secret string) string {
	t.Helper()
	tok := r.fetch(t, "POST", "/cgi-bin/stable_token", "", map[string]any{
		"grant_type": "client_credential", "appid": appid, "secret": secret}).AccessToken
	if tok == "" {
		t.Fatal("no stable token")
	}
	return tok
}

// `wxads serve --demo` on port 0, end to end, then again on the same data
// directory: the admin token, server key and demo world are reused.
func TestServeEndToEnd(t *testing.T) {
	dir := t.TempDir()
	args := []string{"--addr", "127.0.0.1:0", "--data", dir, "--demo"}
	m := startMain(t, args...)
	appid, secret, set := demoCreds(t, m.stdout.String())

	if got := m.fetch(t, "GET", "/healthz", "", nil); got.Status != "ok" {
		t.Errorf("healthz: %+v", got)
	}
	token := m.fetch(t, "GET", "/cgi-bin/token?grant_type=client_credential&appid="+appid+"&secret="+secret, "", nil).AccessToken
	if token == "" {
		t.Fatal("no token for the demo app")
	}
	sets := m.fetch(t, "GET", "/marketing/user_action_sets/get?version=v1.0&access_token="+token, "", nil)
	// The demo's WeChat set, then the ANDROID set its v3.0 traffic made.
	if sets.Errcode != 0 || len(sets.Data.List) != 2 || strconv.FormatInt(sets.Data.List[0].ID, 10) != set ||
		sets.Data.List[1].Name != "demo app installs" {
		t.Errorf("demo data sources: %+v, want id %s and \"demo app installs\"", sets, set)
	}
	stable := m.stableToken(t, appid, secret)

	for _, name := range []string{"admin-token", "server.key"} {
		fi, err := os.Stat(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		if fi.Mode().Perm() != 0o600 {
			t.Errorf("%s has mode %v, want 0600", name, fi.Mode().Perm())
		}
	}
	raw, err := os.ReadFile(filepath.Join(dir, "admin-token"))
	if err != nil {
		t.Fatal(err)
	}
	admin := strings.TrimSpace(string(raw))
	if len(admin) < 32 {
		t.Fatalf("admin token %q is too short", admin)
	}
	if got := m.fetch(t, "POST", "/admin/v1/advertisers", admin, map[string]any{"name": "e2e"}); got.Errcode != 0 || got.Data.AccountID == 0 {
		t.Errorf("admin API with the generated token: %+v", got)
	}
	var ignored wechatReply
	if err := call(serveClient, "POST", m.base+"/admin/v1/advertisers", admin+"x", map[string]any{"name": "x"}, &ignored); err == nil ||
		!strings.Contains(err.Error(), "HTTP 401") {
		t.Errorf("admin API with a wrong token: %v, want HTTP 401", err)
	}
	if !strings.Contains(m.stderr.String(), filepath.Join(dir, "admin-token")) {
		t.Errorf("the log does not say where the admin token is:\n%s", m.stderr)
	}
	if err := m.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}

	// Second run on the same directory.
	m2 := startMain(t, args...)
	defer m2.Close()
	appid2, secret2, set2 := demoCreds(t, m2.stdout.String())
	if appid2 != appid || secret2 != secret || set2 != set {
		t.Errorf("second run seeded a new demo world: %s %s %s, want %s %s %s", appid2, secret2, set2, appid, secret, set)
	}
	if got := m2.fetch(t, "POST", "/admin/v1/advertisers", admin, map[string]any{"name": "again"}); got.Errcode != 0 {
		t.Errorf("admin token not reused: %+v", got)
	}
	if got := m2.fetch(t, "GET", "/marketing/user_action_sets/get?access_token="+token, "", nil); got.Errcode != 0 {
		t.Errorf("the first run's token: %+v", got)
	}
	if got := m2.stableToken(t, appid, secret); got != stable {
		t.Errorf("stable token changed across a restart (server key not reused): %q, want %q", got, stable)
	}
	if err := m2.Close(); err != nil {
		t.Fatalf("second Close: %v", err)
	}
}

// --admin-token and --server-key given: nothing is generated.
func TestServeGivenSecrets(t *testing.T) {
	dir := t.TempDir()
	m := startMain(t, "--addr", "127.0.0.1:0", "--data", dir, "--admin-token", "given-admin-token", "--server-key", "given-key")
	defer m.Close()
	if got := m.fetch(t, "POST", "/admin/v1/advertisers", "given-admin-token", map[string]any{"name": "x"}); got.Errcode != 0 {
		t.Errorf("--admin-token not used: %+v", got)
	}
	for _, name := range []string{"admin-token", "server.key"} {
		if _, err := os.Stat(filepath.Join(dir, name)); !os.IsNotExist(err) {
			t.Errorf("%s written although given: %v", name, err)
		}
	}
}

func TestParseFlagsEnvironment(t *testing.T) {
	vars := []string{"WXADS_ADDR", "WXADS_DATA", "WXADS_DB", "WXADS_REDIS", "WXADS_ADMIN_TOKEN",
		"WXADS_SERVER_KEY", "WXADS_TRUSTED_PROXIES"}
	for _, v := range vars {
		t.Setenv(v, "")
		os.Unsetenv(v)
	}
	m := NewMain(&bytes.Buffer{}, &bytes.Buffer{})
	if err := m.ParseFlags(nil); err != nil {
		t.Fatal(err)
	}
	if c := m.Config; c.Addr != "127.0.0.1:8080" || c.Data != "./wxads-data" || c.DB != "" || c.Redis != "" ||
		c.AdminToken != "" || c.Demo || c.FakeClock || c.AttributionWindow != wxads.DefaultAttributionWindow*time.Second {
		t.Errorf("defaults: %+v", c)
	}

	env := map[string]string{"WXADS_ADDR": "0.0.0.0:9", "WXADS_DATA": "/tmp/d", "WXADS_DB": "postgres://db/x",
		"WXADS_REDIS": "redis://r:6379", "WXADS_ADMIN_TOKEN": "admin-token-from-env", "WXADS_SERVER_KEY": "key",
		"WXADS_TRUSTED_PROXIES": "10.0.0.1/8, ::1/128"}
	for k, v := range env {
		t.Setenv(k, v)
	}
	if err := m.ParseFlags(nil); err != nil {
		t.Fatal(err)
	}
	c := m.Config
	want := []netip.Prefix{netip.MustParsePrefix("10.0.0.0/8"), netip.MustParsePrefix("::1/128")}
	if c.Addr != "0.0.0.0:9" || c.Data != "/tmp/d" || c.DB != "postgres://db/x" || c.Redis != "redis://r:6379" ||
		c.AdminToken != "admin-token-from-env" || c.ServerKey != "key" || len(c.TrustedProxies) != 2 ||
		c.TrustedProxies[0] != want[0] || c.TrustedProxies[1] != want[1] {
		t.Errorf("from the environment: %+v", c)
	}
	// Flags win over the environment.
	if err := m.ParseFlags([]string{"--addr", ":7", "--data", "/x", "--admin-token", "admin-token-from-flag", "--demo", "--fake-clock"}); err != nil {
		t.Fatal(err)
	}
	if c := m.Config; c.Addr != ":7" || c.Data != "/x" || c.AdminToken != "admin-token-from-flag" || !c.Demo || !c.FakeClock || c.Redis != "redis://r:6379" {
		t.Errorf("flags over the environment: %+v", c)
	}
}

func TestParseFlagsRejects(t *testing.T) {
	t.Setenv("WXADS_DB", "")
	os.Unsetenv("WXADS_DB")
	for _, args := range [][]string{
		{"--nope"},
		{"--addr", ""},
		{"--data", ""},
		{"--db", "mysql://x"},
		{"--db", "/tmp/x.db"},
		{"--trusted-proxies", "garbage"},
		{"--attribution-window", "0s"},
		{"--attribution-window", "soon"},
		{"--demo=maybe"},
		{"extra"},
		{"--addr", ":0", "extra"},
	} {
		stderr := &bytes.Buffer{}
		m := NewMain(&bytes.Buffer{}, stderr)
		if err := m.ParseFlags(args); err == nil || err == errHelp {
			t.Errorf("ParseFlags(%q) = %v, want an error", args, err)
		}
	}
	if err := NewMain(&bytes.Buffer{}, &bytes.Buffer{}).ParseFlags([]string{"-h"}); err != errHelp {
		t.Errorf("-h: %v, want errHelp", err)
	}
	t.Setenv("WXADS_DATA", "")
	if err := NewMain(&bytes.Buffer{}, &bytes.Buffer{}).ParseFlags(nil); err == nil {
		t.Error("WXADS_DATA set empty was accepted")
	}
	if code := run([]string{"serve", "--nope"}, &bytes.Buffer{}, &bytes.Buffer{}); code != 2 {
		t.Errorf("wxads serve --nope exited %d, want 2", code)
	}
}

// Backends that are not there fail Run with a message naming them, and
// Close still works.
func TestRunFailsClearly(t *testing.T) {
	busy, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer busy.Close()
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"--db", "postgres://127.0.0.1:1/wxads"}, "postgres"},
		{[]string{"--redis", "redis://127.0.0.1:1"}, "redis"},
		{[]string{"--redis", "not a url"}, "redis"},
		{[]string{"--addr", busy.Addr().String()}, "address already in use"},
	} {
		m := NewMain(&bytes.Buffer{}, &bytes.Buffer{})
		args := append([]string{"--addr", "127.0.0.1:0", "--data", t.TempDir()}, c.args...)
		if err := m.ParseFlags(args); err != nil {
			t.Fatalf("ParseFlags(%q): %v", args, err)
		}
		err := m.Run(context.Background())
		if err == nil || !strings.Contains(strings.ToLower(err.Error()), c.want) {
			t.Errorf("Run with %q: %v, want an error about %s", c.args, err, c.want)
		}
		if err := closeWithin(t, m, 10*time.Second); err != nil {
			t.Errorf("Close after a failed Run with %q: %v", c.args, err)
		}
	}
}

// Close may be called again (a deferred Close after an explicit one) and
// returns at once.
func TestCloseTwice(t *testing.T) {
	m := startMain(t, "--addr", "127.0.0.1:0", "--data", t.TempDir())
	if err := closeWithin(t, m.Main, 10*time.Second); err != nil {
		t.Fatal(err)
	}
	if err := closeWithin(t, m.Main, 10*time.Second); err != nil {
		t.Errorf("second Close: %v", err)
	}
}

// closeWithin calls m.Close, failing the test if it does not return in time.
func closeWithin(t *testing.T, m *Main, d time.Duration) error {
	t.Helper()
	done := make(chan error, 1)
	go func() { done <- m.Close() }()
	select {
	case err := <-done:
		return err
	case <-time.After(d):
		t.Fatal("Close did not return")
		return nil
	}
}
