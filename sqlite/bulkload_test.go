package sqlite

import (
	"context"
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/wxads/wxads"
)

// TestBulkLoadMatchesIngest stores the same random actions through Ingest
// (batches of 1–50) and through BulkLoad (several transactions) and checks
// that every table Ingest writes ends up identical.
func TestBulkLoadMatchesIngest(t *testing.T) {
	defer func(n int) { bulkTxActions = n }(bulkTxActions)
	bulkTxActions = 700

	const now = 1795000000
	rng := rand.New(rand.NewPCG(7, 7))
	openids := make([]string, 60)
	for i := range openids {
		openids[i] = fmt.Sprintf("o%027d", i)
	}
	var events []wxads.AdEvent
	for i := range 200 {
		typ := wxads.EventClick
		if i%3 == 0 {
			typ = wxads.EventFollow
		}
		events = append(events, wxads.AdEvent{Type: typ, AppID: "wx0000000000000001", OpenID: openids[rng.IntN(40)],
			AdID: int64(100 + i%7), CampaignID: int64(10 + i%3), ClickID: fmt.Sprint("c", i%50),
			Time: now - rng.Int64N(20*86400)})
	}
	var actions []wxads.Action
	domains := []string{"a.example", "b.example", "c.example"}
	types := [][2]string{{wxads.ActionCompleteOrder, ""}, {wxads.ActionRegister, ""}, {wxads.ActionCustom, "x"},
		{wxads.ActionCustom, "y"}}
	for range 3000 {
		typ := types[rng.IntN(len(types))]
		d := domains[rng.IntN(len(domains))]
		a := wxads.Action{SetID: int64(1 + rng.IntN(2)), URL: "https://" + d + "/", Domain: d,
			ActionTime: now - rng.Int64N(30*86400), ActionType: typ[0], CustomAction: typ[1],
			AppID: "wx0000000000000001", OpenID: openids[rng.IntN(len(openids))], ClaimType: rng.IntN(2),
			Value: rng.Int64N(1000), ReceivedTime: now, Param: []byte(`{"source":"Web","claim_type":0}`)}
		switch rng.IntN(10) {
		case 0:
			a.AppID = "wx0000000000000002" // another advertiser's app
		case 1:
			a.ClickID = fmt.Sprint("c", rng.IntN(60))
		}
		if rng.IntN(4) > 0 {
			a.OuterActionID = fmt.Sprint("k", rng.IntN(2000))
		}
		actions = append(actions, a)
	}

	ctx := context.Background()
	ingested, bulk := bulkFixture(t, events), bulkFixture(t, events)
	var want wxads.IngestResult
	for rest := slices.Clone(actions); len(rest) > 0; {
		n := min(len(rest), 1+rng.IntN(50))
		res, err := ingested.Ingest(ctx, 1, rest[:n])
		if err != nil {
			t.Fatal(err)
		}
		want.Accepted += res.Accepted
		want.Duplicates += res.Duplicates
		rest = rest[n:]
	}
	got, err := bulk.BulkLoad(ctx, 1, func(yield func(*wxads.Action) bool) {
		for _, a := range slices.Clone(actions) {
			if !yield(&a) {
				return
			}
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	if got != want || want.Accepted == 0 || want.Duplicates == 0 {
		t.Errorf("bulk load %+v, ingest %+v", got, want)
	}
	for _, table := range []string{"actions", "rollup_types", "rollup_domains", "rollup_users", "rollup_user_counts",
		"ad_rollup", "action_sets"} {
		a, b := dumpTable(t, ingested, table), dumpTable(t, bulk, table)
		if len(a) == 0 {
			t.Errorf("%s: empty", table)
		}
		if !reflect.DeepEqual(a, b) {
			t.Errorf("%s differs: ingest %d rows, bulk %d rows", table, len(a), len(b))
			for i := range min(len(a), len(b)) {
				if a[i] != b[i] {
					t.Errorf("first difference:\ningest %s\nbulk   %s", a[i], b[i])
					break
				}
			}
		}
	}
}

// bulkFixture opens a database with advertisers 1 and 2, apps …01 and …02,
// sets 1 and 2 of advertiser 1, followers and ad events.
func bulkFixture(t *testing.T, events []wxads.AdEvent) *DB {
	t.Helper()
	db, err := Open(filepath.Join(t.TempDir(), "wxads.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	ctx := context.Background()
	for i := int64(1); i <= 2; i++ {
		if err := db.CreateAdvertiser(ctx, &wxads.Advertiser{Name: fmt.Sprint(i), Status: wxads.StatusApproved}); err != nil {
			t.Fatal(err)
		}
		appid := fmt.Sprintf("wx%016d", i)
		if err := db.CreateApp(ctx, &wxads.App{AppID: appid, AccountID: i, SecretHash: []byte{1}}); err != nil {
			t.Fatal(err)
		}
		if err := db.CreateActionSet(ctx, &wxads.ActionSet{AccountID: 1, Type: "WEB", Name: fmt.Sprint(i),
			CreatorAppID: appid}, 10); err != nil {
			t.Fatal(err)
		}
	}
	var followers []string
	for i := range 30 {
		followers = append(followers, fmt.Sprintf("o%027d", i))
	}
	if err := db.AddFollowers(ctx, "wx0000000000000001", followers, 0); err != nil {
		t.Fatal(err)
	}
	if err := db.AddFollowers(ctx, "wx0000000000000002", followers, 0); err != nil {
		t.Fatal(err)
	}
	if err := db.AddAdEvents(ctx, events, 0); err != nil {
		t.Fatal(err)
	}
	return db
}

// dumpTable returns every row of table as text, sorted.
func dumpTable(t *testing.T, db *DB, table string) []string {
	t.Helper()
	rows, err := db.read.Query(`SELECT * FROM ` + table)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for rows.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			t.Fatal(err)
		}
		var b strings.Builder
		for i, v := range vals {
			if bs, ok := v.([]byte); ok {
				v = string(bs)
			}
			fmt.Fprintf(&b, "%s=%v ", cols[i], v)
		}
		out = append(out, b.String())
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	slices.Sort(out)
	return out
}
