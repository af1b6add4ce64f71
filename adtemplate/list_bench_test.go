package adtemplate

import (
	"net/url"
	"testing"
)

// BenchmarkList measures v1.1 adcreative_templates/get's work after
// authentication: parsing the query and filtering, paging and projecting
// the default catalog.
//
//	go test -run '^$' -bench List -benchmem ./adtemplate/
func BenchmarkList(b *testing.B) {
	c := Default()
	for _, tc := range []struct{ name, filtering, fields string }{
		{"all", "", ""},
		{"by-id", `[{"field":"adcreative_template_id","operator":"EQUALS","values":[69]}]`, ""},
		{"by-id-fields", `[{"field":"adcreative_template_id","operator":"EQUALS","values":[69]}]`, `["ad_attributes"]`},
	} {
		params := url.Values{}
		if tc.filtering != "" {
			params.Set("filtering", tc.filtering)
		}
		if tc.fields != "" {
			params.Set("fields", tc.fields)
		}
		b.Run(tc.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				q, err := ParseQuery(params)
				if err != nil {
					b.Fatal(err)
				}
				if items, _ := c.List(q); len(items) == 0 {
					b.Fatal("no templates")
				}
			}
		})
	}
}
