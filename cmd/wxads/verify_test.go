package main

import (
	"context"
	"fmt"
	"net"
	"strings"
	"testing"

	"github.com/wxads/wxads/client"
)

func TestVerifyHealthy(t *testing.T) {
	c := newCLI(t)
	r := c.must(t, 0, "", "verify")
	golden(t, "verify_ok", c.normalize(r.stdout))
	// The test action is stored, as CUSTOM, under a wxads_verify_ id.
	l, err := c.sdk().UserActions.List(context.Background(), c.srv.SetID, 1, 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(l.List) != 1 || !strings.HasPrefix(l.List[0].OuterActionID, "wxads_verify_") || l.List[0].ActionType != "CUSTOM" {
		t.Errorf("stored: %+v", l.List)
	}
	// --no-send stores nothing more.
	r = c.must(t, 0, "", "verify", "--set", fmt.Sprint(c.srv.SetID), "--no-send")
	if !strings.Contains(r.stdout, "– "+stepSend+": --no-send") {
		t.Errorf("--no-send:\n%s", r.stdout)
	}
	if n := c.stored(t); n != 1 {
		t.Errorf("%d stored after --no-send, want 1", n)
	}
}

// Each broken step: ✗ with the platform's code and hint, later steps
// skipped, exit status 1.
func TestVerifyBroken(t *testing.T) {
	c := newCLI(t)
	ctx := context.Background()
	admin := c.srv.Admin()

	// An app whose whitelist leaves out loopback, and one without a data source.
	if _, err := admin.CreateApp(ctx, client.AppSpec{AccountID: c.srv.AccountID, Name: "office only",
		IPWhitelist: []string{"10.0.0.0/8"}, AppID: "wx00000000000010f8", Secret: strings.Repeat("a", 32)}); err != nil {
		t.Fatal(err)
	}
	if _, err := admin.CreateApp(ctx, client.AppSpec{AccountID: c.srv.AccountID, Name: "no data source",
		AppID: "wx0000000000000000", Secret: strings.Repeat("b", 32)}); err != nil {
		t.Fatal(err)
	}
	// An advertiser not approved yet.
	pending, err := admin.CreateAdvertiser(ctx, "pending advertiser", "PENDING")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := admin.CreateApp(ctx, client.AppSpec{AccountID: pending, Name: "pending",
		AppID: "wx000000000000beef", Secret: strings.Repeat("c", 32)}); err != nil {
		t.Fatal(err)
	}
	closed, _ := net.Listen("tcp", "127.0.0.1:0")
	down := "http://" + closed.Addr().String()
	closed.Close()

	for _, tc := range []struct {
		name string
		env  map[string]string
		args []string
	}{
		{"missing_secret", map[string]string{"WXADS_SECRET": ""}, nil},
		{"wrong_secret", map[string]string{"WXADS_SECRET": strings.Repeat("f", 32)}, nil},
		{"unknown_appid", map[string]string{"WXADS_APPID": "wxffffffffffffffff"}, nil},
		{"server_down", map[string]string{"WXADS_SERVER": down}, nil},
		{"unknown_set", nil, []string{"--set", "999999"}},
		{"no_data_source", map[string]string{"WXADS_APPID": "wx0000000000000000", "WXADS_SECRET": strings.Repeat("b", 32)}, nil},
		{"advertiser_pending", map[string]string{"WXADS_APPID": "wx000000000000beef", "WXADS_SECRET": strings.Repeat("c", 32)}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			saved := map[string]string{}
			for k, v := range tc.env {
				saved[k] = c.env[k]
				c.env[k] = v
			}
			defer func() {
				for k, v := range saved {
					c.env[k] = v
				}
			}()
			r := c.run(t, "", append([]string{"verify"}, tc.args...)...)
			if r.code != 1 || !strings.Contains(r.stdout, "✗") {
				t.Errorf("exit %d, want 1 with a ✗:\n%s%s", r.code, r.stdout, r.stderr)
			}
			golden(t, "verify_"+tc.name, strings.ReplaceAll(c.normalize(r.stdout), down, "http://DOWN"))
		})
	}
}

// 40164: the egress address the server saw, and the command that admits it.
func TestVerifyIPNotWhitelisted(t *testing.T) {
	c := newCLI(t)
	if _, err := c.srv.Admin().CreateApp(context.Background(), client.AppSpec{AccountID: c.srv.AccountID, Name: "office only",
		IPWhitelist: []string{"10.0.0.0/8"}, AppID: "wx00000000000010f8", Secret: strings.Repeat("a", 32)}); err != nil {
		t.Fatal(err)
	}
	c.env["WXADS_APPID"], c.env["WXADS_SECRET"] = "wx00000000000010f8", strings.Repeat("a", 32)
	r := c.must(t, 1, "", "verify")
	for _, want := range []string{"✓ " + stepSecret, "✗ " + stepIP, "errcode 40164", "hint / 提示: The caller's IP is not in the app's IP whitelist",
		"fix / 修复: wxads admin app whitelist wx00000000000010f8 ", "– " + stepToken, "1 of 8 checks failed"} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("output lacks %q:\n%s", want, r.stdout)
		}
	}
	// SPEC §3: 40164's errmsg names the caller's address; verify passes it on.
	golden(t, "verify_ip_not_whitelisted", c.normalize(r.stdout))
	if !strings.Contains(r.stdout, "saw this machine as 127.0.0.1 ") || !strings.Contains(r.stdout, "whitelist wx00000000000010f8 127.0.0.1/32 ") {
		t.Errorf("the egress IP is not shown:\n%s", r.stdout)
	}
	// Admitting that address makes the same check pass.
	c.must(t, 0, "", "admin", "app", "whitelist", "wx00000000000010f8", "10.0.0.0/8", "127.0.0.1/32")
	r = c.run(t, "", "verify", "--no-send")
	if !strings.Contains(r.stdout, "✓ "+stepIP) {
		t.Errorf("after whitelisting:\n%s", r.stdout)
	}
}
