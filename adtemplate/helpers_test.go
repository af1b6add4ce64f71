package adtemplate

import (
	"errors"
	"net/url"
	"strconv"
	"testing"

	"github.com/wxads/wxads"
)

// mustQuery parses name, value pairs as request parameters.
func mustQuery(tb testing.TB, pairs ...string) Query {
	tb.Helper()
	params := url.Values{}
	for i := 0; i+1 < len(pairs); i += 2 {
		params.Set(pairs[i], pairs[i+1])
	}
	q, err := ParseQuery(params)
	if err != nil {
		tb.Fatalf("ParseQuery(%v): %v", params, err)
	}
	return q
}

// mustCatalog parses a catalog from JSON text.
func mustCatalog(tb testing.TB, text string) *Catalog {
	tb.Helper()
	c, err := ParseCatalog([]byte(text))
	if err != nil {
		tb.Fatalf("ParseCatalog: %v", err)
	}
	return c
}

// mustTemplate parses a catalog of one template built from elements, a JSON
// list of element objects, and returns that template.
func mustTemplate(tb testing.TB, elements string) *Template {
	tb.Helper()
	c := mustCatalog(tb, `[{"adcreative_template_id":9001,"site_set":"SITE_SET_MOMENTS",`+
		`"promoted_object_type":"PROMOTED_OBJECT_TYPE_LINK_WECHAT","adcreative_elements":`+elements+`}]`)
	t, _ := c.Get(9001)
	return t
}

// template builds a template object with the required members plus extra
// (a comma-led JSON fragment of further members).
func template(id int, siteSet, extra string) string {
	return `{"adcreative_template_id":` + strconv.Itoa(id) + `,"site_set":"` + siteSet +
		`","promoted_object_type":"PROMOTED_OBJECT_TYPE_LINK","adcreative_elements":[]` + extra + `}`
}

// platformError asserts err is a *wxads.Error with code and param.
func platformError(tb testing.TB, err error, code int, param string) {
	tb.Helper()
	var e *wxads.Error
	if !errors.As(err, &e) {
		tb.Fatalf("error %v is not a *wxads.Error", err)
	}
	if e.Code != code || e.Param != param {
		tb.Errorf("got errcode %d param %q, want %d %q", e.Code, e.Param, code, param)
	}
}
