package main

import (
	"context"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/wxads/wxads/client"
)

// The demo's first calls go through the API, so the inspector (live events,
// upload diagnostics) starts with one call of each verdict, and a restart
// counts none of them twice.
func TestDemoTrafficReachesInspector(t *testing.T) {
	dir := t.TempDir()
	args := []string{"--addr", "127.0.0.1:0", "--data", dir, "--demo"}
	m := startMain(t, args...)
	appid, secret, set := demoCreds(t, m.stdout.String())
	setID, _ := strconv.ParseInt(set, 10, 64)
	c, err := client.New(appid, secret, client.WithBaseURL(m.base))
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	var list *client.RequestList
	uploads := func() (ok, refused int) {
		ok, refused = 0, 0
		for _, r := range list.List {
			if !strings.Contains(r.Route, "user_actions/add") {
				continue
			}
			if r.Errcode == 0 {
				ok++
			} else if r.Errcode == 18003 {
				refused++
			}
		}
		return ok, refused
	}
	// The inspector writes in the background: poll briefly.
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(50 * time.Millisecond) {
		if list, err = c.Requests.Get(ctx, client.RequestQuery{PageSize: 100}); err != nil {
			t.Fatal(err)
		}
		if ok, refused := uploads(); ok >= 2 && refused >= 1 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the inspector holds no demo uploads: %+v", list.List)
		}
	}
	countLive := func() int {
		n := 0
		for page := 1; ; page++ {
			got, err := c.UserActions.List(ctx, setID, page, 100)
			if err != nil {
				t.Fatal(err)
			}
			for _, a := range got.List {
				if strings.HasPrefix(a.OuterActionID, "demo_live_") {
					n++
				}
			}
			if page >= got.PageInfo.TotalPage {
				return n
			}
		}
	}
	first := countLive()
	if first != 4 {
		t.Errorf("demo live actions stored: %d, want 4 (3 followers and a visitor)", first)
	}
	// Two v3.0 orders name their follower by wechat_unionid alone: identified.
	byUnionID := 0
	for page := 1; ; page++ {
		got, err := c.UserActions.List(ctx, setID, page, 100)
		if err != nil {
			t.Fatal(err)
		}
		for _, a := range got.List {
			if strings.HasPrefix(a.OuterActionID, "demo_v3_unionid_") {
				byUnionID++
				if !a.Identified || a.UserID.WechatOpenID != "" {
					t.Errorf("the order by unionid: %+v", a)
				}
			}
		}
		if page >= got.PageInfo.TotalPage {
			break
		}
	}
	if byUnionID != 2 {
		t.Errorf("v3.0 orders by unionid stored: %d, want 2", byUnionID)
	}
	if err := m.Close(); err != nil {
		t.Fatal(err)
	}
	m2 := startMain(t, args...)
	defer m2.Close()
	c2, err := client.New(appid, secret, client.WithBaseURL(m2.base))
	if err != nil {
		t.Fatal(err)
	}
	c = c2
	if again := countLive(); again != first {
		t.Errorf("a restart stored the demo's live actions again: %d, then %d", first, again)
	}
}
