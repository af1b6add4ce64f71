package sqlite

import (
	"context"
	"database/sql"
	"errors"

	"github.com/wxads/wxads"
)

// groupWriter writes one group commit. Look-ups are batched per request
// (owners, followers, existing dedup keys: see lookup.go), attribution is
// one indexed look-up per identified action, and the rows are written at
// flush with multi-row statements, so a group costs few SQLite calls per
// action.
type groupWriter struct {
	ctx    context.Context
	tx     *sql.Tx
	window int64

	clickByID, eventByUser *sql.Stmt

	accounts map[string]int64 // appid → owning account (0: unknown)
	seen     map[dedupKey]bool
	pending  []*wxads.Action // new actions, inserted at flush
	newUsers map[userRow]bool
	hourly   map[rollupKey]*counts
	daily    map[rollupKey]*counts
	ads      map[adKey]*adCounts
	sets     map[int64]bool
}

type dedupKey struct {
	set   int64
	outer string
}

type userRow struct {
	set         int64
	granularity int
	period      int64
	appid       string
	openid      string
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
		accounts: map[string]int64{}, seen: map[dedupKey]bool{}, newUsers: map[userRow]bool{},
		hourly: map[rollupKey]*counts{}, daily: map[rollupKey]*counts{},
		ads: map[adKey]*adCounts{}, sets: map[int64]bool{},
	}
	stmts := []struct {
		dst   **sql.Stmt
		query string
	}{
		{&w.clickByID, `SELECT ad_id, campaign_id FROM ad_events
			WHERE appid = ? AND click_id = ? AND click_id <> '' AND type = 'CLICK' AND time <= ? AND time >= ?
			ORDER BY time DESC, id DESC LIMIT 1`},
		{&w.eventByUser, `SELECT ad_id, campaign_id FROM ad_events
			WHERE appid = ? AND openid = ? AND type = ? AND time <= ? AND time >= ?
			ORDER BY time DESC, id DESC LIMIT 1`},
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
	for _, st := range []*sql.Stmt{w.clickByID, w.eventByUser} {
		if st != nil {
			st.Close()
		}
	}
}

// addBatch identifies, attributes and queues one request's actions; an
// action whose outer_action_id the set already holds (on disk or earlier in
// this group) is a duplicate.
func (w *groupWriter) addBatch(account int64, actions []wxads.Action) (accepted, duplicates int, err error) {
	followers, err := w.followersOf(account, actions)
	if err != nil {
		return 0, 0, err
	}
	if err := w.loadSeen(actions); err != nil {
		return 0, 0, err
	}
	for i := range actions {
		a := &actions[i]
		if a.OuterActionID != "" {
			k := dedupKey{a.SetID, a.OuterActionID}
			if w.seen[k] {
				duplicates++
				continue
			}
			w.seen[k] = true
		}
		a.Identified = followers[appOpenID{a.AppID, a.OpenID}]
		if err := w.attribute(a); err != nil {
			return 0, 0, err
		}
		w.pending = append(w.pending, a)
		w.count(account, a)
		accepted++
	}
	return accepted, duplicates, nil
}

// attribute sets the attribution fields of an identified action per SPEC
// §6.3: claim_type 0 the CLICK with its click_id, else the openid's latest
// CLICK; claim_type 1 the latest FOLLOW; same app, within the window.
func (w *groupWriter) attribute(a *wxads.Action) error {
	a.AttributedAdID, a.AttributedCampaignID = 0, 0
	if !a.Identified {
		return nil
	}
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

// count adds a new action to the in-memory rollup deltas and user sets.
func (w *groupWriter) count(account int64, a *wxads.Action) {
	var ident int64
	if a.Identified {
		ident = 1
	}
	hour, day := wxads.HourOf(a.ActionTime), wxads.DayOf(a.ActionTime)
	hk := rollupKey{a.SetID, hour, a.ActionType, a.CustomAction, a.Domain}
	dk := hk
	dk.period = day
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
	if a.Identified {
		w.newUsers[userRow{a.SetID, 0, hour, a.AppID, a.OpenID}] = true
		w.newUsers[userRow{a.SetID, 1, day, a.AppID, a.OpenID}] = true
	}
	if a.AttributedAdID != 0 {
		k := adKey{account, hour, a.AttributedAdID, a.AttributedCampaignID, a.ActionType}
		c := w.ads[k]
		if c == nil {
			c = &adCounts{}
			w.ads[k] = c
		}
		c.conversions++
		c.value += a.Value
	}
}
