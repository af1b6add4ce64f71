package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// `wxads` and `wxads --help` list every subcommand with one line each.
func TestRootHelp(t *testing.T) {
	c := &cli{env: map[string]string{"HOME": t.TempDir()}}
	bare := c.must(t, 0, "")
	help := c.must(t, 0, "", "--help")
	if bare.stdout != help.stdout {
		t.Errorf("wxads and wxads --help differ:\n%s\n---\n%s", bare.stdout, help.stdout)
	}
	for _, cmd := range []string{"serve", "errcode", "version", "token", "actionset", "send", "report", "verify",
		"log", "admin", "migrate", "bench", "completion", "help"} {
		if !strings.Contains(help.stdout, "\n  "+cmd+" ") {
			t.Errorf("help does not list %s:\n%s", cmd, help.stdout)
		}
	}
	golden(t, "help", help.stdout)
	golden(t, "help_admin", c.must(t, 0, "", "admin", "--help").stdout)
}

func TestVersion(t *testing.T) {
	c := &cli{env: map[string]string{}}
	want := "wxads " + Version() + "\n"
	for _, args := range [][]string{{"--version"}, {"version"}} {
		if got := c.must(t, 0, "", args...).stdout; got != want {
			t.Errorf("wxads %s = %q, want %q", args[0], got, want)
		}
	}
	version = "v9.8.7"
	defer func() { version = "" }()
	if got := c.must(t, 0, "", "version").stdout; got != "wxads v9.8.7\n" {
		t.Errorf("with -X main.version: %q", got)
	}
}

func TestCompletion(t *testing.T) {
	c := &cli{env: map[string]string{}}
	for _, shell := range []string{"bash", "zsh", "fish", "powershell"} {
		r := c.must(t, 0, "", "completion", shell)
		if !strings.Contains(r.stdout, "wxads") || len(r.stdout) < 500 {
			t.Errorf("completion %s: %d bytes:\n%.300s", shell, len(r.stdout), r.stdout)
		}
	}
	// Completion knows the subcommands.
	r := c.must(t, 0, "", "__complete", "adm")
	if !strings.HasPrefix(r.stdout, "admin\t") {
		t.Errorf("__complete adm = %q", r.stdout)
	}
}

func TestUsageErrors(t *testing.T) {
	c := &cli{env: map[string]string{"HOME": t.TempDir()}}
	for _, args := range [][]string{
		{"bogus"},
		{"token", "--nope"},
		{"send", "file.jsonl"}, // no --set
		{"report"},             // no --set
		{"report", "--set", "1", "--from", "2026-13-01"},
		{"report", "--set", "1", "--format", "pie"},
		{"log", "--since", "yesterday-ish"},
		{"admin", "advertiser", "get", "x"},
	} {
		r := c.run(t, "", args...)
		if r.code != 2 || r.stderr == "" {
			t.Errorf("wxads %s: exit %d, stderr %q; want 2 and a message", strings.Join(args, " "), r.code, r.stderr)
		}
	}
	r := c.run(t, "", "bogus")
	if !strings.Contains(r.stderr, `unknown command "bogus"`) || !strings.Contains(r.stderr, "wxads --help") {
		t.Errorf("unknown command: %q", r.stderr)
	}
}

// A serve flag leading the command line still means serve, as before there
// were other commands.
func TestServeCompat(t *testing.T) {
	if got := serveCompat([]string{"--demo", "--addr", ":0"}); got[0] != "serve" {
		t.Errorf("serveCompat(--demo) = %q", got)
	}
	if got := serveCompat([]string{"--addr=:0"}); got[0] != "serve" {
		t.Errorf("serveCompat(--addr=) = %q", got)
	}
	for _, args := range [][]string{{"--server", "x", "token"}, {"--help"}, {"token"}, nil} {
		if got := serveCompat(args); len(got) != len(args) {
			t.Errorf("serveCompat(%q) = %q, want unchanged", args, got)
		}
	}
	if code := run([]string{"--nope-not-a-flag"}, &strings.Builder{}, &strings.Builder{}); code != 2 {
		t.Errorf("unknown root flag: exit %d, want 2", code)
	}
}

// Flag beats environment beats config file beats default.
func TestSettingsPrecedence(t *testing.T) {
	home := t.TempDir()
	cfg := filepath.Join(home, ".config", "wxads", "config.json")
	os.MkdirAll(filepath.Dir(cfg), 0o700)
	os.WriteFile(cfg, []byte(`{"server":"http://file:1","appid":"wxfile","secret":"filesecret","admin_token":"filetoken"}`), 0o600)
	env := map[string]string{"HOME": home, "WXADS_APPID": "wxenv", "WXADS_ADMIN_TOKEN": "envtoken"}
	f := NewFactory(IOStreams{}, func(k string) string { return env[k] })
	f.flags.appid = "wxflag"
	s, err := f.Settings("")
	if err != nil {
		t.Fatal(err)
	}
	if s.AppID != "wxflag" || s.Secret != "filesecret" || s.Server != "http://file:1" || s.AdminToken != "envtoken" {
		t.Errorf("settings %+v", s)
	}
	if s.From["appid"] != "--appid" || s.From["secret"] != cfg || s.From["admin-token"] != "WXADS_ADMIN_TOKEN" {
		t.Errorf("sources %v", s.From)
	}
	if s.CallLog != filepath.Join(home, ".local", "state", "wxads", "calls.jsonl") {
		t.Errorf("call log %q", s.CallLog)
	}
	if s, _ := f.Settings("flagtoken"); s.AdminToken != "flagtoken" {
		t.Errorf("admin token flag lost to %q", s.AdminToken)
	}

	// An explicit config file must exist and be JSON; the default may be absent.
	f.flags.config = filepath.Join(home, "missing.json")
	if _, err := f.Settings(""); err == nil {
		t.Error("missing --config accepted")
	}
	os.WriteFile(cfg, []byte(`{"appid":`), 0o600)
	f.flags.config = ""
	if _, err := f.Settings(""); err == nil || !strings.Contains(err.Error(), cfg) {
		t.Errorf("broken config: %v", err)
	}
	os.Remove(cfg)
	f.flags.appid = ""
	s, err = f.Settings("")
	if err != nil || s.Server != "http://127.0.0.1:8080" || s.AppID != "wxenv" {
		t.Errorf("no config file: %+v, %v", s, err)
	}
}
