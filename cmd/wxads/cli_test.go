package main

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/wxads/wxads/client"
	"github.com/wxads/wxads/wxadstest"
)

var update = flag.Bool("update", false, "rewrite testdata/*.golden with the output the tests get")

// The fixed tenant the golden files are written against.
const (
	testAppID  = "wx0123456789abcdef"
	testSecret = "0123456789abcdef0123456789abcdef"
)

// testNow is the frozen platform clock: Friday 2026-11-20 10:00 GMT+8.
var testNow = time.Date(2026, 11, 20, 10, 0, 0, 0, gmt8)

// testFollowers follow the test app, so actions about them are identified.
var testFollowers = []string{"oFollower0000000000000000001", "oFollower0000000000000000002", "oFollower0000000000000000003"}

// cli is a platform started for one test and the environment the wxads
// command runs in: credentials in the environment variables, a private
// HOME (config file, call log), the platform's frozen clock.
type cli struct {
	srv  *wxadstest.Server
	env  map[string]string
	home string
}

func newCLI(t *testing.T) *cli {
	t.Helper()
	srv := wxadstest.NewServer(t, wxadstest.WithCredentials(testAppID, testSecret), wxadstest.WithNow(testNow),
		wxadstest.WithFrozenClock(), wxadstest.WithFollowers(0))
	if _, err := srv.Admin().AddFollowers(context.Background(), testAppID, testFollowers, 0); err != nil {
		t.Fatal(err)
	}
	home := t.TempDir()
	return &cli{srv: srv, home: home, env: map[string]string{
		"HOME":              home,
		"WXADS_SERVER":      srv.URL,
		"WXADS_APPID":       testAppID,
		"WXADS_SECRET":      testSecret,
		"WXADS_ADMIN_TOKEN": srv.AdminToken,
	}}
}

// result is what one wxads run printed and its exit status.
type result struct {
	code           int
	stdout, stderr string
}

// run runs wxads args in-process with stdin.
func (c *cli) run(t *testing.T, stdin string, args ...string) result {
	t.Helper()
	var out, errOut bytes.Buffer
	f := NewFactory(IOStreams{In: strings.NewReader(stdin), Out: &out, ErrOut: &errOut},
		func(k string) string { return c.env[k] })
	if c.srv != nil {
		f.Now = c.srv.Clock.Now
	}
	code := f.Execute(args)
	return result{code, out.String(), errOut.String()}
}

// must runs wxads and fails the test unless it exits with want.
func (c *cli) must(t *testing.T, want int, stdin string, args ...string) result {
	t.Helper()
	r := c.run(t, stdin, args...)
	if r.code != want {
		t.Fatalf("wxads %s: exit %d, want %d\nstdout:\n%s\nstderr:\n%s", strings.Join(args, " "), r.code, want, r.stdout, r.stderr)
	}
	return r
}

var (
	requestIDRE = regexp.MustCompile(`request [0-9a-f]{16}`)
	verifyIDRE  = regexp.MustCompile(`wxads_verify_[0-9]+_[0-9a-f]+`)
	portRE      = regexp.MustCompile(`127\.0\.0\.1:[0-9]+`)
)

// normalize replaces what differs from run to run: the server's port,
// request ids, the verify action's random id.
func (c *cli) normalize(s string) string {
	if c.srv != nil {
		s = strings.ReplaceAll(s, c.srv.URL, "http://SERVER")
	}
	s = portRE.ReplaceAllString(s, "127.0.0.1:PORT")
	s = requestIDRE.ReplaceAllString(s, "request RID")
	return verifyIDRE.ReplaceAllString(s, "wxads_verify_ID")
}

// golden compares got with testdata/name.golden, or rewrites it with -update.
func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name+".golden")
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -run %s -update to create it)", err, t.Name())
	}
	if string(want) != got {
		t.Errorf("%s differs (go test -update refreshes it): %s\n--- got:\n%s", path, firstDiff(string(want), got), got)
	}
}

// transcript runs each command line and returns "$ wxads …", its output
// and its exit status, for one golden file per scenario.
func (c *cli) transcript(t *testing.T, lines ...[]string) string {
	t.Helper()
	var b strings.Builder
	for _, args := range lines {
		r := c.run(t, "", args...)
		b.WriteString("$ wxads " + shellQuote(args) + "\n")
		b.WriteString(c.normalize(r.stdout))
		if r.stderr != "" {
			b.WriteString("[stderr]\n" + c.normalize(r.stderr))
		}
		if r.code != 0 {
			fmt.Fprintf(&b, "[exit %d]\n", r.code)
		}
		b.WriteString("\n")
	}
	return b.String()
}

// sdk is an SDK client of the test app, for checking what the CLI did.
func (c *cli) sdk() *client.Client { return c.srv.Client() }

// firstDiff names the first line where want and got differ.
func firstDiff(want, got string) string {
	w, g := strings.Split(want, "\n"), strings.Split(got, "\n")
	for i := 0; i < len(w) || i < len(g); i++ {
		var wl, gl string
		if i < len(w) {
			wl = w[i]
		}
		if i < len(g) {
			gl = g[i]
		}
		if wl != gl {
			return fmt.Sprintf("line %d: want %q, got %q", i+1, wl, gl)
		}
	}
	return "same lines"
}

func writeFile(t *testing.T, path, content string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
}

// shellQuote writes args as a shell would need them.
func shellQuote(args []string) string {
	q := make([]string, len(args))
	for i, a := range args {
		q[i] = a
		if a == "" || strings.ContainsAny(a, " ,'\"") {
			q[i] = "'" + a + "'"
		}
	}
	return strings.Join(q, " ")
}
