package server_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/url"
	"os"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/wxads/wxads"
)

var nonceSeq atomic.Int64

// v11 calls GET /v1.1/adcreative_templates/get as tn with fresh globals; set
// overrides or (with "") removes parameters.
func (h *harness) v11(tn tenant, set map[string]string) envelope {
	h.t.Helper()
	q := url.Values{
		"access_token": {tn.Token},
		"timestamp":    {fmt.Sprint(h.clock.Now().Unix())},
		"nonce":        {fmt.Sprint("n", nonceSeq.Add(1))},
		"account_id":   {fmt.Sprint(tn.AccountID)},
	}
	for k, v := range set {
		if v == "" {
			q.Del(k)
		} else {
			q.Set(k, v)
		}
	}
	return h.do("GET", "/v1.1/adcreative_templates/get", q, nil, nil)
}

type templatePage struct {
	List     []json.RawMessage `json:"list"`
	PageInfo wxads.PageInfo    `json:"page_info"`
}

func TestV11GlobalParameters(t *testing.T) {
	h := newHarness(t)
	tn, other := h.newTenant(), h.newTenant()
	now := h.clock.Now().Unix()
	for _, c := range []struct {
		name string
		set  map[string]string
		code int
	}{
		{"ok", nil, 0},
		{"access_token missing", map[string]string{"access_token": ""}, wxads.CodeV11TokenMissing},
		{"timestamp missing", map[string]string{"timestamp": ""}, wxads.CodeV11TokenMissing},
		{"nonce missing", map[string]string{"nonce": ""}, wxads.CodeV11TokenMissing},
		{"token unknown", map[string]string{"access_token": "nope"}, wxads.CodeV11TokenInvalid},
		{"timestamp -300", map[string]string{"timestamp": fmt.Sprint(now - 300)}, 0},
		{"timestamp +300", map[string]string{"timestamp": fmt.Sprint(now + 300)}, 0},
		{"timestamp -301", map[string]string{"timestamp": fmt.Sprint(now - 301)}, wxads.CodeBadFormat},
		{"timestamp +301", map[string]string{"timestamp": fmt.Sprint(now + 301)}, wxads.CodeBadFormat},
		{"timestamp not a number", map[string]string{"timestamp": "soon"}, wxads.CodeBadFormat},
		{"nonce 32 chars", map[string]string{"nonce": strings.Repeat("z", 31) + "1"}, 0},
		{"nonce 32 CJK chars", map[string]string{"nonce": strings.Repeat("随", 32)}, 0},
		{"nonce 33 chars", map[string]string{"nonce": strings.Repeat("y", 33)}, wxads.CodeTooLong},
		{"account_id missing", map[string]string{"account_id": ""}, wxads.CodeRequired},
		{"account_id malformed", map[string]string{"account_id": "x1"}, wxads.CodeBadFormat},
		{"account_id of another advertiser", map[string]string{"account_id": fmt.Sprint(other.AccountID)}, wxads.CodeNotAccessible},
		{"account_id unknown", map[string]string{"account_id": "999999"}, wxads.CodeNotAccessible},
	} {
		t.Run(c.name, func(t *testing.T) {
			e := h.v11(tn, c.set)
			wantCode(t, e, c.code)
			if c.code != 0 && (e.Message == "" || e.MessageCN == "") {
				t.Errorf("Tencent envelope lacks message/message_cn: %s", e.Raw)
			}
		})
	}
}

func TestV11NonceReplay(t *testing.T) {
	h := newHarness(t)
	tn := h.newTenant()
	mustOK(t, h.v11(tn, map[string]string{"nonce": "once"}))
	e := h.v11(tn, map[string]string{"nonce": "once"})
	wantCode(t, e, wxads.CodeBadFormat)
	if !strings.Contains(e.Message, "nonce") {
		t.Fatalf("message %q does not name nonce", e.Message)
	}
	// The same nonce with another token is a different scope.
	tn.Token = h.token(tn.AppID, tn.Secret)
	mustOK(t, h.v11(tn, map[string]string{"nonce": "once"}))
}

