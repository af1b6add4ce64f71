package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"time"

	"github.com/wxads/wxads"
	"github.com/wxads/wxads/server"
)

// demoWorld is what --demo created; kept in DATA/demo.json so a restart
// prints the same credentials instead of seeding a second world.
type demoWorld struct {
	AccountID int64  `json:"account_id"`
	AppID     string `json:"appid"`
	Secret    string `json:"secret"`
	SetID     int64  `json:"user_action_set_id"`
	// Followers are a few openids that followed through an ad, for the
	// demo's live traffic (demotraffic.go) to be identified and attributed.
	Followers []string `json:"followers,omitempty"`
	// UnionIDs are the unionids of the first followers (UnionIDs[i] is
	// Followers[i]'s), for the v3.0 uploads identified by wechat_unionid.
	UnionIDs []string `json:"unionids,omitempty"`
	// Devices clicked the v3.0 app's ad (demov3.go); V3SetID is its ANDROID
	// set, made through /v3.0 by the demo's first calls (0 until then).
	Devices []demoDevice `json:"devices,omitempty"`
	V3SetID int64        `json:"-"`
}

// seedDemo builds a believable world: campaigns and ads, followers who
// arrived through FOLLOW events over 14 days, clicks, and conversions of
// every type — attributed, outside the window, and from unknown users.
func seedDemo(ctx context.Context, st server.Stores, clock wxads.Clock, dataDir string) (*demoWorld, error) {
	path := filepath.Join(dataDir, "demo.json")
	if b, err := os.ReadFile(path); err == nil {
		var w demoWorld
		if err := json.Unmarshal(b, &w); err == nil {
			if _, err := st.App(ctx, w.AppID); err == nil {
				return &w, nil
			}
		}
	}
	now := clock.Now().Unix()
	rng := rand.New(rand.NewPCG(uint64(now), 2018))
	adv := &wxads.Advertiser{Name: "Demo Advertiser", Status: wxads.StatusApproved, CreatedTime: now}
	if err := st.CreateAdvertiser(ctx, adv); err != nil {
		return nil, err
	}
	secret := server.NewSecret()
	app := &wxads.App{AppID: server.NewAppID(), AccountID: adv.ID, Name: "Demo Official Account",
		SecretHash: server.HashSecret(secret), IPWhitelist: wxads.DefaultWhitelist(), CreatedTime: now}
	if err := st.CreateApp(ctx, app); err != nil {
		return nil, err
	}
	set := &wxads.ActionSet{AccountID: adv.ID, Type: "WECHAT", Name: "demo conversions",
		Description: "seeded by wxads serve --demo", WechatAppID: app.AppID, CreatorAppID: app.AppID, CreatedTime: now}
	if err := st.CreateActionSet(ctx, set, 1<<30); err != nil {
		return nil, err
	}
	// Three campaigns with two ads each.
	type ad struct{ id, campaign int64 }
	var ads []ad
	for c := int64(1); c <= 3; c++ {
		for a := int64(1); a <= 2; a++ {
			ads = append(ads, ad{id: 7000 + c*10 + a, campaign: 900 + c})
		}
	}
	const days = 14
	var events []wxads.AdEvent
	var actions []wxads.Action
	var followers []string
	for i := 0; i < 240; i++ {
		openid := server.NewOpenID()
		if i < 3 {
			followers = append(followers, openid)
		}
		a := ads[rng.IntN(len(ads))]
		followAt := now - int64(rng.IntN(days*86400))
		clickID := fmt.Sprintf("clk_%d_%d", a.id, i)
		events = append(events,
			wxads.AdEvent{Type: wxads.EventClick, AppID: app.AppID, OpenID: openid, AdID: a.id, CampaignID: a.campaign,
				ClickID: clickID, Time: followAt - int64(10+rng.IntN(300))},
			wxads.AdEvent{Type: wxads.EventFollow, AppID: app.AppID, OpenID: openid, AdID: a.id, CampaignID: a.campaign,
				Time: followAt})
		// Most followers convert once or twice; some long after the window.
		for n := rng.IntN(3); n > 0; n-- {
			delay := int64(rng.IntN(3 * 86400))
			if rng.IntN(6) == 0 {
				delay = int64(8*86400 + rng.IntN(5*86400)) // outside the 7-day window
			}
			at := followAt + delay
			if at > now {
				continue
			}
			actions = append(actions, demoAction(rng, set.ID, app.AppID, openid, clickID, at, now))
		}
	}
	// Visitors who clicked and never followed. A few buy anyway; their
	// conversions carry the click's id but stay unidentified, so unattributed.
	for i := 0; i < 160; i++ {
		openid := server.NewOpenID()
		a := ads[rng.IntN(len(ads))]
		at := now - int64(rng.IntN(days*86400))
		clickID := fmt.Sprintf("clk_%d_v%d", a.id, i)
		events = append(events, wxads.AdEvent{Type: wxads.EventClick, AppID: app.AppID, OpenID: openid, AdID: a.id,
			CampaignID: a.campaign, ClickID: clickID, Time: at})
		if rng.IntN(8) == 0 && at+3600 <= now {
			act := demoAction(rng, set.ID, app.AppID, openid, clickID, at+int64(rng.IntN(3600)), now)
			act.ClickID = clickID // the landing page kept it
			actions = append(actions, act)
		}
	}
	// Conversions from users the platform does not know.
	for i := 0; i < 40; i++ {
		actions = append(actions, demoAction(rng, set.ID, app.AppID, server.NewOpenID(), "", now-int64(rng.IntN(days*86400)), now))
	}
	appEvents, devices := seedV3Clicks(rng, app.AppID, now)
	events = append(events, appEvents...)
	if err := st.AddAdEvents(ctx, events, now); err != nil {
		return nil, err
	}
	// The followers the live traffic uses have unionids too (the FOLLOWs
	// made them followers): two v3.0 uploads name them by unionid alone.
	var unionids []string
	withUnionIDs := make([]wxads.Follower, len(followers))
	for i, o := range followers {
		unionids = append(unionids, server.NewOpenID()) // a unionid has the openid's shape
		withUnionIDs[i] = wxads.Follower{OpenID: o, UnionID: unionids[i]}
	}
	if err := st.AddFollowersWithUnionIDs(ctx, app.AppID, withUnionIDs, now); err != nil {
		return nil, err
	}
	for len(actions) > 0 {
		n := min(len(actions), 50)
		if _, err := st.Ingest(ctx, adv.ID, actions[:n]); err != nil {
			return nil, err
		}
		actions = actions[n:]
	}
	w := &demoWorld{AccountID: adv.ID, AppID: app.AppID, Secret: secret, SetID: set.ID, Followers: followers,
		UnionIDs: unionids, Devices: devices}
	b, _ := json.MarshalIndent(w, "", "  ")
	if err := os.WriteFile(path, b, 0o600); err != nil {
		return nil, errors.Join(err, errors.New("demo world created but not saved"))
	}
	return w, nil
}

