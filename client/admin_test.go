package client_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/wxads/wxads/client"
	"github.com/wxads/wxads/wxadstest"
)

func TestAdmin(t *testing.T) {
	srv := wxadstest.NewServer(t)
	ctx := context.Background()
	a := srv.Admin()

	id, err := a.CreateAdvertiser(ctx, "second", "PENDING")
	mustNoErr(t, err)
	mustNoErr(t, a.SetAdvertiserStatus(ctx, id, "APPROVED"))
	adv, err := a.Advertiser(ctx, id)
	mustNoErr(t, err)
	if adv.Name != "second" || adv.Status != "APPROVED" {
		t.Fatalf("advertiser %+v", adv)
	}
	advs, err := a.Advertisers(ctx)
	mustNoErr(t, err)
	if len(advs) != 2 {
		t.Fatalf("%d advertisers, want 2", len(advs))
	}

	const appid, secret = "wx0123456789abcdef", "0123456789abcdef0123456789abcdef"
	creds, err := a.CreateApp(ctx, client.AppSpec{AccountID: id, Name: "fixed", AppID: appid, Secret: secret})
	mustNoErr(t, err)
	if creds.AppID != appid || creds.Secret != secret || creds.AccountID != id {
		t.Fatalf("credentials %+v", creds)
	}
	_, err = a.CreateApp(ctx, client.AppSpec{AccountID: id, Name: "again", AppID: appid})
	var ae *client.APIError
	if !errors.As(err, &ae) || ae.Code != 31013 {
		t.Fatalf("taken appid: %v", err)
	}
	apps, err := a.Apps(ctx, id)
	mustNoErr(t, err)
	if len(apps) != 1 || apps[0].AppID != appid {
		t.Fatalf("apps %+v", apps)
	}

	openids, err := a.AddFollowers(ctx, appid, nil, 3)
	mustNoErr(t, err)
	fl, err := a.Followers(ctx, appid, 1)
	mustNoErr(t, err)
	if len(openids) != 3 || fl.PageInfo.TotalNumber != 3 {
		t.Fatalf("followers %v, list %+v", openids, fl)
	}
	// Unionids: set on an existing and a new follower, listed, refused when taken.
	added, err := a.AddFollowersWithUnionIDs(ctx, appid, []client.Follower{{OpenID: openids[0], UnionID: "u-0"},
		{OpenID: "o" + strings.Repeat("U", 27), UnionID: "u-1"}})
	mustNoErr(t, err)
	if len(added) != 2 || added[0] != openids[0] {
		t.Fatalf("added %v", added)
	}
	_, err = a.AddFollowersWithUnionIDs(ctx, appid, []client.Follower{{OpenID: openids[1], UnionID: "u-0"}})
	if !errors.As(err, &ae) || ae.Code != 31013 || !strings.Contains(ae.Message, "followers[0].unionid") {
		t.Fatalf("a taken unionid: %v", err)
	}
	fl, err = a.Followers(ctx, appid, 1)
	mustNoErr(t, err)
	unionids := map[string]string{}
	for _, f := range fl.List {
		unionids[f.OpenID] = f.UnionID
	}
	if fl.PageInfo.TotalNumber != 4 || unionids[openids[0]] != "u-0" || unionids[openids[1]] != "" {
		t.Fatalf("followers with unionids %+v", fl.List)
	}
	app, err := a.App(ctx, appid)
	mustNoErr(t, err)
	if app.FollowerCount != 4 {
		t.Fatalf("app %+v", app)
	}

	now := srv.Clock.Now().Unix()
	mustNoErr(t, a.AddAdEvents(ctx, []client.AdEvent{{Type: "CLICK", AppID: appid, OpenID: openids[0], AdID: 7, CampaignID: 3, ClickID: "ck1", Time: now}}))
	ev, err := a.AdEvents(ctx, appid, 1)
	mustNoErr(t, err)
	if len(ev.List) != 1 || ev.List[0].AdID != 7 || ev.List[0].ClickID != "ck1" {
		t.Fatalf("ad events %+v", ev)
	}

	mustNoErr(t, a.AdvanceClock(ctx, 3600))
	if d := srv.Clock.Now().Unix() - now; d < 3600 || d > 3700 {
		t.Fatalf("clock moved %d s", d)
	}
	mustNoErr(t, a.SetClock(ctx, now))
}

// After revoke_tokens the client's token is refused; it fetches a new one
// (without force) and the call succeeds. After reset_secret it cannot.
func TestAdminRevokeAndReset(t *testing.T) {
	srv := wxadstest.NewServer(t)
	ctx := context.Background()
	c := srv.Client()
	_, err := c.ActionSets.Get(ctx, client.ActionSetFilter{})
	mustNoErr(t, err)
	old, _ := c.Token(ctx)
	mustNoErr(t, srv.Admin().RevokeTokens(ctx, srv.AppID))
	_, err = c.ActionSets.Get(ctx, client.ActionSetFilter{})
	mustNoErr(t, err)
	if tok, _ := c.Token(ctx); tok == old {
		t.Fatal("the revoked token is still cached")
	}

	_, err = srv.Admin().ResetSecret(ctx, srv.AppID)
	mustNoErr(t, err)
	_, err = c.ActionSets.Get(ctx, client.ActionSetFilter{})
	if !errors.Is(err, client.ErrInvalidCredential) && !errors.Is(err, client.ErrInvalidToken) {
		t.Fatalf("after reset_secret: %v", err)
	}
}
