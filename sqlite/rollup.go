package sqlite

import (
	"math"

	"github.com/wxads/wxads"
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
	types, err := w.stmt(qRollupTypes)
	if err != nil {
		return err
	}
	domains, err := w.stmt(qRollupDomains)
	if err != nil {
		return err
	}
	for g := range 2 {
		for k, c := range w.rollups.Types[g] {
			if _, err := types.ExecContext(w.ctx, k.Set, g, k.Period, k.ActionType, k.Custom, c.Raw, c.Identified); err != nil {
				return err
			}
		}
		for k, c := range w.rollups.Domains[g] {
			if _, err := domains.ExecContext(w.ctx, k.Set, g, k.Period, k.Domain, c.Raw, c.Identified); err != nil {
				return err
			}
		}
	}
	st, err := w.stmt(qUserCounts)
	if err != nil {
		return err
	}
	for k, n := range userCounts {
		if _, err := st.ExecContext(w.ctx, k.set, k.granularity, k.period, n); err != nil {
			return err
		}
	}
	if st, err = w.stmt(qAdRollup); err != nil {
		return err
	}
	for k, c := range w.ads {
		if _, err := st.ExecContext(w.ctx, k.account, k.period, k.ad, k.campaign, k.actionType, c.conversions, c.value); err != nil {
			return err
		}
	}
	if st, err = w.stmt(qActivateSet); err != nil {
		return err
	}
	for set := range w.sets {
		if _, err := st.ExecContext(w.ctx, set); err != nil {
			return err
		}
	}
	return nil
}

// insertActions writes the pending actions in received order. Dedup was
// decided by addBatch; the unique index stays as the backstop, and a
// violation fails the whole group.
func (w *groupWriter) insertActions() error {
	rows := w.pending
	for _, n := range chunks(len(rows), maxActionRows) {
		args := make([]any, 0, n*actionColumns)
		for _, a := range rows[:n] {
			var product any // NULL when absent
			if a.ProductInform != nil {
				product = string(a.ProductInform)
			}
			args = append(args, a.SetID, nullString(a.OuterActionID), a.ActionTime, a.ActionType, a.CustomAction, a.URL,
				a.Domain, a.AppID, a.OpenID, a.ClickID, a.Param, a.ClaimType, a.Value, a.Identified, a.AttributedAdID,
				a.AttributedCampaignID, a.ReceivedTime, wxads.EncodeUserIDs(a.UserIDs), product, a.Channel, a.IdentifiedBy)
		}
		st, err := w.stmt(actionRowsQuery[n])
		if err != nil {
			return err
		}
		if _, err := st.ExecContext(w.ctx, args...); err != nil {
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
	for _, n := range chunks(len(rows), maxUserRows) {
		args := make([]any, 0, n*5)
		for _, u := range rows[:n] {
			args = append(args, u.set, u.granularity, u.period, u.appid, u.openid)
		}
		st, err := w.stmt(userRowsQuery[n])
		if err != nil {
			return nil, err
		}
		res, err := st.QueryContext(w.ctx, args...)
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

// SQLite's SUM fails with "integer overflow" past int64, and a day's report
// sums up to 24 hourly rows that may each be near it. So reports sum the
// high bits (value >> 10) and the low ten bits apart — neither sum can
// overflow for fewer than 1024 rows — and joinSum puts them back together,
// saturating at math.MaxInt64.
func joinSum(hi, lo int64) int64 {
	const max = math.MaxInt64
	if hi > (max-lo)>>10 {
		return max
	}
	return hi<<10 + lo
}

// addSat adds two non-negative sums, saturating at math.MaxInt64.
func addSat(a, b int64) int64 {
	if b > math.MaxInt64-a {
		return math.MaxInt64
	}
	return a + b
}
