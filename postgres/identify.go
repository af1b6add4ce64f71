package postgres

import (
	"context"
	"strings"

	"github.com/jackc/pgx/v5"

	"github.com/wxads/wxads"
)

// Identification and attribution run in the request's goroutine before the
// batch reaches the committer, each a statement over arrays of keys: one
// for unknown app owners, one for followers, one batch of attribution
// probes. "Known to the platform at that moment" (SPEC §6.3) is the moment
// the request is handled: what committed before it counts, on any node.
const (
	qAppOwners = `SELECT appid, account_id FROM apps WHERE appid = ANY($1)`
	qFollowers = `SELECT f.appid, f.openid FROM unnest($1::text[], $2::text[]) AS p(a, o)
		JOIN followers f ON f.appid = p.a AND f.openid = p.o`
	// Each probe: the latest matching event of the same app at or before the
	// action time and no more than the window before it, ties to the later stored.
	qAttributeClickID = `SELECT p.i, e.ad_id, e.campaign_id, e.time
		FROM unnest($1::text[], $2::text[], $3::bigint[]) WITH ORDINALITY AS p(a, k, t, i)
		CROSS JOIN LATERAL (SELECT ad_id, campaign_id, time FROM ad_events
			WHERE appid = p.a AND click_id = p.k AND click_id <> '' AND type = 'CLICK'
			AND time <= p.t AND time >= p.t - $4 ORDER BY time DESC, id DESC LIMIT 1) e`
	qAttributeUser = `SELECT p.i, e.ad_id, e.campaign_id, e.time
		FROM unnest($1::text[], $2::text[], $3::bigint[]) WITH ORDINALITY AS p(a, k, t, i)
		CROSS JOIN LATERAL (SELECT ad_id, campaign_id, time FROM ad_events
			WHERE appid = p.a AND openid = p.k AND type = $4
			AND time <= p.t AND time >= p.t - $5 ORDER BY time DESC, id DESC LIMIT 1) e`
)

// identify sets Identified and the attribution fields of every action: an
// action is identified when its wechat_app_id is an app of account and the
// openid a follower of that app, or else its wechat_unionid is (unionid.go),
// or else one of its device ids (devices.go); identified actions are attributed per
// claim_type: by trace.click_id when given (the openid need not match),
// else the openid's latest CLICK; claim_type 1 the openid's latest FOLLOW.
func (db *DB) identify(ctx context.Context, account int64, actions []wxads.Action) error {
	if err := db.loadOwners(ctx, actions); err != nil {
		return err
	}
	var apps, openids []string
	for i := range actions {
		a := &actions[i]
		a.Identified, a.AttributedAdID, a.AttributedCampaignID, a.AttributedEventTime = false, 0, 0, 0
		a.IdentifiedBy, a.FollowerOpenID = "", ""
		if owner, _ := db.owners.Load(a.AppID); owner == account && a.OpenID != "" {
			apps, openids = append(apps, a.AppID), append(openids, a.OpenID)
		}
	}
	if len(apps) > 0 {
		rows, err := db.pool.Query(ctx, qFollowers, apps, openids)
		if err != nil {
			return err
		}
		known := map[[2]string]bool{}
		var k [2]string
		if _, err := pgx.ForEachRow(rows, []any{&k[0], &k[1]}, func() error { known[k] = true; return nil }); err != nil {
			return err
		}
		for i := range actions {
			a := &actions[i]
			a.Identified = known[[2]string{a.AppID, a.OpenID}]
		}
	}
	if err := db.byUnionID(ctx, account, actions); err != nil {
		return err
	}
	return db.byDevice(ctx, account, actions)
}

