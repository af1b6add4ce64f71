package postgres

import (
	"cmp"
	"context"
	"math"
	"slices"

	"github.com/jackc/pgx/v5"

	"github.com/wxads/wxads"
	"github.com/wxads/wxads/internal/groupcommit"
	"github.com/wxads/wxads/internal/rollup"
)

// groupWriter writes one group commit of actions already identified and
// attributed (identify.go). Several nodes write groups at once, so dedup is
// decided by the database: the group's dedup keys are inserted into
// action_keys with ON CONFLICT DO NOTHING RETURNING, and only the actions
// whose key came back (or that have none) are stored and rolled up, in the
// same transaction. A concurrent transaction inserting the same key waits
// for this one and then finds it held.
type groupWriter struct {
	ctx context.Context
	tx  pgx.Tx

	pending  []*wxads.Action // new actions, inserted at flush
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

type adKey struct {
	account, period, ad, campaign int64
	actionType                    string
}

type adCounts struct{ conversions, value int64 }

// writeGroup runs one attempt of a group's transaction; results are set on
// the requests only by the attempt that commits (commitGroup).
func (db *DB) writeGroup(ctx context.Context, tx pgx.Tx, group []*groupcommit.Request) ([]wxads.IngestResult, error) {
	w := &groupWriter{
		ctx: ctx, tx: tx, newUsers: map[userRow]bool{},
		rollups: rollup.NewDeltas(),
		ads:     map[adKey]*adCounts{}, sets: map[int64]bool{},
	}
	fresh, err := w.claimKeys(group)
	if err != nil {
		return nil, err
	}
	res := make([]wxads.IngestResult, len(group))
	for i, r := range group {
		for j := range r.Actions {
			a := &r.Actions[j]
			a.Duplicate = false
			if a.OuterActionID != "" {
				k := dedupKey{a.SetID, a.OuterActionID}
				if !fresh[k] {
					a.Duplicate = true
					res[i].Duplicates++
					continue
				}
				delete(fresh, k) // a repeat later in the group is a duplicate
			}
			w.pending = append(w.pending, a)
			w.count(r.AccountID, a)
			res[i].Accepted++
		}
	}
	if err := db.bulk(ctx, tx, w.pending); err != nil {
		return nil, err
	}
	return res, w.flush()
}

// claimKeys inserts the group's distinct dedup keys, in sorted order so that
// two nodes claiming overlapping keys lock them in the same order, and
// returns those this transaction inserted.
func (w *groupWriter) claimKeys(group []*groupcommit.Request) (map[dedupKey]bool, error) {
	keys := map[dedupKey]bool{}
	for _, r := range group {
		for j := range r.Actions {
			if a := &r.Actions[j]; a.OuterActionID != "" {
				keys[dedupKey{a.SetID, a.OuterActionID}] = true
			}
		}
	}
	fresh := map[dedupKey]bool{}
	if len(keys) == 0 {
		return fresh, nil
	}
	sorted := make([]dedupKey, 0, len(keys))
	for k := range keys {
		sorted = append(sorted, k)
	}
	slices.SortFunc(sorted, func(a, b dedupKey) int {
		return cmp.Or(cmp.Compare(a.set, b.set), cmp.Compare(a.outer, b.outer))
	})
	sets, outers := make([]int64, len(sorted)), make([]string, len(sorted))
	for i, k := range sorted {
		sets[i], outers[i] = k.set, k.outer
	}
	rows, err := w.tx.Query(w.ctx, `INSERT INTO action_keys (set_id, outer_action_id)
		SELECT * FROM unnest($1::bigint[], $2::text[]) ON CONFLICT DO NOTHING RETURNING set_id, outer_action_id`,
		sets, outers)
	if err != nil {
		return nil, err
	}
	var k dedupKey
	_, err = pgx.ForEachRow(rows, []any{&k.set, &k.outer}, func() error {
		fresh[k] = true
		return nil
	})
	return fresh, err
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

// addSat adds two non-negative sums, saturating at math.MaxInt64 (as the
// SQLite backend does: a report shows the ceiling, the ingest never fails).
func addSat(a, b int64) int64 {
	if b > math.MaxInt64-a {
		return math.MaxInt64
	}
	return a + b
}

// userOf is an identified action's user as rollup_users keeps it: (appid,
// openid) for a follower, ("", "hash_oaid:<hex>") for an action identified
// by a device id — the same key as sqlite/groupwriter.go's.
func userOf(a *wxads.Action) (appid, openid string) {
	if !a.ByFollower() {
		return "", a.IdentifiedBy
	}
	return a.AppID, a.UserOpenID() // a unionid's follower counts as that follower
}
