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
	AppID string `json:"a"`
	Key   string `json:"k"`
	Time  int64  `json:"t"`
}

// attribute fills the attribution fields of the identified actions among
// as: claim_type 0 by trace.click_id when given (the openid need not match),
// else the openid's latest CLICK; claim_type 1 the openid's latest FOLLOW.
func (id *identifier) attribute(as []*wxads.Action) error {
	var byClick, byClickUser, byFollow []*wxads.Action
	for _, a := range as {
		a.AttributedAdID, a.AttributedCampaignID, a.AttributedEventTime = 0, 0, 0
		switch {
		case !a.Identified:
		case a.ClaimType == wxads.ClaimClick && a.ClickID != "":
			byClick = append(byClick, a)
		case a.ClaimType == wxads.ClaimClick:
			byClickUser = append(byClickUser, a)
		default:
			byFollow = append(byFollow, a)
		}
	}
	if err := id.probe(byClick, qAttributeClickID, func(a *wxads.Action) string { return a.ClickID }); err != nil {
		return err
	}
	openid := func(a *wxads.Action) string { return a.OpenID }
	if err := id.probe(byClickUser, qAttributeUserClick, openid); err != nil {
		return err
	}
	return id.probe(byFollow, qAttributeUserFollow, openid)
}

func (id *identifier) probe(as []*wxads.Action, query string, key func(*wxads.Action) string) error {
	if len(as) == 0 {
		return nil
	}
	probes := make([]probe, len(as))
	for i, a := range as {
		probes[i] = probe{a.AppID, key(a), a.ActionTime}
	}
	list, err := json.Marshal(probes)
	if err != nil {
		return err
	}
	rows, err := id.db.readStmts[query].QueryContext(id.ctx, string(list), id.db.window())
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
