package sqlite

import (
	"context"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/wxads/wxads"
)

// lookupCache answers identification's two per-request questions without a
// query where that holds (issue 14): is (app, openid) a follower, and has
// an advertiser any ad event at all (with none, attribution and device-id
// identification have nothing to find). Both only ever become true:
// followers and ad events are never removed. So a "yes" is kept for good,
// and a "no" only until the next commit that adds followers or ad events,
// which bumps gen. A "no" is stored with the gen read before its query:
// if a commit lands between, the entry is stale at once.
//
// It is exact because this DB is the file's only writer (the data
// directory's lock) and every such commit goes through AddFollowers,
// AddFollowersWithUnionIDs or AddAdEvents. The unionid look-up
// (unionid.go) does not use this cache. Memory is bounded: at capacity an eighth of the entries,
// picked at random by map order, is dropped.
type lookupCache struct {
	gen atomic.Int64

	mu        sync.Mutex
	followers map[appOpenID]int64 // knownYes, or the gen at which it was not a follower
	events    map[int64]int64     // account → knownYes, or the gen at which it had no event
}

const (
	knownYes           = -1
	maxFollowerEntries = 1 << 16 // ≈ 6 MB with 28-byte openids
	maxEventEntries    = 1 << 14
)

func newLookupCache() *lookupCache {
	return &lookupCache{followers: map[appOpenID]int64{}, events: map[int64]int64{}}
}

// changed is called after a commit that added followers or ad events.
func (c *lookupCache) changed() { c.gen.Add(1) }

// follower answers from the cache: known is false when a query is needed.
func (c *lookupCache) follower(k appOpenID, gen int64) (yes, known bool) {
	c.mu.Lock()
	v, ok := c.followers[k]
	c.mu.Unlock()
	return v == knownYes, ok && (v == knownYes || v == gen)
}

func (c *lookupCache) storeFollower(k appOpenID, yes bool, gen int64) {
	v := gen
	if yes {
		v = knownYes
	}
	// Clones: the decoded openid and appid point into the request's body,
	// which an entry would otherwise keep alive (up to 1 MiB per entry).
	k = appOpenID{strings.Clone(k.appid), strings.Clone(k.openid)}
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.followers) >= maxFollowerEntries {
		trim(c.followers)
	}
	c.followers[k] = v
}

// trim drops an eighth of m.
func trim[K comparable](m map[K]int64) {
	n := len(m) / 8
	for k := range m {
		if n--; n < 0 {
			break
		}
		delete(m, k)
	}
}

// Whether an advertiser has any ad event, for the cache to keep.
const qAccountHasEvents = `SELECT EXISTS (SELECT 1 FROM apps AS a JOIN ad_events AS e ON e.appid = a.appid
	WHERE a.account_id = ?)`

// hasEvents reports whether account has stored any ad event.
func (db *DB) hasEvents(ctx context.Context, account int64) (bool, error) {
	c := db.lookups
	gen := c.gen.Load()
	c.mu.Lock()
	v, ok := c.events[account]
	c.mu.Unlock()
	if ok && (v == knownYes || v == gen) {
		return v == knownYes, nil
	}
	var has bool
	if err := db.readStmts[qAccountHasEvents].QueryRowContext(ctx, account).Scan(&has); err != nil {
		return false, err
	}
	if has {
		gen = knownYes
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.events) >= maxEventEntries {
		trim(c.events)
	}
	c.events[account] = gen
	return has, nil
}

// noAttribution clears what attribute would have set, for an advertiser
// without ad events.
func noAttribution(as []*wxads.Action) {
	for _, a := range as {
		a.AttributedAdID, a.AttributedCampaignID, a.AttributedEventTime = 0, 0, 0
	}
}
