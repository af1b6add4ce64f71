package main

import (
	"strings"
	"testing"
)

func TestAdminCommands(t *testing.T) {
	c := newCLI(t)
	golden(t, "admin", c.transcript(t,
		[]string{"admin", "advertiser", "create", "--name", "Second Shop", "--status", "pending"},
		[]string{"admin", "advertiser", "list"},
		[]string{"admin", "advertiser", "status", "2", "APPROVED"},
		[]string{"admin", "advertiser", "get", "2", "--json"},
		[]string{"admin", "app", "create", "--account", "2", "--name", "Second OA", "--whitelist", "127.0.0.1/32, 10.0.0.0/8",
			"--fixed-appid", "wx2222222222222222", "--fixed-secret", strings.Repeat("2", 32)},
		[]string{"admin", "app", "list", "--account", "2"},
		[]string{"admin", "app", "whitelist", "wx2222222222222222", "192.0.2.0/24", "127.0.0.1/32"},
		[]string{"admin", "app", "get", "wx2222222222222222"},
		[]string{"admin", "app", "revoke-tokens", "wx2222222222222222"},
		[]string{"admin", "followers", "add", "wx2222222222222222", "oSecond000000000000000000001", "oSecond000000000000000000002"},
		[]string{"admin", "followers", "add", "wx2222222222222222", "oSecond000000000000000000003",
			"--unionid", "oSecond000000000000000000001=oUnionSecond1"},
		[]string{"admin", "followers", "add", "wx2222222222222222", "--unionid", "oSecond000000000000000000002=oUnionSecond1"},
		[]string{"admin", "followers", "add", "wx2222222222222222", "--unionid", "oSecond000000000000000000002"},
		[]string{"admin", "followers", "list", "wx2222222222222222"},
		[]string{"admin", "ad-events", "add", "wx2222222222222222", "--type", "click", "--openid", "oSecond000000000000000000001",
			"--ad-id", "7", "--campaign-id", "3", "--click-id", "clk_1", "--time", "2026-11-20 09:00:00"},
		[]string{"admin", "ad-events", "add", "wx2222222222222222", "--type", "click", "--user-id", "hash_oaid=0123456789ABCDEF0123456789abcdef",
			"--user-id", "hash_imei=fedcba9876543210fedcba9876543210", "--ad-id", "8", "--time", "2026-11-20 09:30:00"},
		[]string{"admin", "ad-events", "list", "wx2222222222222222"},
		[]string{"admin", "clock", "set", "2026-11-20 12:00:00"},
		[]string{"admin", "clock", "advance", "90m"},
		[]string{"admin", "app", "get", "wx9999999999999999"},
		[]string{"admin", "advertiser", "list", "--admin-token", "wrong"},
	))
	// reset-secret prints a new secret, which then works.
	r := c.must(t, 0, "", "admin", "app", "reset-secret", "wx2222222222222222", "--json")
	i := strings.Index(r.stdout, `"secret": "`)
	if i < 0 {
		t.Fatalf("reset-secret: %s", r.stdout)
	}
	secret := r.stdout[i+11 : i+43]
	c.env["WXADS_APPID"], c.env["WXADS_SECRET"] = "wx2222222222222222", secret
	c.must(t, 0, "", "token")
	c.env["WXADS_SECRET"] = strings.Repeat("2", 32)
	if r := c.run(t, "", "token"); r.code != 1 || !strings.Contains(r.stderr, "40001") {
		t.Errorf("old secret after reset: exit %d %s", r.code, r.stderr)
	}
}

func TestTokenAndActionSet(t *testing.T) {
	c := newCLI(t)
	golden(t, "token_actionset", c.transcript(t,
		[]string{"actionset", "create", "--name", "web orders", "--description", "from the shop"},
		[]string{"actionset", "list"},
		[]string{"actionset", "list", "--id", "2", "--json"},
		[]string{"actionset", "create", "--name", ""},
		[]string{"token", "--stable=false", "--force"},
		[]string{"token", "--secret", strings.Repeat("0", 32)},
	))
	r := c.must(t, 0, "", "token")
	if !strings.HasPrefix(r.stdout, "access_token  ") || !strings.Contains(r.stdout, "expires_in    7200 s (2026-11-20 12:00:00 GMT+8)") {
		t.Errorf("token:\n%s", r.stdout)
	}
	first := strings.Fields(r.stdout)[1]
	if again := strings.Fields(c.must(t, 0, "", "token").stdout)[1]; again != first {
		t.Error("the stable token changed without --force")
	}
	if forced := strings.Fields(c.must(t, 0, "", "token", "--force").stdout)[1]; forced == first {
		t.Error("--force returned the same token")
	}
	// Credentials from a config file when neither flag nor environment has them.
	delete(c.env, "WXADS_SECRET")
	r = c.run(t, "", "token")
	if r.code != 1 || !strings.Contains(r.stderr, "no secret: give --secret, set WXADS_SECRET") {
		t.Errorf("no secret: exit %d %s", r.code, r.stderr)
	}
	cfg := c.home + "/wxads.json"
	writeFile(t, cfg, `{"secret":"`+testSecret+`"}`)
	c.must(t, 0, "", "token", "--config", cfg)
}
