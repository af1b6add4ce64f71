package ingest

import (
	"bytes"
	"encoding/json"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/wxads/wxads"
)

func FuzzDecode(f *testing.F) {
	for _, body := range []string{
		string(bodyOf(actionJSON())),
		string(benchBody(3)),
		`{"actions":[{"user_action_set_id":"1","url":"http://a.b","action_type":"CUSTOM","custom_action":"X",` +
			`"user_id":{"wechat_app_id":"a","wechat_openid":"b"},"action_param":{"source":"Web","claim_type":"0",` +
			`"d":[1,2.5e-3,-0],"s":["\u00e9\ud83d\ude00","\ud800"],"b":[true],"e":[]}}]}`,
		`{"actions":[{"action_param":{"a":1e999,"b":-0.0004,"c":9223372036854775808,"d":{"x":null}}}]}`,
		`{"actions":[]}`, `{"actions":null}`, `[]`, `{"actions":[1,"x",null,[],{}]}`, "{\"actions\":[\"\xff\"]}",
	} {
		f.Add([]byte(body))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		b, err := Decode(body, testNow)
		checkSyntax(t, body, err)
		if err != nil {
			e, ok := err.(*wxads.Error)
			if !ok || !emitted(e.Code) || len(b.Actions)+len(b.Errors) != 0 {
				t.Fatalf("body error %#v with %d actions", err, len(b.Actions))
			}
			return
		}
		checkIndexes(t, b)
		for _, a := range b.Actions {
			checkRoundTrip(t, a)
		}
	})
}

// checkSyntax compares the scanner's verdict with encoding/json's.
func checkSyntax(t *testing.T, body []byte, err error) {
	if bytes.Count(body, []byte("["))+bytes.Count(body, []byte("{")) > maxDepth/2 {
		return // the depth limits count from different levels
	}
	trimmed := bytes.TrimLeft(body, " \t\r\n")
	object := json.Valid(body) && trimmed[0] == '{'
	if bad := wxads.ErrorCode(err) == wxads.CodeBadJSON; bad == object {
		t.Fatalf("JSON object: %v, but Decode gave %v", object, err)
	}
}

func emitted(code int) bool { return code != 0 && slices.Contains(wxads.EmittedCodes, code) }

// checkIndexes checks that every action is either accepted or has one error
// naming it, in order.
func checkIndexes(t *testing.T, b Batch) {
	if len(b.Indexes) != len(b.Actions) {
		t.Fatalf("%d indexes for %d actions", len(b.Indexes), len(b.Actions))
	}
	var all []int
	for _, e := range b.Errors {
		prefix := "actions[" + strconv.Itoa(e.Index) + "]"
		if e.Err == nil || !emitted(e.Err.Code) || !strings.HasPrefix(e.Err.Param, prefix) {
			t.Fatalf("action %d: bad error %#v", e.Index, e.Err)
		}
		all = append(all, e.Index)
	}
	all = append(all, b.Indexes...)
	slices.Sort(all)
	for i, n := range all {
		if i != n || !slices.IsSorted(b.Indexes) {
			t.Fatalf("indexes %v and errors %v do not cover 0..n-1 in order", b.Indexes, b.Errors)
		}
	}
}

// checkRoundTrip decodes a body built from the normalized action and
// expects the same action back.
func checkRoundTrip(t *testing.T, a wxads.Action) {
	if !json.Valid(a.Param) || a.Param[0] != '{' {
		t.Fatalf("Param not a JSON object: %q", a.Param)
	}
	q := func(s string) string {
		b, _ := json.Marshal(s)
		return string(b)
	}
	var raw strings.Builder
	raw.WriteString(`{"user_action_set_id":` + strconv.FormatInt(a.SetID, 10) + `,"url":` + q(a.URL) +
		`,"action_time":` + strconv.FormatInt(a.ActionTime, 10) + `,"action_type":` + q(a.ActionType) +
		`,"user_id":{"wechat_app_id":` + q(a.AppID) + `,"wechat_openid":` + q(a.OpenID) + `}`)
	if a.CustomAction != "" {
		raw.WriteString(`,"custom_action":` + q(a.CustomAction))
	}
	if a.ClickID != "" {
		raw.WriteString(`,"trace":{"click_id":` + q(a.ClickID) + `}`)
	}
	if a.OuterActionID != "" {
		raw.WriteString(`,"outer_action_id":` + q(a.OuterActionID))
	}
	raw.WriteString(`,"action_param":` + string(a.Param) + `}`)
	again, err := mustDecodeOne(t, raw.String())
	if err != nil {
		t.Fatalf("normalized action rejected: %v\n%s", err, raw.String())
	}
	if !reflect.DeepEqual(a, again) {
		t.Fatalf("round trip changed the action:\n%+v\n%+v", a, again)
	}
}
