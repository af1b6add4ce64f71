package sqlite

import (
	"context"
	"database/sql"

	"github.com/wxads/wxads"
	"github.com/wxads/wxads/internal/rollup"
)

// groupWriter writes one group commit of actions already identified and
// attributed (identify.go, on the read side). It decides dedup with one
// look-up per request and set (lookup.go) and writes the rows at flush with
// multi-row statements, so the single writer spends a few SQLite calls per
// request, not per action.
type groupWriter struct {
	ctx   context.Context
	tx    *sql.Tx
	stmts map[string]*sql.Stmt

	seen     map[dedupKey]bool // held: on disk, or earlier in this group
	checked  map[dedupKey]bool // looked up on disk already (loadSeen)
	pending  []*wxads.Action   // new actions, inserted at flush
	newUsers map[userRow]bool
	rollups  *rollup.Deltas
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

func (db *DB) newGroupWriter(ctx context.Context, tx *sql.Tx) *groupWriter {
	return &groupWriter{
		ctx: ctx, tx: tx, stmts: db.stmts,
		seen: map[dedupKey]bool{}, checked: map[dedupKey]bool{}, newUsers: map[userRow]bool{},
		rollups: rollup.NewDeltas(),
		ads:     map[adKey]*adCounts{}, sets: map[int64]bool{},
	}
}

// addBatch queues one request's identified actions; an action whose
// outer_action_id the set already holds (on disk or earlier in this group)
// is a duplicate.
func (w *groupWriter) addBatch(account int64, actions []wxads.Action) (accepted, duplicates int, err error) {
	if err := w.loadSeen(actions); err != nil {
		return 0, 0, err
	}
	for i := range actions {
		a := &actions[i]
		a.Duplicate = false
		if a.OuterActionID != "" {
			k := dedupKey{a.SetID, a.OuterActionID}
			if w.seen[k] {
				a.Duplicate = true
				duplicates++
				continue
			}
			w.seen[k] = true
		}
		w.pending = append(w.pending, a)
		w.count(account, a)
		accepted++
	}
	return accepted, duplicates, nil
}

// count adds a new action to the in-memory rollup deltas and user sets.
func (w *groupWriter) count(account int64, a *wxads.Action) {
	w.rollups.Add(a)
	hour, day := wxads.HourOf(a.ActionTime), wxads.DayOf(a.ActionTime)
	w.sets[a.SetID] = true
	if a.Identified {
		appid, openid := userOf(a)
		w.newUsers[userRow{a.SetID, 0, hour, appid, openid}] = true
		w.newUsers[userRow{a.SetID, 1, day, appid, openid}] = true
	}
	if a.AttributedAdID != 0 {
		k := adKey{account, hour, a.AttributedAdID, a.AttributedCampaignID, a.ActionType}
		c := w.ads[k]
		if c == nil {
			c = &adCounts{}
			w.ads[k] = c
		}
		c.conversions++
		c.value = addSat(c.value, a.Value)
	}
}

// userOf is an identified action's user as rollup_users keeps it: (appid,
// openid) for a follower, ("", "hash_oaid:<hex>") for an action identified
// by a device id. The two never collide: a follower's appid is never "".
// postgres/groupwriter.go keeps the same key.
func userOf(a *wxads.Action) (appid, openid string) {
	if !a.ByFollower() {
		return "", a.IdentifiedBy
	}
	return a.AppID, a.UserOpenID() // a unionid's follower counts as that follower
}
