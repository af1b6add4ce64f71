package postgres

import (
	"cmp"
	"maps"
	"slices"

	"github.com/jackc/pgx/v5"

	"github.com/wxads/wxads/internal/rollup"
)

// The rollup statements take their rows as arrays (one round trip each, all
// sent as one batch). Rows are sorted by key so that groups committing on
// several nodes lock rollup rows in the same order and cannot deadlock.
const (
	qRollupTypes = `INSERT INTO rollup_types (set_id, granularity, period, action_type, custom_action, raw, identified)
		SELECT * FROM unnest($1::bigint[], $2::integer[], $3::bigint[], $4::text[], $5::text[], $6::bigint[], $7::bigint[])
		ON CONFLICT (set_id, granularity, period, action_type, custom_action)
		DO UPDATE SET raw = rollup_types.raw + excluded.raw, identified = rollup_types.identified + excluded.identified`
	qRollupDomains = `INSERT INTO rollup_domains (set_id, granularity, period, domain, raw, identified)
		SELECT * FROM unnest($1::bigint[], $2::integer[], $3::bigint[], $4::text[], $5::bigint[], $6::bigint[])
		ON CONFLICT (set_id, granularity, period, domain)
		DO UPDATE SET raw = rollup_domains.raw + excluded.raw, identified = rollup_domains.identified + excluded.identified`
	// The memberships a group adds and, from those that were new, the
	// distinct-user counts: one statement, so a user counted by another
	// node's concurrent group is not counted twice.
	qUsers = `WITH added AS (
			INSERT INTO rollup_users (set_id, granularity, period, appid, openid)
			SELECT * FROM unnest($1::bigint[], $2::integer[], $3::bigint[], $4::text[], $5::text[])
			ON CONFLICT DO NOTHING RETURNING set_id, granularity, period)
		INSERT INTO rollup_user_counts (set_id, granularity, period, users)
		SELECT set_id, granularity, period, COUNT(*) FROM added GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
		ON CONFLICT (set_id, granularity, period) DO UPDATE SET users = rollup_user_counts.users + excluded.users`
	qAdRollup = `INSERT INTO ad_rollup (account_id, period, ad_id, campaign_id, action_type, conversions, value)
		SELECT * FROM unnest($1::bigint[], $2::bigint[], $3::bigint[], $4::bigint[], $5::text[], $6::bigint[], $7::bigint[])
		ON CONFLICT (account_id, period, ad_id, campaign_id, action_type)
		DO UPDATE SET conversions = ad_rollup.conversions + excluded.conversions,
		value = CASE WHEN excluded.value > 9223372036854775807 - ad_rollup.value THEN 9223372036854775807
			ELSE ad_rollup.value + excluded.value END` // saturates, as SQLite's
	qActivateSets = `UPDATE action_sets SET activate_status = true WHERE id = ANY($1) AND NOT activate_status`
)

// flush writes the rollup deltas, user memberships and set activations.
func (w *groupWriter) flush() error {
	b := &pgx.Batch{}
	// Tables in a fixed order too, for the same reason.
	var set, period, raw, ident []int64
	var gran []int32
	var typ, custom, domain []string
	for g := range int32(2) {
		for _, k := range rollup.Sorted(w.rollups.Types[g]) {
			c := w.rollups.Types[g][k]
			set, gran, period = append(set, k.Set), append(gran, g), append(period, k.Period)
			typ, custom = append(typ, k.ActionType), append(custom, k.Custom)
			raw, ident = append(raw, c.Raw), append(ident, c.Identified)
		}
	}
	if len(set) > 0 {
		b.Queue(qRollupTypes, set, gran, period, typ, custom, raw, ident)
	}
	set, gran, period, raw, ident = nil, nil, nil, nil, nil
	for g := range int32(2) {
		for _, k := range rollup.Sorted(w.rollups.Domains[g]) {
			c := w.rollups.Domains[g][k]
			set, gran, period = append(set, k.Set), append(gran, g), append(period, k.Period)
			domain, raw, ident = append(domain, k.Domain), append(raw, c.Raw), append(ident, c.Identified)
		}
	}
	if len(set) > 0 {
		b.Queue(qRollupDomains, set, gran, period, domain, raw, ident)
	}
	if len(w.newUsers) > 0 {
		var set, period []int64
		var gran []int32
		var appid, openid []string
		for _, u := range sortedKeys(w.newUsers, compareUser) {
			set, gran, period = append(set, u.set), append(gran, int32(u.granularity)), append(period, u.period)
			appid, openid = append(appid, u.appid), append(openid, u.openid)
		}
		b.Queue(qUsers, set, gran, period, appid, openid)
	}
	if len(w.ads) > 0 {
		var account, period, ad, campaign, conv, value []int64
		var typ []string
		for _, k := range sortedKeys(w.ads, compareAd) {
			c := w.ads[k]
			account, period, ad, campaign = append(account, k.account), append(period, k.period),
				append(ad, k.ad), append(campaign, k.campaign)
			typ, conv, value = append(typ, k.actionType), append(conv, c.conversions), append(value, c.value)
		}
		b.Queue(qAdRollup, account, period, ad, campaign, typ, conv, value)
	}
	if len(w.sets) > 0 {
		b.Queue(qActivateSets, slices.Sorted(maps.Keys(w.sets)))
	}
	if b.Len() == 0 {
		return nil
	}
	return w.tx.SendBatch(w.ctx, b).Close()
}

func sortedKeys[K comparable, V any](m map[K]V, compare func(a, b K) int) []K {
	keys := slices.Collect(maps.Keys(m))
	slices.SortFunc(keys, compare)
	return keys
}

func compareUser(a, b userRow) int {
	return cmp.Or(cmp.Compare(a.set, b.set), cmp.Compare(a.granularity, b.granularity), cmp.Compare(a.period, b.period),
		cmp.Compare(a.appid, b.appid), cmp.Compare(a.openid, b.openid))
}

func compareAd(a, b adKey) int {
	return cmp.Or(cmp.Compare(a.account, b.account), cmp.Compare(a.period, b.period), cmp.Compare(a.ad, b.ad),
		cmp.Compare(a.campaign, b.campaign), cmp.Compare(a.actionType, b.actionType))
}