// attribute fills the attribution fields of the identified actions:
// claim_type 0 by trace.click_id when given, else the openid's latest
// CLICK; claim_type 1 the openid's latest FOLLOW. An action identified by a
// device id (devices.go) is attributed likewise among all the advertiser's
// apps: its click_id, else the latest CLICK or FOLLOW carrying that id.
func (db *DB) attribute(ctx context.Context, account int64, actions []wxads.Action) error {
	var byClick, byClickUser, byFollow, devClick, devUser, devFollow probes
	for i := range actions {
		a := &actions[i]
		device := wxads.ParseUserID(a.IdentifiedBy)
		byDevice := !a.ByFollower() // else by its openid or its unionid's follower
		switch {
		case !a.Identified:
		case a.ClaimType == wxads.ClaimClick && a.ClickID != "" && byDevice:
			devClick.add(a, "", a.ClickID)
		case a.ClaimType == wxads.ClaimClick && a.ClickID != "":
			byClick.add(a, a.AppID, a.ClickID)
		case a.ClaimType == wxads.ClaimClick && byDevice:
			devUser.add(a, device.Kind, device.Value)
		case a.ClaimType == wxads.ClaimClick:
			byClickUser.add(a, a.AppID, a.UserOpenID())
		case byDevice:
			devFollow.add(a, device.Kind, device.Value)
		default:
			byFollow.add(a, a.AppID, a.UserOpenID())
		}
	}
	b := &pgx.Batch{}
	w := db.window()
	byClick.queue(b, qAttributeClickID, w)
	byClickUser.queue(b, qAttributeUser, wxads.EventClick, w)
	byFollow.queue(b, qAttributeUser, wxads.EventFollow, w)
	devClick.queue(b, qAttributeAccountClickID, account, w)
	devUser.queue(b, qAttributeDevice, account, wxads.EventClick, w)
	devFollow.queue(b, qAttributeDevice, account, wxads.EventFollow, w)
	if b.Len() == 0 {
		return nil
	}
	return db.pool.SendBatch(ctx, b).Close()
}

// loadOwners caches the owners of the actions' apps not cached yet; an
// unknown app is not cached, as it may be created later.
func (db *DB) loadOwners(ctx context.Context, actions []wxads.Action) error {
	var missing []string
	for i := range actions {
		// A v3.0 action may name no app: nothing to look up (and "" is never cached).
		if _, ok := db.owners.Load(actions[i].AppID); !ok && actions[i].AppID != "" {
			missing = append(missing, actions[i].AppID)
		}
	}
	if len(missing) == 0 {
		return nil
	}
	rows, err := db.pool.Query(ctx, qAppOwners, missing)
	if err != nil {
		return err
	}
	var appid string
	var owner int64
	_, err = pgx.ForEachRow(rows, []any{&appid, &owner}, func() error {
		db.owners.Store(strings.Clone(appid), owner) // not a slice of a request body (sqlite/identify.go)
		return nil
	})
	return err
}

// probes are the attribution look-ups of one kind, as parallel arrays.
type probes struct {
	actions []*wxads.Action
	apps    []string
	keys    []string
	times   []int64
}

// add queues a's probe: scope is its app (or, for a device id, the kind),
// key the click_id, openid or device id value.
func (p *probes) add(a *wxads.Action, scope, key string) {
	p.actions = append(p.actions, a)
	p.apps, p.keys, p.times = append(p.apps, scope), append(p.keys, key), append(p.times, a.ActionTime)
}

// queue adds the look-up to b; its rows set the actions' attribution.
func (p *probes) queue(b *pgx.Batch, query string, args ...any) {
	if len(p.actions) == 0 {
		return
	}
	b.Queue(query, append([]any{p.apps, p.keys, p.times}, args...)...).Query(func(rows pgx.Rows) error {
		var i, ad, campaign, at int64
		_, err := pgx.ForEachRow(rows, []any{&i, &ad, &campaign, &at}, func() error {
			a := p.actions[i-1] // WITH ORDINALITY counts from 1
			a.AttributedAdID, a.AttributedCampaignID, a.AttributedEventTime = ad, campaign, at
			return nil
		})
		return err
	})
}
