package server_test

import (
	"encoding/json"
	"fmt"
	"net/url"
	"strings"
	"testing"

	"github.com/wxads/wxads"
)

// act builds one valid action of tn on set; mutate edits it.
func act(tn tenant, set int64, openid string, mutate ...func(map[string]any)) map[string]any {
	a := map[string]any{
		"user_action_set_id": set,
		"url":                "https://shop.example.com/p/1",
		"action_type":        "COMPLETE_ORDER",
		"user_id":            map[string]any{"wechat_app_id": tn.AppID, "wechat_openid": openid},
		"action_param":       map[string]any{"source": "Biz", "claim_type": 1, "value": 4000},
	}
	for _, m := range mutate {
		m(a)
	}
	return a
}

func outer(id string) func(map[string]any) {
	return func(a map[string]any) { a["outer_action_id"] = id }
}

func (h *harness) upload(tn tenant, q url.Values, actions ...map[string]any) envelope {
	h.t.Helper()
	if actions == nil {
		actions = []map[string]any{}
	}
	return h.api(tn, "POST", "/marketing/user_actions/add", q, map[string]any{"actions": actions})
}

type listedAction struct {
	OuterActionID  string          `json:"outer_action_id"`
	ActionParam    json.RawMessage `json:"action_param"`
	Identified     bool            `json:"identified"`
	AttributedAdID *int64          `json:"attributed_ad_id"`
	ReceivedTime   string          `json:"received_time"`
	ActionTime     int64           `json:"action_time"`
}

type listedPage struct {
	List     []listedAction `json:"list"`
	PageInfo struct {
		Page        int `json:"page"`
		PageSize    int `json:"page_size"`
		TotalNumber int `json:"total_number"`
		TotalPage   int `json:"total_page"`
	} `json:"page_info"`
}

func (h *harness) listActions(tn tenant, set int64, page, size int) listedPage {
	h.t.Helper()
	e := mustOK(h.t, h.api(tn, "GET", "/ext/v1/user_actions/get", url.Values{
		"user_action_set_id": {fmt.Sprint(set)}, "page": {fmt.Sprint(page)}, "page_size": {fmt.Sprint(size)}}, nil))
	var p listedPage
	if err := json.Unmarshal(e.Data, &p); err != nil {
		h.t.Fatal(err)
	}
	return p
}

func (h *harness) countActions(tn tenant, set int64) int {
	h.t.Helper()
	var raw struct {
		PageInfo struct {
			TotalNumber int `json:"total_number"`
		} `json:"page_info"`
	}
	e := mustOK(h.t, h.api(tn, "GET", "/ext/v1/user_actions/get", url.Values{"user_action_set_id": {fmt.Sprint(set)}}, nil))
	json.Unmarshal(e.Data, &raw)
	return raw.PageInfo.TotalNumber
}

func TestUploadSuccessIsExactlyErrcodeZero(t *testing.T) {
	h := newHarness(t)
	tn := h.newTenant()
	set := h.newSet(tn, "s")
	e := mustOK(t, h.upload(tn, nil, act(tn, set, h.followers(tn.AppID, 1)[0])))
	if string(e.Raw) != `{"errcode":0,"errmsg":""}` {
		t.Fatalf("success body = %s", e.Raw)
	}
	// The seed's example quotes the set id; a digit string is accepted.
	mustOK(t, h.upload(tn, nil, act(tn, set, "oX", func(a map[string]any) { a["user_action_set_id"] = fmt.Sprint(set) })))
	if n := h.countActions(tn, set); n != 2 {
		t.Fatalf("stored %d actions, want 2", n)
	}
}

func TestUploadBatchIsAtomic(t *testing.T) {
	h := newHarness(t)
	tn := h.newTenant()
	set := h.newSet(tn, "s")
	var batch []map[string]any
	for i := range 50 {
		batch = append(batch, act(tn, set, "oUser", outer(fmt.Sprint("a", i))))
	}
	batch[37]["url"] = "not a url"
	e := h.upload(tn, nil, batch...)
	wantCode(t, e, wxads.CodeBadFormat)
	if !strings.Contains(e.Errmsg, "actions[37].url") {
		t.Fatalf("errmsg %q does not name actions[37].url", e.Errmsg)
	}
	if n := h.countActions(tn, set); n != 0 {
		t.Fatalf("stored %d actions of a rejected batch", n)
	}
	// The same batch with partial_failure stores the 49 valid ones.
	e = mustOK(t, h.upload(tn, url.Values{"partial_failure": {"true"}}, batch...))
	res := decodeData[struct {
		Accepted, Duplicates int
		Failed               []struct {
			Index   int    `json:"index"`
			Errcode int    `json:"errcode"`
			Errmsg  string `json:"errmsg"`
		}
	}](t, e)
	if res.Accepted != 49 || res.Duplicates != 0 || len(res.Failed) != 1 || res.Failed[0].Index != 37 ||
		res.Failed[0].Errcode != wxads.CodeBadFormat {
		t.Fatalf("partial failure result %s", e.Data)
	}
	if n := h.countActions(tn, set); n != 49 {
		t.Fatalf("stored %d, want 49", n)
	}
}

