package sqlite

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"
	"unsafe"

	"github.com/wxads/wxads"
)

// TestLookupCacheExact: a cached "not a follower" and "no ad events" last
// only until followers or ad events are added; the next upload after that
// sees them, exactly as without the cache.
func TestLookupCacheExact(t *testing.T) {
	ctx := context.Background()
	db := mustOpen(t, filepath.Join(t.TempDir(), "c.db"))
	defer db.Close()
	account, set := seedSet(t, db)
	ingest := func(outer string) wxads.Action {
		t.Helper()
		a := []wxads.Action{testAction(set, outer, "https://shop.example.com/x")}
		if _, err := db.Ingest(ctx, account, a); err != nil {
			t.Fatal(err)
		}
		return a[0]
	}
	if a := ingest("o1"); a.Identified {
		t.Fatal("identified before oA follows")
	}
	if a := ingest("o2"); a.Identified { // answered from the cache now
		t.Fatal("identified before oA follows (cached)")
	}
	if err := db.AddFollowers(ctx, "wxapp", []string{"oA"}, 1795420000); err != nil {
		t.Fatal(err)
	}
	if a := ingest("o3"); !a.Identified || a.AttributedAdID != 0 {
		t.Fatalf("after oA follows: identified %v, ad %d; want identified, no ad (no events yet)", a.Identified, a.AttributedAdID)
	}
	if err := db.AddAdEvents(ctx, []wxads.AdEvent{{Type: wxads.EventFollow, AppID: "wxapp", OpenID: "oA", AdID: 77,
		Time: 1795420700}}, 1795420700); err != nil {
		t.Fatal(err)
	}
	if a := ingest("o4"); !a.Identified || a.AttributedAdID != 77 {
		t.Fatalf("after the FOLLOW event: identified %v, ad %d; want ad 77", a.Identified, a.AttributedAdID)
	}
}

// TestLookupCacheBounded: however many distinct users are looked up, the
// cache holds at most its capacity.
func TestLookupCacheBounded(t *testing.T) {
	c := newLookupCache()
	for i := range maxFollowerEntries * 3 {
		c.storeFollower(appOpenID{"wxapp", fmt.Sprint("o", i)}, i%2 == 0, 0)
	}
	if n := len(c.followers); n > maxFollowerEntries {
		t.Fatalf("%d entries, capacity %d", n, maxFollowerEntries)
	}
	if yes, known := c.follower(appOpenID{"wxapp", fmt.Sprint("o", maxFollowerEntries*3-2)}, 0); !known || !yes {
		t.Fatalf("the latest follower: yes %v known %v", yes, known)
	}
	if _, known := c.follower(appOpenID{"wxapp", fmt.Sprint("o", maxFollowerEntries*3-1)}, 1); known {
		t.Fatal("a \"no\" from an older generation answered")
	}
}

// TestLookupCacheKeepsNoBody: an entry keeps its own copy of the openid and
// appid, not the request body they were decoded from (which would make
// every entry hold up to 1 MiB).
func TestLookupCacheKeepsNoBody(t *testing.T) {
	body := `{"appid":"wxapp","openid":"oBody0000000000000000000000a"}`
	k := appOpenID{body[10:15], body[27:55]}
	c := newLookupCache()
	c.storeFollower(k, true, 0)
	for stored := range c.followers {
		if unsafe.StringData(stored.openid) == unsafe.StringData(k.openid) ||
			unsafe.StringData(stored.appid) == unsafe.StringData(k.appid) {
			t.Fatal("the cache keeps a slice of the request body")
		}
	}
}
