package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/wxads/wxads/wxadstest"
)

// stored is how many actions the test set holds.
func (c *cli) stored(t *testing.T) int {
	t.Helper()
	l, err := c.sdk().UserActions.List(context.Background(), c.srv.SetID, 1, 100)
	if err != nil {
		t.Fatal(err)
	}
	return l.PageInfo.TotalNumber
}

func TestSendJSONLines(t *testing.T) {
	c := newCLI(t)
	set := fmt.Sprint(c.srv.SetID)
	r := c.must(t, 1, "", "send", "--set", set, "testdata/send.jsonl")
	golden(t, "send_jsonl", c.normalize(r.stdout))
	if n := c.stored(t); n != 4 {
		t.Errorf("%d actions stored, want 4 (6 valid lines, one a duplicate of another)", n)
	}
	// The same file again: nothing new is counted.
	r = c.must(t, 1, "", "send", "--set", set, "testdata/send.jsonl")
	golden(t, "send_jsonl_again", c.normalize(r.stdout))
	if n := c.stored(t); n != 4 {
		t.Errorf("after a resend %d actions stored, want still 4", n)
	}
}

func TestSendCSV(t *testing.T) {
	c := newCLI(t)
	set := fmt.Sprint(c.srv.SetID)
	r := c.must(t, 1, "", "send", "--set", set, "testdata/send.csv")
	golden(t, "send_csv", c.normalize(r.stdout))

	// From standard input: the format is told by the content.
	csv, _ := os.ReadFile("testdata/send.csv")
	again := c.must(t, 1, string(csv), "send", "--set", set, "-")
	if !regexp.MustCompile(`duplicates / 重复（已忽略） +4\n`).MatchString(again.stdout) {
		t.Errorf("resend through stdin:\n%s", again.stdout)
	}
	l, err := c.sdk().UserActions.List(context.Background(), c.srv.SetID, 1, 100)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, a := range l.List {
		got[a.URL] = string(a.ActionParam)
	}
	if len(got) != 4 || !strings.Contains(got["https://shop.example.com/order/10"], `"coupon":true`) {
		t.Errorf("stored: %v", got)
	}
	for _, a := range l.List {
		if a.URL == "https://shop.example.com/order/11" && a.OuterActionID != "order_11" {
			t.Errorf("outer_action_id column ignored: %q", a.OuterActionID)
		}
		if a.URL == "https://shop.example.com/order/10" && (a.Trace == nil || a.Trace.ClickID != "click_0001") {
			t.Errorf("click_id column ignored: %+v", a.Trace)
		}
	}
}

// A file with a malformed line is sent not at all, and every bad line is named.
func TestSendBadInput(t *testing.T) {
	c := newCLI(t)
	r := c.must(t, 1, "", "send", "--set", fmt.Sprint(c.srv.SetID), "testdata/send_bad.jsonl")
	for _, want := range []string{"nothing sent", "line 2: not a JSON action", "line 3: user_action_set_id 77 differs from --set"} {
		if !strings.Contains(r.stderr, want) {
			t.Errorf("stderr lacks %q:\n%s", want, r.stderr)
		}
	}
	if n := c.stored(t); n != 0 {
		t.Errorf("%d actions stored from a file with errors", n)
	}
	bad := filepath.Join(t.TempDir(), "bad.csv")
	os.WriteFile(bad, []byte("url,action_typ,openid\nhttps://x.example,REGISTER,o1\n"), 0o600)
	r = c.must(t, 1, "", "send", "--set", "1", bad)
	if !strings.Contains(r.stderr, `unknown column "action_typ"`) {
		t.Errorf("CSV typo: %s", r.stderr)
	}
	r = c.must(t, 1, "", "send", "--set", "1", filepath.Join(t.TempDir(), "absent.jsonl"))
	if !strings.Contains(r.stderr, "no such file") {
		t.Errorf("absent file: %s", r.stderr)
	}
}

