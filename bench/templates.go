package bench

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/wxads/wxads/adtemplate"
)

// templateQueries are what --mode templates asks for in turn: the first
// page of everything, filters on the seed's fields, one template by id and
// a field selection, so the run covers the catalog's filtering paths.
var templateQueries = []url.Values{
	{"page_size": {"10"}},
	{"filtering": {`[{"field":"promoted_object_type","operator":"EQUALS","values":["PROMOTED_OBJECT_TYPE_LINK"]}]`}},
	{"filtering": {`[{"field":"site_set","operator":"EQUALS","values":["SITE_SET_WECHAT"]}]`}, "page_size": {"20"}},
	{"adcreative_template_id": {"69"}},
	{"fields": {`["adcreative_template_id","adcreative_template_appellation","site_set"]`}, "page_size": {"100"}},
}

// templatesURL is a GET /v1.1/adcreative_templates/get with the v1.1
// global parameters: a timestamp and a nonce fresh for every request
// (replays are refused, SPEC §8).
func (t Target) templatesURL(run int64, worker, n int) string {
	q := url.Values{}
	for k, v := range templateQueries[n%len(templateQueries)] {
		q[k] = v
	}
	q.Set("access_token", t.Token)
	q.Set("account_id", strconv.FormatInt(t.AccountID, 10))
	q.Set("timestamp", strconv.FormatInt(time.Now().Unix(), 10))
	q.Set("nonce", fmt.Sprintf("b%x-%d-%d", run, worker, n))
	return t.Base + "/v1.1/adcreative_templates/get?" + q.Encode()
}

// templatesCeiling answers GET /v1.1/adcreative_templates/get from the
// default catalog with the platform's own query parser and filter, and no
// token, timestamp or nonce check: the HTTP ceiling of --mode templates.
func templatesCeiling() http.HandlerFunc {
	cat := adtemplate.Default()
	return func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		q, err := adtemplate.ParseQuery(r.URL.Query())
		if err != nil {
			fmt.Fprint(w, `{"code":-1}`)
			return
		}
		list, info := cat.List(q)
		if list == nil {
			list = []json.RawMessage{}
		}
		enc := json.NewEncoder(w)
		enc.SetEscapeHTML(false)
		enc.Encode(map[string]any{"code": 0, "message": "", "data": map[string]any{"list": list, "page_info": info}})
	}
}
