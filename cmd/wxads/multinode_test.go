package main

import (
	"bytes"
	"context"
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/url"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/wxads/wxads"
	"github.com/wxads/wxads/postgres/pgtest"
	"github.com/wxads/wxads/redis"
)

// Three `wxads serve` processes share one PostgreSQL schema and one Redis,
// as nodes behind a load balancer would: whatever a client does on one node
// holds on the others.

const (
	multiAdmin = "multinode-admin-token"
	multiKey   = "multinode-server-key"
)

// cluster is n nodes on one fresh schema and the test's Redis.
type cluster struct {
	nodes  []*child
	db     string // the schema's URL, for brute-force checks
	client *http.Client
}

func startCluster(t *testing.T, n int) *cluster {
	t.Helper()
	redisURL := os.Getenv("WXADS_TEST_REDIS")
	if redisURL == "" {
		redisURL = "redis://127.0.0.1:6379/0"
	}
	db := pgtest.FreshSchema(t)
	rs, err := redis.Open(context.Background(), redisURL)
	if err != nil {
		if os.Getenv("CI") != "" || os.Getenv("WXADS_REQUIRE_SERVICES") != "" {
			t.Fatalf("Redis at %s: %v", redisURL, err)
		}
		t.Skipf("Redis at %s not reachable: %v", redisURL, err)
	}
	rs.Close()
	c := &cluster{db: db, client: &http.Client{Timeout: 20 * time.Second}}
	for range n {
		node := startChild(t, "--addr", "127.0.0.1:0", "--data", t.TempDir(), "--db", db, "--redis", redisURL,
			"--admin-token", multiAdmin, "--server-key", multiKey, "--fake-clock")
		t.Cleanup(func() { node.cmd.Process.Kill(); node.cmd.Wait() })
		c.nodes = append(c.nodes, node)
	}
	return c
}

// errcode calls a node and returns the answer's errcode, or code for the
// v1.1 (Tencent) envelope; -2 when the call failed.
func (c *cluster) errcode(method, u string, body any) int {
	var res struct{ Errcode, Code int }
	if err := call(c.client, method, u, "", body, &res); err != nil {
		return -2
	}
	return res.Errcode + res.Code
}

// tenant is an advertiser with one app, as created through the admin API.
type tenant struct {
	account       int64
	appid, secret string
}

func (c *cluster) tenant(t *testing.T, node int) tenant {
	t.Helper()
	var adv struct {
		Data struct {
			AccountID int64 `json:"account_id"`
		}
	}
	if err := call(c.client, "POST", c.nodes[node].base+"/admin/v1/advertisers", multiAdmin, map[string]any{"name": "m"}, &adv); err != nil {
		t.Fatal(err)
	}
	return c.app(t, node, adv.Data.AccountID)
}

func (c *cluster) app(t *testing.T, node int, account int64) tenant {
	t.Helper()
	var app struct {
		Data struct{ AppID, Secret string }
	}
	if err := call(c.client, "POST", c.nodes[node].base+"/admin/v1/apps", multiAdmin,
		map[string]any{"account_id": account, "name": "m"}, &app); err != nil {
		t.Fatal(err)
	}
	return tenant{account: account, appid: app.Data.AppID, secret: app.Data.Secret}
}

// token fetches an access token of app from a node.
func (c *cluster) token(t *testing.T, node int, app tenant) string {
	t.Helper()
	var tok struct {
		Errcode     int
		AccessToken string `json:"access_token"`
	}
	if err := call(c.client, "GET", fmt.Sprintf("%s/cgi-bin/token?grant_type=client_credential&appid=%s&secret=%s",
		c.nodes[node].base, app.appid, app.secret), "", nil, &tok); err != nil || tok.AccessToken == "" {
		t.Fatalf("token from node %d: %v %+v", node, err, tok)
	}
	return tok.AccessToken
}

// tokenCode is the errcode of a token-authenticated read on a node.
func (c *cluster) tokenCode(node int, token string) int {
	return c.errcode("GET", c.nodes[node].base+"/marketing/user_action_sets/get?access_token="+token, nil)
}

