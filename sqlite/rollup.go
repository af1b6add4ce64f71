package sqlite

import (
	"strings"
)

// Rows per multi-row statement: within SQLite's 32766 bound parameters.
const (
	actionsPerInsert = 100 // × 17 columns
	usersPerInsert   = 200 // × 5 columns
)

// flush writes the group's new actions and user memberships with multi-row
// statements, then the rollup deltas, and activates the sets it touched.
func (w *groupWriter) flush() error {
	if err := w.insertActions(); err != nil {
		return err
	}
	userCounts, err := w.insertUsers()
	if err != nil {
		return err
	}
	for table, m := range map[string]map[rollupKey]*counts{"rollup_hourly": w.hourly, "rollup_daily": w.daily} {
		for k, c := range m {
			if _, err := w.tx.ExecContext(w.ctx, `INSERT INTO `+table+`
				(set_id, period, action_type, custom_action, domain, raw, identified) VALUES (?, ?, ?, ?, ?, ?, ?)
				ON CONFLICT (set_id, period, action_type, custom_action, domain)
				DO UPDATE SET raw = raw + excluded.raw, identified = identified + excluded.identified`,
				k.set, k.period, k.actionType, k.custom, k.domain, c.raw, c.identified); err != nil {
				return err
			}
		}
	}
	for k, n := range userCounts {
		if _, err := w.tx.ExecContext(w.ctx, `INSERT INTO rollup_user_counts (set_id, granularity, period, users)
			VALUES (?, ?, ?, ?) ON CONFLICT (set_id, granularity, period) DO UPDATE SET users = users + excluded.users`,
			k.set, k.granularity, k.period, n); err != nil {
			return err
		}
	}
	for k, c := range w.ads {
		if _, err := w.tx.ExecContext(w.ctx, `INSERT INTO ad_rollup
			(account_id, period, ad_id, campaign_id, action_type, conversions, value) VALUES (?, ?, ?, ?, ?, ?, ?)
			ON CONFLICT (account_id, period, ad_id, campaign_id, action_type)
			DO UPDATE SET conversions = conversions + excluded.conversions, value = value + excluded.value`,
			k.account, k.period, k.ad, k.campaign, k.actionType, c.conversions, c.value); err != nil {
			return err
		}
	}
	for set := range w.sets {
		if _, err := w.tx.ExecContext(w.ctx, `UPDATE action_sets SET activate_status = 1
			WHERE id = ? AND activate_status = 0`, set); err != nil {
			return err
		}
	}
	return nil
}

// insertActions writes the pending actions in received order. Dedup was
// decided by addBatch; the unique index stays as the backstop, and a
// violation fails the whole group.
func (w *groupWriter) insertActions() error {
	const cols = `INSERT INTO actions (set_id, outer_action_id, action_time, action_type, custom_action, url, domain,
		appid, openid, click_id, param, claim_type, value, identified, attributed_ad_id, attributed_campaign_id,
		received_time) VALUES `
	for rows := w.pending; len(rows) > 0; {
		n := min(len(rows), actionsPerInsert)
		args := make([]any, 0, n*17)
		for _, a := range rows[:n] {
			args = append(args, a.SetID, nullString(a.OuterActionID), a.ActionTime, a.ActionType, a.CustomAction, a.URL,
				a.Domain, a.AppID, a.OpenID, a.ClickID, a.Param, a.ClaimType, a.Value, a.Identified, a.AttributedAdID,
				a.AttributedCampaignID, a.ReceivedTime)
		}
		if _, err := w.tx.ExecContext(w.ctx, cols+placeholders(n, 17), args...); err != nil {
			return err
		}
		rows = rows[n:]
	}
	return nil
}

// insertUsers adds the group's identified users to the membership table and
// returns, per set and period, how many of them were new there.
func (w *groupWriter) insertUsers() (map[userKey]int64, error) {
	added := map[userKey]int64{}
	rows := make([]userRow, 0, len(w.newUsers))
	for u := range w.newUsers {
		rows = append(rows, u)
	}
	for len(rows) > 0 {
		n := min(len(rows), usersPerInsert)
		args := make([]any, 0, n*5)
		for _, u := range rows[:n] {
			args = append(args, u.set, u.granularity, u.period, u.appid, u.openid)
		}
		res, err := w.tx.QueryContext(w.ctx, `INSERT INTO rollup_users (set_id, granularity, period, appid, openid)
			VALUES `+placeholders(n, 5)+` ON CONFLICT DO NOTHING RETURNING set_id, granularity, period`, args...)
		if err != nil {
			return nil, err
		}
		for res.Next() {
			var k userKey
			if err := res.Scan(&k.set, &k.granularity, &k.period); err != nil {
				res.Close()
				return nil, err
			}
			added[k]++
		}
		if err := res.Close(); err != nil {
			return nil, err
		}
		rows = rows[n:]
	}
	return added, nil
}

// placeholders returns "(?, …), (?, …)" for n rows of cols columns.
func placeholders(n, cols int) string {
	row := "(" + strings.Repeat("?, ", cols-1) + "?)"
	var b strings.Builder
	b.Grow(n * (len(row) + 2))
	for i := range n {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(row)
	}
	return b.String()
}