func TestV11TokenStates(t *testing.T) {
	h := newHarness(t)
	tn := h.newTenant()
	old := tn.Token
	tn.Token = h.token(tn.AppID, tn.Secret)
	h.clock.Advance(301 * time.Second)
	wantCode(t, h.v11(tenant{Token: old, AccountID: tn.AccountID}, nil), wxads.CodeV11TokenInvalid)
	h.clock.Advance(7200 * time.Second)
	wantCode(t, h.v11(tn, nil), wxads.CodeV11TokenExpired)
	tn.Token = h.token(tn.AppID, tn.Secret)
	mustOK(t, h.admin("PATCH", fmt.Sprint("/admin/v1/advertisers/", tn.AccountID), map[string]any{"status": "PENDING"}))
	wantCode(t, h.v11(tn, nil), wxads.CodeAPIUnauthorized)
}

func TestV11Template69ByteForByte(t *testing.T) {
	h := newHarness(t)
	tn := h.newTenant()
	e := mustOK(t, h.v11(tn, map[string]string{"filtering": `[{"field":"adcreative_template_id","operator":"EQUALS","values":["69"]}]`}))
	p := decodeData[templatePage](t, e)
	golden, err := os.ReadFile("../adtemplate/testdata/template69.golden.json")
	if err != nil {
		t.Fatal(err)
	}
	if len(p.List) != 1 || !bytes.Equal(p.List[0], bytes.TrimSpace(golden)) {
		t.Fatalf("template 69 over HTTP differs from the golden file made from the seed:\n%.300s", e.Raw)
	}
	// And the raw response holds the golden bytes verbatim (no HTML escaping).
	if !bytes.Contains(e.Raw, bytes.TrimSpace(golden)) {
		t.Fatal("response bytes do not contain the golden template verbatim")
	}
}

func TestV11ListPagingFieldsFiltering(t *testing.T) {
	h := newHarness(t)
	tn := h.newTenant()
	all := decodeData[templatePage](t, mustOK(t, h.v11(tn, map[string]string{"page_size": "100"})))
	n := all.PageInfo.TotalNumber
	if n < 6 || len(all.List) != n || all.PageInfo.TotalPage != 1 {
		t.Fatalf("catalog listing %+v with %d items", all.PageInfo, len(all.List))
	}
	var prev int64
	for _, raw := range all.List {
		var item struct {
			ID int64 `json:"adcreative_template_id"`
		}
		json.Unmarshal(raw, &item)
		if item.ID <= prev {
			t.Fatalf("not sorted by adcreative_template_id: %d after %d", item.ID, prev)
		}
		prev = item.ID
	}
	p := decodeData[templatePage](t, mustOK(t, h.v11(tn, map[string]string{"page_size": "2", "page": "2"})))
	if len(p.List) != 2 || p.PageInfo.TotalPage != (n+1)/2 || p.PageInfo.Page != 2 {
		t.Fatalf("page 2 of 2: %+v", p.PageInfo)
	}
	p = decodeData[templatePage](t, mustOK(t, h.v11(tn, map[string]string{"fields": `["adcreative_template_id","site_set"]`})))
	var item map[string]any
	json.Unmarshal(p.List[0], &item)
	if len(item) != 2 || item["site_set"] == nil {
		t.Fatalf("fields projection: %s", p.List[0])
	}
	p = decodeData[templatePage](t, mustOK(t, h.v11(tn, map[string]string{
		"filtering": `[{"field":"site_set","operator":"EQUALS","values":["SITE_SET_MOMENTS"]}]`})))
	if p.PageInfo.TotalNumber == 0 || p.PageInfo.TotalNumber >= n {
		t.Fatalf("site_set filter kept %d of %d", p.PageInfo.TotalNumber, n)
	}
	for _, c := range []struct {
		set  map[string]string
		code int
	}{
		{map[string]string{"page": "0"}, wxads.CodeTooSmall},
		{map[string]string{"page": "100000"}, wxads.CodeTooBig},
		{map[string]string{"page_size": "101"}, wxads.CodeTooBig},
		{map[string]string{"fields": `["nope"]`}, wxads.CodeNotInEnum},
		{map[string]string{"filtering": `[{"field":"site_set","operator":"IN","values":["SITE_SET_MOMENTS"]}]`}, wxads.CodeNotInEnum},
		{map[string]string{"filtering": `[{"field":"site_set","operator":"EQUALS","values":["SITE_SET_MARS"]}]`}, wxads.CodeNotInEnum},
		{map[string]string{"filtering": `[]`}, wxads.CodeTooFew},
		{map[string]string{"filtering": `{`}, wxads.CodeBadFormat},
	} {
		wantCode(t, h.v11(tn, c.set), c.code)
	}
}

