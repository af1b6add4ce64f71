package sqlite

import (
	"database/sql"
	"encoding/json"
	"errors"

	"github.com/wxads/wxads"
)

// Batched look-ups of one request's actions: each is one statement for many
// keys, the keys passed as a JSON array and read with json_each, every
// probe a SEARCH of a primary key or unique index (lookup_test.go checks).
const (
	qAppOwner  = `SELECT account_id FROM apps WHERE appid = ?`
	qFollowers = `SELECT openid FROM followers
		WHERE appid = ? AND openid IN (SELECT value FROM json_each(?))`
	qExistingKeys = `SELECT outer_action_id FROM actions
		WHERE set_id = ? AND outer_action_id IN (SELECT value FROM json_each(?))`
)

type appOpenID struct{ appid, openid string }

// followersOf returns which (appid, openid) of the actions identify: the app
// belongs to account and the openid is its follower right now.
func (w *groupWriter) followersOf(account int64, actions []wxads.Action) (map[appOpenID]bool, error) {
	byApp := map[string][]string{}
	for i := range actions {
		a := &actions[i]
		owner, ok := w.accounts[a.AppID]
		if !ok {
			st, err := w.stmt(qAppOwner)
			if err != nil {
				return nil, err
			}
			err = st.QueryRowContext(w.ctx, a.AppID).Scan(&owner)
			if err != nil && !errors.Is(err, sql.ErrNoRows) {
				return nil, err
			}
			w.accounts[a.AppID] = owner
		}
		if owner == account {
			byApp[a.AppID] = append(byApp[a.AppID], a.OpenID)
		}
	}
	known := map[appOpenID]bool{}
	for appid, openids := range byApp {
		list, err := w.strings(qFollowers, appid, openids)
		if err != nil {
			return nil, err
		}
		for _, o := range list {
			known[appOpenID{appid, o}] = true
		}
	}
	return known, nil
}

// loadSeen marks the actions' dedup keys that their sets already hold.
func (w *groupWriter) loadSeen(actions []wxads.Action) error {
	bySet := map[int64][]string{}
	for i := range actions {
		a := &actions[i]
		if a.OuterActionID != "" && !w.seen[dedupKey{a.SetID, a.OuterActionID}] {
			bySet[a.SetID] = append(bySet[a.SetID], a.OuterActionID)
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
	list, err := json.Marshal(keys)
	if err != nil {
		return nil, err
	}
	st, err := w.stmt(query)
	if err != nil {
		return nil, err
	}
	rows, err := st.QueryContext(w.ctx, first, string(list))
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
