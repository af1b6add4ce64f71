package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestLogFilters(t *testing.T) {
	c := &cli{env: map[string]string{"HOME": t.TempDir()}}
	f := []string{"log", "--file", "testdata/calls.jsonl"}
	golden(t, "log_filters", c.transcript(t,
		f,
		append(f, "--errcode", "40001"),
		append(f, "--errcode", "errors"),
		append(f, "--route", "user_actions/add"),
		append(f, "--since", "2026-11-20 09:40:00"),
		append(f, "--request-id", "d4d4d4d4d4d4d4d4", "--body"),
		append(f, "--request-id", "b2b2b2b2b2b2b2b2", "--json"),
		append(f, "--errcode", "45009"),
		[]string{"log", "--file", "testdata/absent.jsonl"},
	))
}

// Client commands write the call log; wxads log reads it back, and neither
// the secret nor the token is anywhere in the file.
func TestLogOfCLICalls(t *testing.T) {
	c := newCLI(t)
	tok := c.must(t, 0, "", "token", "--json").stdout
	c.must(t, 1, "", "report", "--set", "999999", "--to", "2026-11-20")
	c.must(t, 0, "", "actionset", "list")

	r := c.must(t, 0, "", "log", "--errcode", "31011")
	if strings.Count(r.stdout, "\n") != 2 || !strings.Contains(r.stdout, "/marketing/user_action_set_reports/get") {
		t.Errorf("log --errcode 31011:\n%s", r.stdout)
	}
	r = c.must(t, 0, "", "log", "--since", "1h", "--route", "user_action_sets/get")
	if !strings.Contains(r.stdout, "user_action_sets/get") || strings.Contains(r.stdout, "reports") {
		t.Errorf("log --route:\n%s", r.stdout)
	}
	path := filepath.Join(c.home, ".local", "state", "wxads", "calls.jsonl")
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(b), testSecret) {
		t.Errorf("the secret is in the call log:\n%s", b)
	}
	token := tok[strings.Index(tok, `"access_token": "`)+17:]
	token = token[:strings.IndexByte(token, '"')]
	if len(token) < 16 || strings.Contains(string(b), token) {
		t.Errorf("the token %q is in the call log", token)
	}
	// wxads token calls the endpoint itself; it is logged too, without the token.
	os.Remove(path)
	c.must(t, 0, "", "token")
	r = c.must(t, 0, "", "log", "--json")
	if strings.Count(r.stdout, "\n") != 1 || !strings.Contains(r.stdout, `"route":"/cgi-bin/stable_token"`) ||
		!strings.Contains(r.stdout, `"expires_in":7200`) || strings.Contains(r.stdout, "access_token") {
		t.Errorf("wxads token's call in the log:\n%s", r.stdout)
	}
	// --call-log off writes nothing.
	os.Remove(path)
	c.must(t, 0, "", "actionset", "list", "--call-log", "off")
	if _, err := os.Stat(path); err == nil {
		t.Error("--call-log off wrote the log")
	}
}

func TestParseSince(t *testing.T) {
	now := time.Date(2026, 11, 20, 2, 0, 0, 0, time.UTC)
	for in, want := range map[string]time.Time{
		"90m":                       now.Add(-90 * time.Minute),
		"2026-11-20":                time.Date(2026, 11, 19, 16, 0, 0, 0, time.UTC),
		"2026-11-20 09:00:00":       time.Date(2026, 11, 20, 1, 0, 0, 0, time.UTC),
		"2026-11-20T01:00:00Z":      time.Date(2026, 11, 20, 1, 0, 0, 0, time.UTC),
		"2026-11-20T09:00:00+08:00": time.Date(2026, 11, 20, 1, 0, 0, 0, time.UTC),
	} {
		got, err := parseSince(in, now)
		if err != nil || !got.Equal(want) {
			t.Errorf("parseSince(%q) = %v, %v; want %v", in, got, err, want)
		}
	}
	if _, err := parseSince("last week", now); err == nil {
		t.Error("parseSince accepted nonsense")
	}
}
