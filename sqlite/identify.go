package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"strings"

	"github.com/wxads/wxads"
)

// identifier identifies and attributes a request's actions on the read
// side, before they reach the single writer: the look-ups run in the
// request's goroutine on the reader pool, in parallel with the writer's
// commits. "Known to the platform at that moment" (SPEC §6.3) is the moment
// the request is handled: what committed before it counts.
type identifier struct {
	ctx     context.Context
	db      *DB
	account int64
}

// Read-side statements, prepared once on the reader pool.
var readQueries = []string{qAppOwner, qFollowers, qFollower, qAttributeClickID, qAttributeUserClick, qAttributeUserFollow,
	qDeviceIDs, qAttributeAccountClickID, qAttributeDeviceClick, qAttributeDeviceFollow, qAccountHasEvents,
	qFollowersByUnionID}

type appOpenID struct{ appid, openid string }

// identify sets Identified and the attribution fields of every action: an
// action is identified when its wechat_app_id is an app of account and the
// openid a follower of that app, or else (v3.0, SPEC §11) when its
// wechat_unionid is held by a follower of that app (unionid.go), or else
// when one of its device ids was carried by an ad event of account (devices.go);
// identified actions are attributed per claim_type (attribute.go).
func (db *DB) identify(ctx context.Context, account int64, actions []wxads.Action) error {
	id := &identifier{ctx: ctx, db: db, account: account}
	followers, err := id.followersOf(account, actions)
	if err != nil {
		return err
	}
	all := make([]*wxads.Action, len(actions))
	for i := range actions {
		a := &actions[i]
		a.Identified = followers[appOpenID{a.AppID, a.OpenID}]
		a.IdentifiedBy, a.FollowerOpenID = "", ""
		all[i] = a
	}
	if err := id.byUnionID(all); err != nil {
		return err
	}
	// Without any ad event of the advertiser, no device id can identify
	// and nothing can be attributed: skip those look-ups (lookupcache.go).
	if has, err := db.hasEvents(ctx, account); err != nil {
		return err
	} else if !has {
		noAttribution(all)
		return nil
	}
	if err := id.byDevice(all); err != nil {
		return err
	}
	return id.attribute(all)
}

// followersOf returns which (appid, openid) of the actions identify.
func (id *identifier) followersOf(account int64, actions []wxads.Action) (map[appOpenID]bool, error) {
	byApp := map[string][]string{}
	owners := map[string]int64{}
	for i := range actions {
		a := &actions[i]
		if a.AppID == "" || a.OpenID == "" {
			continue // a v3.0 action without an openid: nothing to look up here (unionid.go)
		}
		owner, ok := owners[a.AppID]
		if !ok {
			var err error
			if owner, err = id.owner(a.AppID); err != nil {
				return nil, err
			}
			owners[a.AppID] = owner
		}
		if owner == account {
			byApp[a.AppID] = append(byApp[a.AppID], a.OpenID)
		}
	}
	// Ask the store only about what the cache cannot answer (lookupcache.go).
	cache := id.db.lookups
	gen := cache.gen.Load()
	known := map[appOpenID]bool{}
	for appid, openids := range byApp {
		var ask []string
		for _, o := range openids {
			k := appOpenID{appid, o}
			if yes, ok := cache.follower(k, gen); ok {
				known[k] = yes
			} else {
				ask = append(ask, o)
			}
		}
		if len(ask) == 0 {
			continue
		}
		list, err := id.followers(appid, ask)
		if err != nil {
			return nil, err
		}
		for _, o := range list {
			known[appOpenID{appid, o}] = true
		}
		for _, o := range ask {
			k := appOpenID{appid, o}
			cache.storeFollower(k, known[k], gen)
		}
	}
	return known, nil
}

// followers returns which of openids follow appid: a point look-up for one
// (most uploads carry one action; the JSON list and json_each cost more
// than the search itself), one listed look-up for several.
func (id *identifier) followers(appid string, openids []string) ([]string, error) {
	if len(openids) > 1 {
		return queryStrings(id.ctx, id.db.readStmts[qFollowers], appid, openids)
	}
	var one int
	err := id.db.readStmts[qFollower].QueryRowContext(id.ctx, appid, openids[0]).Scan(&one)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return nil, nil
	case err != nil:
		return nil, err
	}
	return openids, nil
}

// owner returns the account owning appid, 0 for an unknown app. An app never
// changes owner, so known owners are cached for the life of the DB.
func (id *identifier) owner(appid string) (int64, error) {
	if v, ok := id.db.owners.Load(appid); ok {
		return v.(int64), nil
	}
	var owner int64
	err := id.db.readStmts[qAppOwner].QueryRowContext(id.ctx, appid).Scan(&owner)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return 0, nil // not cached: the app may be created later
	case err != nil:
		return 0, err
	}
	// A clone: appid may point into a request body, which the cache would
	// otherwise keep alive for the life of the DB.
	id.db.owners.Store(strings.Clone(appid), owner)
	return owner, nil
}
