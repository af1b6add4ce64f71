package main

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/wxads/wxads/client"
	"github.com/wxads/wxads/wxadstest"
)

// wxads serve --upstream in front of a second platform: uploads go through,
// the data source is created upstream on first use, the CLI shows the
// relay, and the upstream secret is never logged.
func TestServeRelay(t *testing.T) {
	ctx := context.Background()
	up := wxadstest.NewServer(t, wxadstest.WithCredentials(testAppID, testSecret))
	t.Setenv("WXADS_UPSTREAM_SECRET", testSecret)
	const adminToken = "relay-test-admin-token"
	data := t.TempDir()
	m := startMain(t, "--addr", "127.0.0.1:0", "--data", data, "--admin-token", adminToken,
		"--upstream", up.URL, "--upstream-appid", testAppID)
	defer m.Close()

	adm := client.NewAdmin(m.base, adminToken)
	acc, err := adm.CreateAdvertiser(ctx, "relay shop", "APPROVED")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := adm.CreateApp(ctx, client.AppSpec{AccountID: acc, Name: "shop OA", AppID: testAppID, Secret: testSecret}); err != nil {
		t.Fatal(err)
	}
	c, err := client.New(testAppID, testSecret, client.WithBaseURL(m.base))
	if err != nil {
		t.Fatal(err)
	}
	set, err := c.ActionSets.Add(ctx, client.ActionSet{Type: "WECHAT", Name: "shop orders", WechatAppID: testAppID})
	if err != nil {
		t.Fatal(err)
	}
	var actions []client.UserAction
	for i := range 20 {
		actions = append(actions, client.UserAction{UserActionSetID: set, URL: fmt.Sprintf("https://shop.example.com/o/%d", i),
			ActionTime: time.Now().Unix(), ActionType: "COMPLETE_ORDER",
			UserID:      client.UserID{WechatAppID: testAppID, WechatOpenID: fmt.Sprintf("oRelay%022d", i)},
			ActionParam: map[string]any{"source": "Biz", "value": 100, "claim_type": 0}})
	}
	if _, err := c.UserActions.Add(ctx, actions...); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(20 * time.Second)
	for {
		st, err := adm.RelayStatus(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if st.Delivered == 20 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("relay status %+v after 20 s\n%s", st, m.stderr)
		}
		time.Sleep(20 * time.Millisecond)
	}
	upSets, err := up.Client().ActionSets.Get(ctx, client.ActionSetFilter{})
	if err != nil {
		t.Fatal(err)
	}
	var upSet int64
	for _, s := range upSets {
		if s.Name == "shop orders" {
			upSet = s.ID
		}
	}
	list, err := up.Client().UserActions.List(ctx, upSet, 1, 100)
	if err != nil || list.PageInfo.TotalNumber != 20 {
		t.Fatalf("upstream set %d holds %+v, %v; want the 20 relayed", upSet, list, err)
	}
	resp, err := http.Get(m.base + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	metricsText, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	for _, want := range []string{"wxads_relay_delivered_actions 20", "wxads_relay_dead_actions 0", "wxads_relay_pending_actions 0"} {
		if !strings.Contains(string(metricsText), want) {
			t.Errorf("/metrics has no %q", want)
		}
	}
	if strings.Contains(m.stderr.String(), testSecret) {
		t.Error("the upstream secret appears in the server log")
	}

	cl := &cli{env: map[string]string{"HOME": t.TempDir(), "WXADS_SERVER": m.base, "WXADS_ADMIN_TOKEN": adminToken}}
	r := cl.must(t, 0, "", "relay", "status")
	if !strings.Contains(r.stdout, "delivered  20") || !strings.Contains(r.stdout, "dead       0") {
		t.Errorf("relay status:\n%s", r.stdout)
	}
	if r := cl.run(t, "", "relay", "replay"); r.code == 0 {
		t.Errorf("replay without --dead: exit 0\n%s", r.stdout)
	}
	r = cl.must(t, 0, "", "relay", "replay", "--dead")
	if !strings.Contains(r.stdout, ": 0") {
		t.Errorf("relay replay --dead:\n%s", r.stdout)
	}
	if _, err := filepath.Glob(filepath.Join(data, "relay", "upstream-sets.json")); err != nil {
		t.Fatal(err)
	}
}

func TestUpstreamFlags(t *testing.T) {
	for _, args := range [][]string{
		{"--upstream", "http://127.0.0.1:1"},
		{"--upstream", "127.0.0.1:1", "--upstream-appid", "wx0123456789abcdef", "--upstream-secret", "x"},
		{"--upstream", "http://127.0.0.1:1", "--upstream-appid", "a", "--upstream-secret", "s", "--upstream-sets", "1:2"},
	} {
		m := NewMain(&lockedBuffer{}, &lockedBuffer{})
		if err := m.ParseFlags(args); err == nil {
			t.Errorf("%q accepted", args)
		}
	}
	m := NewMain(&lockedBuffer{}, &lockedBuffer{})
	err := m.ParseFlags([]string{"--upstream", "http://127.0.0.1:1/", "--upstream-appid", "a", "--upstream-secret", "s", "--upstream-sets", "1=123, 2=456"})
	if err != nil || m.Config.Upstream.Sets[2] != 456 || m.Config.Upstream.URL != "http://127.0.0.1:1" {
		t.Errorf("%+v, %v", m.Config.Upstream, err)
	}
}
