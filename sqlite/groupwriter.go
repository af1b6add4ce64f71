package sqlite

import (
	"context"
	"database/sql"
	"errors"

	"github.com/wxads/wxads"
)

// groupWriter writes one group commit's actions and accumulates the rollup
// deltas in memory, flushing them once per group.
type groupWriter struct {
	ctx    context.Context
	tx     *sql.Tx
	window int64

	insertAction, isFollower, appAccount *sql.Stmt
	clickByID, eventByUser, insertUser   *sql.Stmt

	accounts map[string]int64 // appid → owning account (0: unknown)
	hourly   map[rollupKey]*counts
	daily    map[rollupKey]*counts
	users    map[userKey]int64
	ads      map[adKey]*adCounts
	sets     map[int64]bool
}

type rollupKey struct {
	set                        int64
	period                     int64
	actionType, custom, domain string
}

type counts struct{ raw, identified int64 }

type userKey struct {
	set         int64
	granularity int
	period      int64
}

type adKey struct {
	account, period, ad, campaign int64
	actionType                    string
}

type adCounts struct{ conversions, value int64 }

func (db *DB) newGroupWriter(ctx context.Context, tx *sql.Tx) (*groupWriter, error) {
	w := &groupWriter{
		ctx: ctx, tx: tx, window: db.window(),
		accounts: map[string]int64{}, hourly: map[rollupKey]*counts{}, daily: map[rollupKey]*counts{},
		users: map[userKey]int64{}, ads: map[adKey]*adCounts{}, sets: map[int64]bool{},
	}
	stmts := []struct {
		dst   **sql.Stmt
		query string
	}{
		{&w.insertAction, `INSERT OR IGNORE INTO actions (set_id, outer_action_id, action_time, action_type,
			custom_action, url, domain, appid, openid, click_id, param, claim_type, value, identified,
			attributed_ad_id, attributed_campaign_id, received_time)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`},
		{&w.isFollower, `SELECT 1 FROM followers WHERE appid = ? AND openid = ?`},
		{&w.appAccount, `SELECT account_id FROM apps WHERE appid = ?`},
		{&w.clickByID, `SELECT ad_id, campaign_id FROM ad_events
			WHERE appid = ? AND click_id = ? AND click_id <> '' AND type = 'CLICK' AND time <= ? AND time >= ?
			ORDER BY time DESC, id DESC LIMIT 1`},
		{&w.eventByUser, `SELECT ad_id, campaign_id FROM ad_events
			WHERE appid = ? AND openid = ? AND type = ? AND time <= ? AND time >= ?
			ORDER BY time DESC, id DESC LIMIT 1`},
		{&w.insertUser, `INSERT OR IGNORE INTO rollup_users (set_id, granularity, period, appid, openid)
			VALUES (?, ?, ?, ?, ?)`},
	}
	for _, s := range stmts {
		st, err := tx.PrepareContext(ctx, s.query)
		if err != nil {
			w.close()
			return nil, err
		}
		*s.dst = st
	}
	return w, nil
}

func (w *groupWriter) close() {
	for _, st := range []*sql.Stmt{w.insertAction, w.isFollower, w.appAccount, w.clickByID, w.eventByUser, w.insertUser} {
		if st != nil {
			st.Close()
		}
	}
}

// add identifies, attributes and stores one action; false when its
// outer_action_id is already held by the set.
func (w *groupWriter) add(account int64, a *wxads.Action) (bool, error) {
	if err := w.identify(account, a); err != nil {
		return false, err
	}
	res, err := w.insertAction.ExecContext(w.ctx, a.SetID, nullString(a.OuterActionID), a.ActionTime, a.ActionType,
		a.CustomAction, a.URL, a.Domain, a.AppID, a.OpenID, a.ClickID, a.Param, a.ClaimType, a.Value, a.Identified,
		a.AttributedAdID, a.AttributedCampaignID, a.ReceivedTime)
	if err != nil {
		return false, err
	}
	if n, err := res.RowsAffected(); err != nil || n == 0 {
		return false, err
	}
	w.count(account, a)
	if a.Identified {
		hour, day := wxads.HourOf(a.ActionTime), wxads.DayOf(a.ActionTime)
		for g, period := range [2]int64{hour, day} {
			res, err := w.insertUser.ExecContext(w.ctx, a.SetID, g, period, a.AppID, a.OpenID)
			if err != nil {
				return false, err
			}
			if n, err := res.RowsAffected(); err != nil {
				return false, err
			} else if n > 0 {
				w.users[userKey{a.SetID, g, period}]++
			}
		}
	}
	return true, nil
}

// identify sets Identified and the attribution fields of a per SPEC §6.3.
func (w *groupWriter) identify(account int64, a *wxads.Action) error {
	a.Identified, a.AttributedAdID, a.AttributedCampaignID = false, 0, 0
	owner, ok := w.accounts[a.AppID]
	if !ok {
		err := w.appAccount.QueryRowContext(w.ctx, a.AppID).Scan(&owner)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		w.accounts[a.AppID] = owner
	}
	if owner != account {
		return nil
	}
	var one int
	switch err := w.isFollower.QueryRowContext(w.ctx, a.AppID, a.OpenID).Scan(&one); {
	case errors.Is(err, sql.ErrNoRows):
		return nil
	case err != nil:
		return err
	}
	a.Identified = true
	from := a.ActionTime - w.window
	var row *sql.Row
	switch {
	case a.ClaimType == wxads.ClaimClick && a.ClickID != "":
		row = w.clickByID.QueryRowContext(w.ctx, a.AppID, a.ClickID, a.ActionTime, from)
	case a.ClaimType == wxads.ClaimClick:
		row = w.eventByUser.QueryRowContext(w.ctx, a.AppID, a.OpenID, wxads.EventClick, a.ActionTime, from)
	default:
		row = w.eventByUser.QueryRowContext(w.ctx, a.AppID, a.OpenID, wxads.EventFollow, a.ActionTime, from)
	}
	err := row.Scan(&a.AttributedAdID, &a.AttributedCampaignID)
	if errors.Is(err, sql.ErrNoRows) {
		return nil
	}
	return err
}

// count adds a stored action to the in-memory rollup deltas.
func (w *groupWriter) count(account int64, a *wxads.Action) {
	var ident int64
	if a.Identified {
		ident = 1
	}
	hk := rollupKey{a.SetID, wxads.HourOf(a.ActionTime), a.ActionType, a.CustomAction, a.Domain}
	dk := hk
	dk.period = wxads.DayOf(a.ActionTime)
	for _, kv := range []struct {
		m map[rollupKey]*counts
		k rollupKey
	}{{w.hourly, hk}, {w.daily, dk}} {
		c := kv.m[kv.k]
		if c == nil {
			c = &counts{}
			kv.m[kv.k] = c
		}
		c.raw++
		c.identified += ident
	}
	w.sets[a.SetID] = true
	if a.AttributedAdID != 0 {
		k := adKey{account, hk.period, a.AttributedAdID, a.AttributedCampaignID, a.ActionType}
		c := w.ads[k]
		if c == nil {
			c = &adCounts{}
			w.ads[k] = c
		}
		c.conversions++
		c.value += a.Value
	}
}