func demoAction(rng *rand.Rand, setID int64, appid, openid, clickID string, at, now int64) wxads.Action {
	types := []string{wxads.ActionCompleteOrder, wxads.ActionReservation, wxads.ActionRegister}
	a := wxads.Action{SetID: setID, URL: "https://shop.example.com/order", Domain: "shop.example.com", ActionTime: at,
		ActionType: types[rng.IntN(len(types))], AppID: appid, OpenID: openid, ClaimType: rng.IntN(2),
		OuterActionID: fmt.Sprintf("demo_%d_%d", at, rng.Uint32()), ReceivedTime: now}
	if a.ClaimType == wxads.ClaimClick && rng.IntN(2) == 0 {
		a.ClickID = clickID
	}
	if a.ActionType == wxads.ActionCompleteOrder {
		a.Value = int64(990 + rng.IntN(50000))
		a.URL, a.Domain = "https://m.example.cn/checkout", "m.example.cn"
	}
	param := map[string]any{"source": "Biz", "claim_type": a.ClaimType}
	if a.Value != 0 {
		param["value"] = a.Value
	}
	a.Param, _ = json.Marshal(param)
	return a
}

// print shows the world's credentials and the first calls to make; now
// dates the report call (the demo spans the 14 GMT+8 days up to today).
func (w *demoWorld) print(out io.Writer, base string, now time.Time) {
	to := now.In(wxads.CST)
	from := to.AddDate(0, 0, -13)
	fmt.Fprintf(out, `wxads demo is ready
  account_id          %d
  appid               %s
  secret              %s
  user_action_set_id  %d
  API base            %s
  dashboard           %s/ui/  (sign in with the appid and secret above)
  healthz             %s/healthz
  get a token:        curl '%s/cgi-bin/token?grant_type=client_credential&appid=%s&secret=%s'
  see the report:     curl -G '%s/marketing/user_action_set_reports/get' -d access_token=TOKEN -d user_action_set_id=%d \
                        --data-urlencode 'date_range={"start_date":"%s","end_date":"%s"}' -d time_granularity=DAILY
`, w.AccountID, w.AppID, w.Secret, w.SetID, base, base, base, base, w.AppID, w.Secret, base, w.SetID, from.Format(wxads.DateLayout), to.Format(wxads.DateLayout))
	if w.V3SetID != 0 {
		fmt.Fprintf(out, `  v3.0 ANDROID set    %d  (%q: installs identified by hash_oaid / hash_imei of ad clicks)
  its actions:        curl '%s/ext/v1/user_actions/get?access_token=TOKEN&user_action_set_id=%d'
`, w.V3SetID, demoV3SetName, base, w.V3SetID)
	}
	if len(w.UnionIDs) > 0 {
		fmt.Fprintf(out, "  by wechat_unionid:   set %d holds v3.0 orders naming followers by unionid alone (demo_v3_unionid_*)\n", w.SetID)
	}
}