func TestUploadBatchSizeLimits(t *testing.T) {
	h := newHarness(t)
	tn := h.newTenant()
	set := h.newSet(tn, "s")
	wantCode(t, h.upload(tn, nil, []map[string]any{}...), wxads.CodeTooFew)
	wantCode(t, h.api(tn, "POST", "/marketing/user_actions/add", nil, `{"actions":null}`), wxads.CodeRequired)
	var batch []map[string]any
	for range 51 {
		batch = append(batch, act(tn, set, "oUser"))
	}
	wantCode(t, h.upload(tn, nil, batch...), wxads.CodeTooMany)
	mustOK(t, h.upload(tn, nil, batch[:50]...))
}

func TestUploadDeduplicates(t *testing.T) {
	h := newHarness(t)
	tn := h.newTenant()
	set := h.newSet(tn, "s")
	other := h.newSet(tn, "other")
	q := url.Values{"partial_failure": {"true"}}
	type result struct{ Accepted, Duplicates int }
	// Within one batch: the repeat is success and counts once.
	r := decodeData[result](t, mustOK(t, h.upload(tn, q, act(tn, set, "oA", outer("o1")), act(tn, set, "oA", outer("o1")), act(tn, set, "oA"))))
	if r.Accepted != 2 || r.Duplicates != 1 {
		t.Fatalf("within batch: %+v", r)
	}
	// Across batches, also in default mode.
	mustOK(t, h.upload(tn, nil, act(tn, set, "oA", outer("o1"))))
	r = decodeData[result](t, mustOK(t, h.upload(tn, q, act(tn, set, "oA", outer("o1")), act(tn, set, "oA", outer("o2")))))
	if r.Accepted != 1 || r.Duplicates != 1 {
		t.Fatalf("across batches: %+v", r)
	}
	// The key is per set: the same id in another set is new.
	r = decodeData[result](t, mustOK(t, h.upload(tn, q, act(tn, other, "oA", outer("o1")))))
	if r.Accepted != 1 {
		t.Fatalf("other set: %+v", r)
	}
	if n := h.countActions(tn, set); n != 3 {
		t.Fatalf("set holds %d actions, want 3 (o1, o2, one without key)", n)
	}
}

func TestUploadValidateOnlyStoresNothing(t *testing.T) {
	h := newHarness(t)
	tn := h.newTenant()
	set := h.newSet(tn, "s")
	e := mustOK(t, h.upload(tn, url.Values{"validate_only": {"true"}}, act(tn, set, "oA"), act(tn, set, "oB")))
	if got := decodeData[struct{ Valid int }](t, e).Valid; got != 2 {
		t.Fatalf("valid = %d", got)
	}
	if n := h.countActions(tn, set); n != 0 {
		t.Fatalf("validate_only stored %d", n)
	}
	wantCode(t, h.upload(tn, url.Values{"validate_only": {"maybe"}}, act(tn, set, "oA")), wxads.CodeNotInEnum)
	// validate_only does not activate the set either.
	e = mustOK(t, h.api(tn, "GET", "/marketing/user_action_sets/get", url.Values{"user_action_set_id": {fmt.Sprint(set)}}, nil))
	if strings.Contains(string(e.Data), `"activate_status":true`) {
		t.Fatalf("validate_only activated the set: %s", e.Data)
	}
}

