package sqlite

import (
	"encoding/json"

	"github.com/wxads/wxads"
)

// Attribution look-ups, one statement per request and kind (SPEC §6.3):
// each element of the JSON list is {a: appid, k: click_id or openid,
// t: action_time}; for each, the latest matching event of the same app at or
// before t and no more than the window before it, ties to the later stored.
// Each probe is a SEARCH of ad_events_click / ad_events_user whose order
// answers "latest first" (attribution_test.go checks the plans).
//
// The event type is a literal, one statement per kind: a bound `type = ?`
// made SQLite re-prepare the statement on every rebinding (a term compared
// with a bound value is re-planned against the partial index's WHERE
// clause), 5.7 % of ingest CPU in SQL compilation (issue 14);
// reprepare_test.go checks that none of these statements re-prepares.
const (
	qAttributeClickID = `SELECT j.key, e.ad_id, e.campaign_id, e.time FROM json_each(?) AS j
		JOIN ad_events AS e ON e.id = (SELECT id FROM ad_events
			WHERE appid = j.value ->> 'a' AND click_id = j.value ->> 'k' AND click_id <> '' AND type = 'CLICK'
			AND time <= j.value ->> 't' AND time >= (j.value ->> 't') - ?
			ORDER BY time DESC, id DESC LIMIT 1)`
	qAttributeUserClick = `SELECT j.key, e.ad_id, e.campaign_id, e.time FROM json_each(?) AS j
		JOIN ad_events AS e ON e.id = (SELECT id FROM ad_events
			WHERE appid = j.value ->> 'a' AND openid = j.value ->> 'k' AND type = 'CLICK'
			AND time <= j.value ->> 't' AND time >= (j.value ->> 't') - ?
			ORDER BY time DESC, id DESC LIMIT 1)`
	qAttributeUserFollow = `SELECT j.key, e.ad_id, e.campaign_id, e.time FROM json_each(?) AS j
		JOIN ad_events AS e ON e.id = (SELECT id FROM ad_events
			WHERE appid = j.value ->> 'a' AND openid = j.value ->> 'k' AND type = 'FOLLOW'
			AND time <= j.value ->> 't' AND time >= (j.value ->> 't') - ?
			ORDER BY time DESC, id DESC LIMIT 1)`
)

type probe struct {
	Account int64  `json:"c,omitempty"` // the advertiser, in devices.go's look-ups only
	AppID   string `json:"a"`
	Key     string `json:"k"`
	Time    int64  `json:"t"`
}

// attribute fills the attribution fields of the identified actions among
// as: claim_type 0 by trace.click_id when given (the openid need not match),
// else the openid's latest CLICK; claim_type 1 the openid's latest FOLLOW —
// for an action identified by its unionid, the openid of that follower.
// An action identified by a device id (devices.go) is attributed likewise
// among all the advertiser's apps: its click_id, else the latest CLICK or
// FOLLOW carrying that device id.
func (id *identifier) attribute(as []*wxads.Action) error {
	var byClick, byClickUser, byFollow, devClick, devUser, devFollow []*wxads.Action
	for _, a := range as {
		a.AttributedAdID, a.AttributedCampaignID, a.AttributedEventTime = 0, 0, 0
		device := !a.ByFollower()
		switch {
		case !a.Identified:
		case a.ClaimType == wxads.ClaimClick && a.ClickID != "" && device:
			devClick = append(devClick, a)
		case a.ClaimType == wxads.ClaimClick && a.ClickID != "":
			byClick = append(byClick, a)
		case a.ClaimType == wxads.ClaimClick && device:
			devUser = append(devUser, a)
		case a.ClaimType == wxads.ClaimClick:
			byClickUser = append(byClickUser, a)
		case device:
			devFollow = append(devFollow, a)
		default:
			byFollow = append(byFollow, a)
		}
	}
	appKey := func(key func(*wxads.Action) string) func(*wxads.Action) probe {
		return func(a *wxads.Action) probe { return probe{AppID: a.AppID, Key: key(a), Time: a.ActionTime} }
	}
	clickID := func(a *wxads.Action) string { return a.ClickID }
	openid := func(a *wxads.Action) string { return a.UserOpenID() }
	device := func(a *wxads.Action) probe {
		u := wxads.ParseUserID(a.IdentifiedBy)
		return probe{Account: id.account, AppID: u.Kind, Key: u.Value, Time: a.ActionTime}
	}
	w := id.db.window()
	for _, q := range []struct {
		as    []*wxads.Action
		query string
		probe func(*wxads.Action) probe
		args  []any
	}{
		{byClick, qAttributeClickID, appKey(clickID), []any{w}},
		{byClickUser, qAttributeUserClick, appKey(openid), []any{w}},
		{byFollow, qAttributeUserFollow, appKey(openid), []any{w}},
		{devClick, qAttributeAccountClickID, func(a *wxads.Action) probe {
			return probe{Account: id.account, Key: a.ClickID, Time: a.ActionTime}
		}, []any{w}},
		{devUser, qAttributeDeviceClick, device, []any{w}},
		{devFollow, qAttributeDeviceFollow, device, []any{w}},
	} {
		if err := id.probe(q.as, q.query, q.probe, q.args...); err != nil {
			return err
		}
	}
	return nil
}

// probe runs one attribution look-up: the JSON list of the actions'
// probes, then args.
func (id *identifier) probe(as []*wxads.Action, query string, of func(*wxads.Action) probe, args ...any) error {
	if len(as) == 0 {
		return nil
	}
	probes := make([]probe, len(as))
	for i, a := range as {
		probes[i] = of(a)
	}
	list, err := json.Marshal(probes)
	if err != nil {
		return err
	}
	rows, err := id.db.readStmts[query].QueryContext(id.ctx, append([]any{string(list)}, args...)...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var i int
		var ad, campaign, at int64
		if err := rows.Scan(&i, &ad, &campaign, &at); err != nil {
			return err
		}
		as[i].AttributedAdID, as[i].AttributedCampaignID, as[i].AttributedEventTime = ad, campaign, at
	}
	return rows.Err()
}