// A request refused as a whole stops the upload and says from where to resend.
func TestSendStops(t *testing.T) {
	c := newCLI(t)
	r := c.must(t, 1, "", "send", "--set", fmt.Sprint(c.srv.SetID), "--secret", strings.Repeat("0", 32), "testdata/send.csv")
	for _, want := range []string{"accepted / 已接收", "stopped at line 2 / 已中止于第 2 行: errcode 40001", "hint / 提示: The AppSecret is wrong",
		"send the same file again"} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("output lacks %q:\n%s", want, r.stdout)
		}
	}
}

func TestSendDryRun(t *testing.T) {
	c := newCLI(t)
	// No action_time: --dry-run validates with this machine's clock, not the platform's.
	in := "url,action_type,openid,claim_type,source\n" +
		"https://shop.example.com/a,REGISTER,oFollower0000000000000000001,0,Biz\n" +
		"https://shop.example.com/b,REGISTER,oFollower0000000000000000002,,Biz\n"
	r := c.run(t, in, "send", "--dry-run", "--set", fmt.Sprint(c.srv.SetID), "-")
	if r.code != 1 || !strings.Contains(r.stdout, "dry run, nothing sent") || !strings.Contains(r.stdout, "errcode 18001 ×1 (line 3)") {
		t.Errorf("dry run:\n%s", r.stdout)
	}
	if n := c.stored(t); n != 0 {
		t.Errorf("--dry-run stored %d actions", n)
	}
}

// Through the outbox: stored on disk first, then delivered. The platform's
// clock runs at the wall clock's time here, as the outbox stamps actions
// that have no action_time with it.
func TestSendOutbox(t *testing.T) {
	srv := wxadstest.NewServer(t, wxadstest.WithCredentials(testAppID, testSecret), wxadstest.WithFollowers(0))
	c := &cli{srv: srv, home: t.TempDir()}
	c.env = map[string]string{"HOME": c.home, "WXADS_SERVER": srv.URL, "WXADS_APPID": testAppID, "WXADS_SECRET": testSecret}
	in := `{"url":"https://shop.example.com/order/1","action_type":"COMPLETE_ORDER","user_id":{"wechat_openid":"oFollower0000000000000000001"},"action_param":{"source":"Biz","claim_type":0,"value":1999}}
{"url":"https://shop.example.com/order/2","action_type":"COMPLETE_ORDER","user_id":{"wechat_openid":"oFollower0000000000000000002"},"action_param":{"source":"Biz","claim_type":0,"value":4500}}
{"url":"ftp://shop.example.com/order/3","action_type":"COMPLETE_ORDER","user_id":{"wechat_openid":"oFollower0000000000000000003"},"action_param":{"source":"Biz","claim_type":0}}
{"url":"https://shop.example.com/order/1","action_type":"COMPLETE_ORDER","user_id":{"wechat_openid":"oFollower0000000000000000001"},"action_param":{"source":"Biz","claim_type":0,"value":1999}}
`
	dir := filepath.Join(t.TempDir(), "outbox")
	set := fmt.Sprint(srv.SetID)
	r := c.must(t, 1, in, "send", "--set", set, "--outbox", dir, "-")
	golden(t, "send_outbox", c.normalize(r.stdout))
	if !strings.Contains(r.stderr, "stored in the outbox / 已写入发件箱: 2 → "+dir) {
		t.Errorf("stderr: %s", r.stderr)
	}
	if n := c.stored(t); n != 2 {
		t.Errorf("%d actions stored through the outbox, want 2", n)
	}
	// Again: the outbox already holds them as sent; nothing more reaches the platform.
	r = c.must(t, 1, in, "send", "--set", set, "--outbox", dir, "-")
	if !regexp.MustCompile(`accepted / 已接收 +0\n  duplicates / 重复（已忽略） +3\n`).MatchString(r.stdout) {
		t.Errorf("resend through the outbox:\n%s", r.stdout)
	}
	if n := c.stored(t); n != 2 {
		t.Errorf("after a resend through the outbox %d stored, want 2", n)
	}
	if _, err := os.Stat(filepath.Join(dir, "outbox.db")); err != nil {
		t.Errorf("no outbox database: %v", err)
	}
}
