package sqlite

// flush writes the group's rollup deltas and activates the sets it touched.
func (w *groupWriter) flush() error {
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
	for k, n := range w.users {
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
