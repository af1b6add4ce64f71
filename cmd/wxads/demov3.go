package main

import (
	"context"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/wxads/wxads"
	"github.com/wxads/wxads/client"
)

// The demo's v3.0 app (SPEC §11): a mobile game whose installs come from ad
// clicks that carried hashed device ids. The clicks are seeded with the
// rest of the world (seedV3Clicks); the ANDROID set and the conversions go
// through the running server's /v3.0 routes (sendV3Traffic), so the
// inspector shows device-id verdicts and the set is made the way an
// advertiser makes one.

const (
	demoV3SetName     = "demo app installs"
	demoV3MobileAppID = 1110000001
	demoV3Campaign    = 904
)

// demoDevice is one phone that clicked the app's ad: its hashed OAID (and
// for some its hashed IMEI) as delivery saw them, when, and which ad.
type demoDevice struct {
	HashOAID string `json:"hash_oaid"`
	HashIMEI string `json:"hash_imei,omitempty"`
	ClickAt  int64  `json:"click_at"`
	AdID     int64  `json:"ad_id"`
}

func demoHex(rng *rand.Rand) string { return fmt.Sprintf("%016x%016x", rng.Uint64(), rng.Uint64()) }

// seedV3Clicks adds CLICK events carrying device ids (no openid: a click in
// a mobile app is no WeChat user) on the demo's app, spread over the past
// 14 days, and returns the devices for the v3.0 uploads.
func seedV3Clicks(rng *rand.Rand, appid string, now int64) ([]wxads.AdEvent, []demoDevice) {
	var events []wxads.AdEvent
	var devices []demoDevice
	for i := 0; i < 40; i++ {
		d := demoDevice{HashOAID: demoHex(rng), ClickAt: now - int64(3600+rng.IntN(13*86400)),
			AdID: 7000 + demoV3Campaign%100*10 + int64(1+rng.IntN(2))}
		ids := []wxads.UserID{{Kind: "hash_oaid", Value: d.HashOAID}}
		if i%3 == 0 {
			d.HashIMEI = demoHex(rng)
			ids = []wxads.UserID{{Kind: "hash_imei", Value: d.HashIMEI}, ids[0]}
		}
		events = append(events, wxads.AdEvent{Type: wxads.EventClick, AppID: appid, AdID: d.AdID,
			CampaignID: demoV3Campaign, ClickID: fmt.Sprintf("clk_app_%d", i), Time: d.ClickAt, UserIDs: ids})
		devices = append(devices, d)
	}
	return events, devices
}

// sendV3Traffic makes (or finds, after a restart) the ANDROID set through
// /v3.0/user_action_sets/add and uploads installs and purchases through
// /v3.0/user_actions/add: most by devices that clicked (identified and
// attributed by hash_oaid or hash_imei), some from devices no ad event
// carried (stored, not identified). Outer ids are fixed, so a restart
// sends duplicates only.
func (w *demoWorld) sendV3Traffic(ctx context.Context, base string, now time.Time) error {
	c, err := client.New(w.AppID, w.Secret, client.WithBaseURL(base), client.WithAccountID(w.AccountID),
		client.WithRetry(client.RetryPolicy{MaxAttempts: 2, BaseDelay: 100 * time.Millisecond, MaxDelay: time.Second}))
	if err != nil {
		return err
	}
	v3 := c.V3()
	sets, err := v3.ActionSets.Get(ctx, client.V3ActionSetFilter{Types: []string{"ANDROID"}})
	if err != nil {
		return err
	}
	w.V3SetID = 0
	for _, s := range sets {
		if s.Name == demoV3SetName {
			w.V3SetID = s.ID
		}
	}
	if w.V3SetID == 0 {
		if w.V3SetID, err = v3.ActionSets.Add(ctx, client.V3ActionSet{Type: "ANDROID", Name: demoV3SetName,
			Description: "seeded by wxads serve --demo", MobileAppID: demoV3MobileAppID, EnableConversionClaim: true}); err != nil {
			return err
		}
	}
	end := now.Unix()
	var actions []client.V3UserAction
	for i, d := range w.Devices {
		id := client.V3UserID{HashOAID: d.HashOAID}
		if d.HashIMEI != "" && i%2 == 0 {
			id = client.V3UserID{HashIMEI: d.HashIMEI} // identified by the other id the click carried
		}
		install := min(d.ClickAt+int64(60+i*37%3600), end)
		actions = append(actions, client.V3UserAction{ActionTime: install, ActionType: "ACTIVATE_APP", UserID: id,
			OuterActionID: fmt.Sprintf("demo_v3_install_%d", i), Channel: "CHANNEL_ADS"})
		if i%4 == 0 {
			actions = append(actions, client.V3UserAction{ActionTime: min(install+int64(1800+i*53), end),
				ActionType: "PURCHASE", UserID: id, OuterActionID: fmt.Sprintf("demo_v3_purchase_%d", i),
				ActionParam:   map[string]any{"value": 600 + i*100},
				ProductInform: &client.ProductInform{ContentType: "EC", ProductID: []string{fmt.Sprintf("gem_pack_%d", i%3)}}})
		}
	}
	// Organic installs: no ad event carries these devices.
	rng := rand.New(rand.NewPCG(uint64(w.AccountID), 3))
	for i := 0; i < 8; i++ {
		actions = append(actions, client.V3UserAction{ActionTime: end - int64(600+i*7200), ActionType: "ACTIVATE_APP",
			UserID: client.V3UserID{HashOAID: demoHex(rng)}, OuterActionID: fmt.Sprintf("demo_v3_organic_%d", i),
			Channel: "CHANNEL_NATURAL"})
	}
	for len(actions) > 0 {
		n := min(len(actions), 50)
		if _, err := v3.UserActions.AddBatch(ctx, w.V3SetID, actions[:n], client.AddOptions{PartialFailure: true}); err != nil {
			return err
		}
		actions = actions[n:]
	}
	return nil
}