// advance moves every node's fake clock by d seconds.
func (c *cluster) advance(t *testing.T, d int64) {
	t.Helper()
	for i, n := range c.nodes {
		var res struct{ Errcode int }
		if err := call(c.client, "POST", n.base+"/admin/v1/clock", multiAdmin, map[string]any{"advance_seconds": d}, &res); err != nil || res.Errcode != 0 {
			t.Fatalf("clock of node %d: %v %+v", i, err, res)
		}
	}
}

func TestMultiNode(t *testing.T) {
	c := startCluster(t, 3)
	ten := c.tenant(t, 0)
	tok := c.token(t, 0, ten)

	t.Run("TokenEverywhere", func(t *testing.T) {
		for i := range c.nodes {
			if code := c.tokenCode(i, tok); code != 0 {
				t.Errorf("token from node 0 on node %d: errcode %d", i, code)
			}
		}
	})

	t.Run("NonceOnce", func(t *testing.T) {
		q := url.Values{"access_token": {tok}, "timestamp": {fmt.Sprint(time.Now().Unix())},
			"nonce": {fmt.Sprint("n", time.Now().UnixNano())}, "account_id": {fmt.Sprint(ten.account)}}
		path := "/v1.1/adcreative_templates/get?" + q.Encode()
		if code := c.errcode("GET", c.nodes[0].base+path, nil); code != 0 {
			t.Fatalf("v1.1 call on node 0: errcode %d", code)
		}
		for i := 1; i < 3; i++ {
			if code := c.errcode("GET", c.nodes[i].base+path, nil); code != wxads.CodeBadFormat {
				t.Errorf("nonce replayed on node %d: errcode %d, want %d", i, code, wxads.CodeBadFormat)
			}
		}
	})

	t.Run("TokenQuota", func(t *testing.T) {
		// 1995 of the day's 2000 issues used: of 12 requests spread over the
		// nodes exactly 5 get a token.
		day := time.Now().In(wxads.CST).Format(wxads.DateLayout)
		if err := pgtest.Exec(c.db, `INSERT INTO token_quota (appid, kind, day, count, last_at) VALUES ($1, 0, $2, 1995, 0)
			ON CONFLICT (appid, kind, day) DO UPDATE SET count = 1995`, ten.appid, day); err != nil {
			t.Fatal(err)
		}
		codes := c.parallel(12, func(i int) int {
			return c.errcode("GET", fmt.Sprintf("%s/cgi-bin/token?grant_type=client_credential&appid=%s&secret=%s",
				c.nodes[i%3].base, ten.appid, ten.secret), nil)
		})
		if codes[0] != 5 || codes[wxads.CodeDailyQuota] != 7 {
			t.Errorf("token answers by errcode %v, want 5 issued and 7 × %d", codes, wxads.CodeDailyQuota)
		}
		tok = c.token(t, 0, c.app(t, 0, ten.account)) // the quota is spent: go on with another app
	})

	t.Run("ActionSetLimit", func(t *testing.T) {
		codes := c.parallel(15, func(i int) int {
			return c.errcode("POST", c.nodes[i%3].base+"/marketing/user_action_sets/add?access_token="+tok,
				map[string]any{"type": "WEB", "name": fmt.Sprint("limit", i)})
		})
		if codes[0] != 10 || codes[wxads.CodeActionSetRateLimit] != 5 {
			t.Errorf("set creations by errcode %v, want 10 created and 5 × %d", codes, wxads.CodeActionSetRateLimit)
		}
	})

	t.Run("SupersededEverywhere", func(t *testing.T) {
		app := c.app(t, 1, ten.account)
		old := c.token(t, 1, app)
		cur := c.token(t, 2, app) // supersedes old, which keeps its 300 s grace
		if code := c.tokenCode(0, old); code != 0 {
			t.Errorf("superseded token within its grace on node 0: errcode %d", code)
		}
		c.advance(t, wxads.SupersedeGrace+2)
		for i := range c.nodes {
			if code := c.tokenCode(i, old); code != wxads.CodeInvalidCredential {
				t.Errorf("superseded token after the grace on node %d: errcode %d, want %d", i, code, wxads.CodeInvalidCredential)
			}
			if code := c.tokenCode(i, cur); code != 0 {
				t.Errorf("current token on node %d: errcode %d", i, code)
			}
		}
	})

	t.Run("RevokedEverywhere", func(t *testing.T) {
		app := c.app(t, 2, ten.account)
		live := c.token(t, 0, app)
		var res struct{ Errcode int }
		if err := call(c.client, "POST", c.nodes[2].base+"/admin/v1/apps/"+app.appid+"/revoke_tokens", multiAdmin,
			map[string]any{}, &res); err != nil || res.Errcode != 0 {
			t.Fatalf("revoke_tokens on node 2: %v %+v", err, res)
		}
		for i := range c.nodes {
			if code := c.tokenCode(i, live); code != wxads.CodeInvalidCredential {
				t.Errorf("revoked token on node %d: errcode %d, want %d", i, code, wxads.CodeInvalidCredential)
			}
		}
	})

	t.Run("WrongSecretsShared", func(t *testing.T) { testWrongSecretsShared(t, c, ten.account) })
}

