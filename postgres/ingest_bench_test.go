package postgres_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/wxads/wxads"
)

// BenchmarkIngest compares the two ways a group commit can write its action
// rows — COPY and one multi-row INSERT of arrays — for request batches of
// several sizes, each a new set of outer_action_ids (so everything is
// stored and rolled up). Figures in docs/postgres.md.
//
//	WXADS_TEST_POSTGRES=postgres://postgres@127.0.0.1:5432/test?sslmode=disable \
//	  go test -run '^$' -bench Ingest -benchtime 2s ./postgres/
func BenchmarkIngest(b *testing.B) {
	for _, mode := range []string{"copy", "insert"} {
		for _, size := range []int{10, 100, 1000} {
			b.Run(fmt.Sprintf("%s/batch=%d", mode, size), func(b *testing.B) {
				db := openTestDB(b)
				db.SetMultiRowInsert(mode == "insert")
				ctx := context.Background()
				a := &wxads.Advertiser{Name: "Acme", Status: wxads.StatusApproved, CreatedTime: t0}
				if err := db.CreateAdvertiser(ctx, a); err != nil {
					b.Fatal(err)
				}
				set := &wxads.ActionSet{AccountID: a.ID, Type: "WEB", Name: "s", CreatorAppID: testApp, CreatedTime: t0}
				if err := db.CreateActionSet(ctx, set, 10); err != nil {
					b.Fatal(err)
				}
				batch := make([]wxads.Action, size)
				b.ResetTimer()
				for n := range b.N {
					for i := range batch {
						batch[i] = wxads.Action{SetID: set.ID, URL: "https://a.example/p?q=1", Domain: "a.example",
							ActionTime: t0 + int64(i), ActionType: wxads.ActionCompleteOrder, AppID: testApp,
							OpenID: openID(i), OuterActionID: fmt.Sprintf("n%d-%d", n, i),
							Param: []byte(`{"value":100,"claim_type":0}`), Value: 100, ReceivedTime: t0}
					}
					if _, err := db.Ingest(ctx, a.ID, batch); err != nil {
						b.Fatal(err)
					}
				}
				b.ReportMetric(float64(b.N*size)/b.Elapsed().Seconds(), "actions/s")
			})
		}
	}
}