func TestCatalogReplaceAndValidate(t *testing.T) {
	h := newHarness(t)
	tn := h.newTenant()
	wantCode(t, h.admin("PUT", "/admin/v1/adcreative_templates", `[{"adcreative_template_id":69}]`), wxads.CodeRequired)
	wantCode(t, h.admin("PUT", "/admin/v1/adcreative_templates", `{}`), wxads.CodeBadJSON)
	// The refused catalogs changed nothing.
	before := decodeData[templatePage](t, mustOK(t, h.v11(tn, nil))).PageInfo.TotalNumber
	if before < 6 {
		t.Fatalf("default catalog has %d templates", before)
	}
	golden, _ := os.ReadFile("../adtemplate/testdata/template69.golden.json")
	mustOK(t, h.admin("PUT", "/admin/v1/adcreative_templates", "["+string(bytes.TrimSpace(golden))+"]"))
	after := decodeData[templatePage](t, mustOK(t, h.v11(tn, nil)))
	if after.PageInfo.TotalNumber != 1 {
		t.Fatalf("replaced catalog lists %d templates", after.PageInfo.TotalNumber)
	}

	validate := func(body string) envelope {
		return h.api(tn, "POST", "/ext/v1/adcreative_templates/validate", nil, body)
	}
	wantCode(t, validate(`{"adcreative_elements":{}}`), wxads.CodeRequired)
	wantCode(t, validate(`{"adcreative_template_id":69}`), wxads.CodeRequired)
	wantCode(t, validate(`{"adcreative_template_id":"311","adcreative_elements":{}}`), wxads.CodeNotAccessible)
	e := mustOK(t, validate(`{"adcreative_template_id":"69","adcreative_elements":{}}`))
	v := decodeData[struct {
		Violations []struct{ Element, Rule, Message string }
	}](t, e)
	if len(v.Violations) == 0 {
		t.Fatalf("empty creative for template 69 has no violations: %s", e.Data)
	}
	for _, viol := range v.Violations {
		if viol.Rule == "" || viol.Message == "" {
			t.Fatalf("violation without rule or message: %+v", viol)
		}
	}
}

// The replay window follows the platform clock: 600 s later the same nonce
// (with a fresh timestamp) is accepted again.
func TestV11NonceWindowFollowsPlatformClock(t *testing.T) {
	h := newHarness(t)
	tn := h.newTenant()
	mustOK(t, h.v11(tn, map[string]string{"nonce": "again"}))
	h.clock.Advance(599 * time.Second)
	wantCode(t, h.v11(tn, map[string]string{"nonce": "again"}), wxads.CodeBadFormat)
	h.clock.Advance(2 * time.Second)
	mustOK(t, h.v11(tn, map[string]string{"nonce": "again"}))
}

func TestV11AccountIDNotPositive(t *testing.T) {
	h := newHarness(t)
	tn := h.newTenant()
	for _, id := range []string{"0", "-1"} {
		wantCode(t, h.v11(tn, map[string]string{"account_id": id}), wxads.CodeNotAccessible)
	}
	e := h.do("GET", "/v1.1/nope", nil, nil, nil)
	if e.Status != 404 || !strings.Contains(e.Message, "/v1.1/nope") || !strings.Contains(e.MessageCN, "/v1.1/nope") {
		t.Fatalf("unknown v1.1 path: HTTP %d %s", e.Status, e.Raw)
	}
}
