package postgres

import (
	"context"

	"github.com/jackc/pgx/v5"

	"github.com/wxads/wxads"
)

// Device-id look-ups of v3.0 actions (SPEC §11), each one statement over
// arrays of probes, each probe an index range of ad_event_ids' primary key
// (account_id, kind, value, type, time, event_id) — never another
// advertiser's rows, since account_id leads the key and is the caller's.
const (
	qDeviceIDs = `SELECT p.i FROM unnest($1::text[], $2::text[]) WITH ORDINALITY AS p(k, v, i)
		WHERE EXISTS (SELECT 1 FROM ad_event_ids WHERE account_id = $3 AND kind = p.k AND value = p.v)`
	// p.a is the id's kind, p.k its value.
	qAttributeDevice = `SELECT p.i, e.ad_id, e.campaign_id, e.time
		FROM unnest($1::text[], $2::text[], $3::bigint[]) WITH ORDINALITY AS p(a, k, t, i)
		CROSS JOIN LATERAL (SELECT event_id FROM ad_event_ids
			WHERE account_id = $4 AND kind = p.a AND value = p.k AND type = $5
			AND time <= p.t AND time >= p.t - $6 ORDER BY time DESC, event_id DESC LIMIT 1) x
		JOIN ad_events e ON e.id = x.event_id`
	// A device-identified action has no app of its own: its click_id is
	// looked up among all the advertiser's apps (ad_events_account_click).
	qAttributeAccountClickID = `SELECT p.i, e.ad_id, e.campaign_id, e.time
		FROM unnest($1::text[], $2::text[], $3::bigint[]) WITH ORDINALITY AS p(a, k, t, i)
		CROSS JOIN LATERAL (SELECT ad_id, campaign_id, time FROM ad_events
			WHERE account_id = $4 AND click_id = p.k AND click_id <> '' AND type = 'CLICK'
			AND time <= p.t AND time >= p.t - $5 ORDER BY time DESC, id DESC LIMIT 1) e`
)

// byDevice identifies the actions their openid did not: one whose device id
// (wxads.DeviceIDKinds) an ad event of account carried, of any type and
// time. Of several matching ids the first in the action's order
// (wxads.UserIDKinds) is kept in IdentifiedBy. Then it attributes.
func (db *DB) byDevice(ctx context.Context, account int64, actions []wxads.Action) error {
	var kinds, values []string
	var owners []int
	for i := range actions {
		a := &actions[i]
		if a.Identified {
			continue
		}
		for _, u := range a.UserIDs {
			if wxads.IsDeviceIDKind(u.Kind) {
				kinds, values, owners = append(kinds, u.Kind), append(values, u.Value), append(owners, i)
			}
		}
	}
	if len(kinds) > 0 {
		rows, err := db.pool.Query(ctx, qDeviceIDs, kinds, values, account)
		if err != nil {
			return err
		}
		matched := make([]bool, len(kinds))
		var k int64
		if _, err := pgx.ForEachRow(rows, []any{&k}, func() error { matched[k-1] = true; return nil }); err != nil {
			return err
		}
		for j := range kinds { // in each action's id order: the first match wins
			if a := &actions[owners[j]]; matched[j] && !a.Identified {
				a.Identified = true
				a.IdentifiedBy = wxads.UserID{Kind: kinds[j], Value: values[j]}.String()
			}
		}
	}
	return db.attribute(ctx, account, actions)
}
