package adtemplate

import (
	"net/url"
	"testing"

	"github.com/wxads/wxads"
	"github.com/wxads/wxads/errcode"
)

// FuzzParseQuery: filtering, fields, page and page_size of
// adcreative_templates/get are answered with a registry code or parsed
// within their bounds; nothing panics.
func FuzzParseQuery(f *testing.F) {
	f.Add(`[{"field":"adcreative_template_id","operator":"EQUALS","values":[69]}]`, `["adcreative_template_id"]`, "1", "10")
	f.Add(`[{"field":"site_set","operator":"EQUALS","values":["SITE_SET_WECHAT"]}]`, `[]`, "0", "101")
	f.Add(`[null,[],{}]`, `["nope"]`, "+1", "1e2")
	f.Add(`[{"field":"","operator":"","values":[1e400]}]`, "x", "99999999999999999999", "-1")
	f.Fuzz(func(t *testing.T, filtering, fields, page, size string) {
		q, err := ParseQuery(url.Values{"filtering": {filtering}, "fields": {fields}, "page": {page}, "page_size": {size}})
		if err != nil {
			e, ok := err.(*wxads.Error)
			if !ok || e.Code == wxads.CodeSystemBusy {
				t.Fatalf("not a platform error: %#v", err)
			}
			if en, _ := errcode.Format(e.Code, e.Args()...); en == "" {
				t.Fatalf("code %d has no message", e.Code)
			}
			return
		}
		if q.Page < 1 || q.Page > 99999 || q.PageSize < 1 || q.PageSize > 100 || len(q.Filtering) > 3 {
			t.Fatalf("out of bounds: %+v", q)
		}
	})
}
