package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"

	"github.com/wxads/wxads"
)

// Batched look-ups of one request's actions: each is one statement for many
// keys, the keys passed as a JSON array and read with json_each, every
// probe a SEARCH of a primary key or unique index (lookup_test.go checks).
const (
	qAppOwner  = `SELECT account_id FROM apps WHERE appid = ?`
	qFollowers = `SELECT openid FROM followers
		WHERE appid = ? AND openid IN (SELECT value FROM json_each(?))`
	qFollower     = `SELECT 1 FROM followers WHERE appid = ? AND openid = ?`
	qExistingKeys = `SELECT outer_action_id FROM actions
		WHERE set_id = ? AND outer_action_id IN (SELECT value FROM json_each(?))`
)

// loadSeen marks the batches' dedup keys that their sets already hold, with
// one look-up per set for every key not checked before in this group.
// commitGroup calls it once for the whole group, so a group of 64
// one-action requests costs one look-up, not 64 (issue 14: 5.5 % of server
// CPU at 64 × 1); addBatch's own call then finds every key checked.
func (w *groupWriter) loadSeen(batches ...[]wxads.Action) error {
	bySet := map[int64][]string{}
	for _, actions := range batches {
		for i := range actions {
			a := &actions[i]
			k := dedupKey{a.SetID, a.OuterActionID}
			if a.OuterActionID != "" && !w.seen[k] && !w.checked[k] {
				w.checked[k] = true
				bySet[a.SetID] = append(bySet[a.SetID], a.OuterActionID)
			}
		}
	}
	for set, keys := range bySet {
		held, err := w.strings(qExistingKeys, set, keys)
		if err != nil {
			return err
		}
		for _, k := range held {
			w.seen[dedupKey{set, k}] = true
		}
	}
	return nil
}

// strings runs a look-up whose second argument is a list of keys.
func (w *groupWriter) strings(query string, first any, keys []string) ([]string, error) {
	st, err := w.stmt(query)
	if err != nil {
		return nil, err
	}
	return queryStrings(w.ctx, st, first, keys)
}

// queryStrings runs st with first and the keys as a JSON list, returning
// the first column of every row.
func queryStrings(ctx context.Context, st *sql.Stmt, first any, keys []string) ([]string, error) {
	list, err := json.Marshal(keys)
	if err != nil {
		return nil, err
	}
	rows, err := st.QueryContext(ctx, first, string(list))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, rows.Err()
}
