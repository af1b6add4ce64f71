package wxadstest_test

import (
	"context"
	"testing"
	"time"

	"github.com/wxads/wxads/client"
	"github.com/wxads/wxads/wxadstest"
)

func TestOptions(t *testing.T) {
	const appid, secret = "wx00112233445566aa", "00112233445566778899aabbccddeeff"
	start := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	srv := wxadstest.NewServer(t, wxadstest.WithCredentials(appid, secret), wxadstest.WithFollowers(3),
		wxadstest.WithNow(start), wxadstest.WithFrozenClock())
	if srv.AppID != appid || srv.Secret != secret || len(srv.Followers) != 3 || !srv.Clock.Now().Equal(start) {
		t.Fatalf("server %+v", srv)
	}
	ctx := context.Background()
	c := srv.Client()
	sets, err := c.ActionSets.Get(ctx, client.ActionSetFilter{})
	if err != nil || len(sets) != 1 || sets[0].ID != srv.SetID || sets[0].WechatAppID != appid {
		t.Fatalf("sets %+v, %v", sets, err)
	}
	app, err := srv.Admin().App(ctx, appid)
	if err != nil || app.AccountID != srv.AccountID || app.FollowerCount != 3 {
		t.Fatalf("app %+v, %v", app, err)
	}
	time.Sleep(10 * time.Millisecond)
	if !srv.Clock.Now().Equal(start) {
		t.Fatal("the frozen clock moved")
	}
}

// Two servers in one test are independent, and Close is idempotent.
func TestIndependentServers(t *testing.T) {
	a, b := wxadstest.NewServer(t), wxadstest.NewServer(t)
	if a.URL == b.URL || a.AppID == b.AppID {
		t.Fatal("servers share state")
	}
	a.Close()
	a.Close()
	if _, err := b.Client().Token(context.Background()); err != nil {
		t.Fatal(err)
	}
}