func TestUploadOtherTenantsSetIs31011(t *testing.T) {
	h := newHarness(t)
	a, b := h.newTenant(), h.newTenant()
	setB := h.newSet(b, "b")
	e := h.upload(a, nil, act(a, 1, "oA"), act(a, setB, "oA"))
	wantCode(t, e, wxads.CodeNotAccessible)
	if !strings.Contains(e.Errmsg, "actions[0].user_action_set_id") {
		// Set 1 does not exist for a either: the first bad index is named.
		t.Fatalf("errmsg %q", e.Errmsg)
	}
	e = h.upload(a, nil, act(a, setB+1000, "oA"))
	wantCode(t, e, wxads.CodeNotAccessible)
	if n := h.countActions(b, setB); n != 0 {
		t.Fatalf("b's set got %d actions from a", n)
	}
}

func TestUploadNormalizesAndIdentifies(t *testing.T) {
	h := newHarness(t)
	tn := h.newTenant()
	set := h.newSet(tn, "s")
	follower := h.followers(tn.AppID, 1)[0]
	mustOK(t, h.upload(tn, nil,
		act(tn, set, follower, outer("known"), func(a map[string]any) {
			a["action_param"] = json.RawMessage(`{"source":"Biz","claim_type":"1","price":2.6759,"ratio":1.0005,"neg":-3.14159,"tags":["a","b"],"n":[1,2.5]}`)
		}),
		act(tn, set, "oStranger", outer("unknown"))))
	p := h.listActions(tn, set, 1, 10)
	if len(p.List) != 2 {
		t.Fatalf("list %+v", p)
	}
	// Newest first: "unknown" was received last in the same batch.
	byID := map[string]listedAction{}
	for _, a := range p.List {
		byID[a.OuterActionID] = a
	}
	known := byID["known"]
	if !known.Identified || byID["unknown"].Identified {
		t.Fatalf("identified flags: %+v", p.List)
	}
	want := `{"source":"Biz","claim_type":1,"price":2.675,"ratio":1.0,"neg":-3.141,"tags":["a","b"],"n":[1.0,2.5]}`
	if string(known.ActionParam) != want {
		t.Fatalf("action_param\n got %s\nwant %s", known.ActionParam, want)
	}
	if known.AttributedAdID != nil {
		t.Fatalf("attributed without ad events: %d", *known.AttributedAdID)
	}
	if known.ReceivedTime != "2026-11-23 12:00:00" {
		t.Fatalf("received_time %q", known.ReceivedTime)
	}
}

func TestListActionsPaging(t *testing.T) {
	h := newHarness(t)
	tn := h.newTenant()
	set := h.newSet(tn, "s")
	for i := range 25 {
		mustOK(t, h.upload(tn, nil, act(tn, set, "oA", outer(fmt.Sprint("k", i)))))
	}
	for _, c := range []struct{ page, size, items, totalPage int }{
		{1, 10, 10, 3}, {3, 10, 5, 3}, {4, 10, 0, 3}, {1, 25, 25, 1}, {1, 100, 25, 1},
	} {
		p := h.listActions(tn, set, c.page, c.size)
		if len(p.List) != c.items || p.PageInfo.TotalPage != c.totalPage || p.PageInfo.TotalNumber != 25 {
			t.Errorf("page %d size %d: %d items, page_info %+v", c.page, c.size, len(p.List), p.PageInfo)
		}
	}
	if p := h.listActions(tn, set, 1, 1); p.List[0].OuterActionID != "k24" {
		t.Errorf("newest first: got %s", p.List[0].OuterActionID)
	}
	for _, c := range []struct {
		q    url.Values
		code int
	}{
		{url.Values{"page": {"0"}}, wxads.CodeTooSmall},
		{url.Values{"page_size": {"0"}}, wxads.CodeTooSmall},
		{url.Values{"page_size": {"101"}}, wxads.CodeTooBig},
		{url.Values{"page": {"x"}}, wxads.CodeWrongType},
		{url.Values{"user_action_set_id": {""}}, wxads.CodeRequired},
		{url.Values{"user_action_set_id": {"abc"}}, wxads.CodeBadFormat},
		{url.Values{"user_action_set_id": {"99999"}}, wxads.CodeNotAccessible},
	} {
		q := url.Values{"user_action_set_id": {fmt.Sprint(set)}}
		for k, v := range c.q {
			q[k] = v
		}
		wantCode(t, h.api(tn, "GET", "/ext/v1/user_actions/get", q, nil), c.code)
	}
	// An empty set has total_page 0.
	empty := h.newSet(tn, "empty")
	if p := h.listActions(tn, empty, 1, 10); p.PageInfo.TotalPage != 0 || p.PageInfo.TotalNumber != 0 {
		t.Errorf("empty set page_info %+v", p.PageInfo)
	}
}
