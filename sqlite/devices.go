package sqlite

import (
	"encoding/json"

	"github.com/wxads/wxads"
)

// Device-id look-ups of v3.0 actions (SPEC §11), each one statement per
// request over a JSON list of probes {c: account, a: kind, k: value,
// t: action_time}, each probe a SEARCH of ad_event_ids' primary key
// (account_id, kind, value, type, time, event_id) — never another
// advertiser's rows, since account_id leads the key and is the caller's.
// As in attribute.go the event type is a literal, one statement per type;
// and the account is in the probe, not a bound parameter: SQLite re-plans
// a statement on every new binding of a parameter compared with an index
// column (reprepare_test.go).
const (
	qDeviceIDs = `SELECT j.key FROM json_each(?) AS j
		WHERE EXISTS (SELECT 1 FROM ad_event_ids
			WHERE account_id = j.value ->> 'c' AND kind = j.value ->> 'a' AND value = j.value ->> 'k')`
	qAttributeDeviceClick = `SELECT j.key, e.ad_id, e.campaign_id, e.time FROM json_each(?) AS j
		JOIN ad_events AS e ON e.id = (SELECT event_id FROM ad_event_ids
			WHERE account_id = j.value ->> 'c' AND kind = j.value ->> 'a' AND value = j.value ->> 'k' AND type = 'CLICK'
			AND time <= j.value ->> 't' AND time >= (j.value ->> 't') - ?
			ORDER BY time DESC, event_id DESC LIMIT 1)`
	qAttributeDeviceFollow = `SELECT j.key, e.ad_id, e.campaign_id, e.time FROM json_each(?) AS j
		JOIN ad_events AS e ON e.id = (SELECT event_id FROM ad_event_ids
			WHERE account_id = j.value ->> 'c' AND kind = j.value ->> 'a' AND value = j.value ->> 'k' AND type = 'FOLLOW'
			AND time <= j.value ->> 't' AND time >= (j.value ->> 't') - ?
			ORDER BY time DESC, event_id DESC LIMIT 1)`
	// A device-identified action has no app of its own: its click_id is
	// looked up among all the advertiser's apps (ad_events_account_click).
	qAttributeAccountClickID = `SELECT j.key, e.ad_id, e.campaign_id, e.time FROM json_each(?) AS j
		JOIN ad_events AS e ON e.id = (SELECT id FROM ad_events
			WHERE account_id = j.value ->> 'c' AND click_id = j.value ->> 'k' AND click_id <> '' AND type = 'CLICK'
			AND time <= j.value ->> 't' AND time >= (j.value ->> 't') - ?
			ORDER BY time DESC, id DESC LIMIT 1)`
)

// byDevice identifies the actions among as that their openid did not: one
// whose device id (wxads.DeviceIDKinds) an ad event of the advertiser
// carried, of any type and time. Of several matching ids the first in the
// action's order (wxads.UserIDKinds) is the one kept in IdentifiedBy.
func (id *identifier) byDevice(as []*wxads.Action) error {
	var probes []probe
	var owners []int // probes[i] is an id of as[owners[i]]
	for i, a := range as {
		if a.Identified {
			continue
		}
		for _, u := range a.UserIDs {
			if wxads.IsDeviceIDKind(u.Kind) {
				probes = append(probes, probe{Account: id.account, AppID: u.Kind, Key: u.Value})
				owners = append(owners, i)
			}
		}
	}
	if len(probes) == 0 {
		return nil
	}
	list, err := json.Marshal(probes)
	if err != nil {
		return err
	}
	rows, err := id.db.readStmts[qDeviceIDs].QueryContext(id.ctx, string(list))
	if err != nil {
		return err
	}
	defer rows.Close()
	matched := make([]bool, len(probes))
	for rows.Next() {
		var k int
		if err := rows.Scan(&k); err != nil {
			return err
		}
		matched[k] = true
	}
	if err := rows.Err(); err != nil {
		return err
	}
	for k, p := range probes { // in each action's id order: the first match wins
		if a := as[owners[k]]; matched[k] && !a.Identified {
			a.Identified, a.IdentifiedBy = true, wxads.UserID{Kind: p.AppID, Value: p.Key}.String()
		}
	}
	return nil
}