// Wrong secrets from a caller outside the app's whitelist count on every
// node together (Redis): the 11th from one address is refused whichever
// nodes saw the first ten.
func testWrongSecretsShared(t *testing.T, c *cluster, account int64) {
	app := c.app(t, 0, account)
	var res struct{ Errcode int }
	if err := call(c.client, "PUT", c.nodes[0].base+"/admin/v1/apps/"+app.appid+"/ip_whitelist", multiAdmin,
		map[string]any{"ip_whitelist": []string{"10.0.0.0/8"}}, &res); err != nil || res.Errcode != 0 {
		t.Fatalf("ip_whitelist: %v %+v", err, res)
	}
	// A minute of the platform clock no other run used: the counts are
	// Redis's, shared with every earlier test run.
	at := (time.Now().Unix()/60 + 1 + rand.Int64N(1<<20)) * 60
	for i, n := range c.nodes {
		if err := call(c.client, "POST", n.base+"/admin/v1/clock", multiAdmin, map[string]any{"now": at}, &res); err != nil || res.Errcode != 0 {
			t.Fatalf("clock of node %d: %v %+v", i, err, res)
		}
	}
	wrong := func(node int) int {
		return c.errcode("GET", fmt.Sprintf("%s/cgi-bin/token?grant_type=client_credential&appid=%s&secret=wrong",
			c.nodes[node].base, app.appid), nil)
	}
	for i := range 10 {
		if code := wrong(i % 3); code != wxads.CodeInvalidCredential {
			t.Fatalf("wrong secret %d on node %d: errcode %d, want %d", i+1, i%3, code, wxads.CodeInvalidCredential)
		}
	}
	for node := range c.nodes {
		if code := wrong(node); code != wxads.CodeTooFrequent {
			t.Errorf("wrong secret past the limit on node %d: errcode %d, want %d", node, code, wxads.CodeTooFrequent)
		}
	}
}

// parallel runs call(0..n-1) at once and counts the errcodes returned.
func (c *cluster) parallel(n int, call func(i int) int) map[int]int {
	var mu sync.Mutex
	codes := map[int]int{}
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			code := call(i)
			mu.Lock()
			codes[code]++
			mu.Unlock()
		}()
	}
	wg.Wait()
	return codes
}

// brute counts a set's stored actions and distinct outer_action_ids in the database.
func (c *cluster) brute(t *testing.T, set int64) (rows, distinct int) {
	t.Helper()
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, c.db)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	if err := conn.QueryRow(ctx, `SELECT COUNT(*), COUNT(DISTINCT outer_action_id) FROM actions WHERE set_id = $1`, set).
		Scan(&rows, &distinct); err != nil {
		t.Fatal(err)
	}
	return rows, distinct
}

// A PostgreSQL node without Redis would keep nonces to itself: serve
// refuses unless told it is the only node, and says why.
func TestPostgresWithoutRedisRefused(t *testing.T) {
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"--db", "postgres://127.0.0.1:1/x"}, "--single-node"},
		{[]string{"--db", "postgres://127.0.0.1:1/x", "--redis", "redis://127.0.0.1:1"}, "--server-key"},
		{[]string{"--db", "postgres://127.0.0.1:1/x", "--single-node"}, "postgres: connect"},
	} {
		m := NewMain(&bytes.Buffer{}, &bytes.Buffer{})
		if err := m.ParseFlags(append([]string{"--addr", "127.0.0.1:0", "--data", t.TempDir()}, c.args...)); err != nil {
			t.Fatal(err)
		}
		err := m.Run(context.Background())
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("serve %q: %v, want an error mentioning %s", c.args, err, c.want)
		}
		m.Close()
	}
}
