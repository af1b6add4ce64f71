package ingest

import (
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/wxads/wxads"
)

func TestBodyErrors(t *testing.T) {
	valid := actionJSON()
	many := func(n int) string { return strings.Repeat(valid+",", n-1) + valid }
	for _, tc := range []struct {
		name, body string
		code       int
		param      string
		values     []string
	}{
		{"empty", ``, wxads.CodeBadJSON, "", nil},
		{"not JSON", `actions`, wxads.CodeBadJSON, "", nil},
		{"array", `[]`, wxads.CodeBadJSON, "", nil},
		{"null", `null`, wxads.CodeBadJSON, "", nil},
		{"number", `1`, wxads.CodeBadJSON, "", nil},
		{"string", `"x"`, wxads.CodeBadJSON, "", nil},
		{"BOM", "\xef\xbb\xbf{\"actions\":[" + valid + "]}", wxads.CodeBadJSON, "", nil},
		{"truncated", `{"actions":[` + valid, wxads.CodeBadJSON, "", nil},
		{"trailing garbage", `{"actions":[` + valid + `]} x`, wxads.CodeBadJSON, "", nil},
		{"trailing NUL", "{\"actions\":[" + valid + "]}\x00", wxads.CodeBadJSON, "", nil},
		{"two values", `{"actions":[` + valid + `]}{}`, wxads.CodeBadJSON, "", nil},
		{"trailing comma", `{"actions":[` + valid + `,]}`, wxads.CodeBadJSON, "", nil},
		{"bad escape", `{"x":"\q","actions":[` + valid + `]}`, wxads.CodeBadJSON, "", nil},
		{"raw control char", "{\"x\":\"a\tb\",\"actions\":[" + valid + "]}", wxads.CodeBadJSON, "", nil},
		{"leading zero", `{"x":01,"actions":[` + valid + `]}`, wxads.CodeBadJSON, "", nil},
		{"syntax after invalid action", `{"actions":[{"url":1},{"url":tru}]}`, wxads.CodeBadJSON, "", nil},
		{"syntax past 50", `{"actions":[` + many(50) + `,{"a":}]}`, wxads.CodeBadJSON, "", nil},
		{"missing", `{}`, wxads.CodeRequired, "actions", nil},
		{"null actions", `{"actions":null}`, wxads.CodeRequired, "actions", nil},
		{"object actions", `{"actions":{}}`, wxads.CodeWrongType, "actions", []string{"array"}},
		{"string actions", `{"actions":"[]"}`, wxads.CodeWrongType, "actions", []string{"array"}},
		{"no actions", `{"actions":[]}`, wxads.CodeTooFew, "actions", []string{"1"}},
		{"51 actions", `{"actions":[` + many(51) + `]}`, wxads.CodeTooMany, "actions", []string{"50"}},
		{"last member wins", `{"actions":[` + valid + `],"actions":[]}`, wxads.CodeTooFew, "actions", []string{"1"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			b, err := Decode([]byte(tc.body), testNow)
			var e *wxads.Error
			if !errors.As(err, &e) {
				t.Fatalf("got %v (%d actions), want errcode %d", err, len(b.Actions), tc.code)
			}
			if e.Code != tc.code || e.Param != tc.param || strings.Join(e.Values, ",") != strings.Join(tc.values, ",") {
				t.Fatalf("got %d %q %v, want %d %q %v", e.Code, e.Param, e.Values, tc.code, tc.param, tc.values)
			}
		})
	}
}

func TestBodyAccepted(t *testing.T) {
	valid := actionJSON()
	for name, body := range map[string]string{
		"one":             `{"actions":[` + valid + `]}`,
		"fifty":           `{"actions":[` + strings.Repeat(valid+",", 49) + valid + `]}`,
		"unknown members": `{"x":{"y":[1,2,{"z":null}]},"actions":[` + valid + `],"version":"v1.0"}`,
		"whitespace":      " \n\t{ \"actions\" : [ " + valid + " ] }\r\n",
		"deep unknown":    `{"x":` + strings.Repeat("[", 1000) + strings.Repeat("]", 1000) + `,"actions":[` + valid + `]}`,
	} {
		b, err := Decode([]byte(body), testNow)
		if err != nil || len(b.Errors) != 0 || len(b.Actions) == 0 {
			t.Errorf("%s: %v, %d errors", name, err, len(b.Errors))
		}
	}
	deep := `{"x":` + strings.Repeat("[", maxDepth+1) + strings.Repeat("]", maxDepth+1) + `,"actions":[` + valid + `]}`
	if _, err := Decode([]byte(deep), testNow); wxads.ErrorCode(err) != wxads.CodeBadJSON {
		t.Errorf("nesting past maxDepth: %v, want 47001", err)
	}
}

func TestBatchIndexes(t *testing.T) {
	actions := make([]string, 50)
	for i := range actions {
		actions[i] = actionJSON()
	}
	actions[37] = actionJSON(m("user_id", `{"wechat_app_id":"wx1"}`))
	actions[42] = `[]`
	b, err := Decode(bodyOf(actions...), testNow)
	if err != nil {
		t.Fatal(err)
	}
	if len(b.Errors) != 2 || b.Errors[0].Index != 37 || b.Errors[1].Index != 42 {
		t.Fatalf("Errors %v, want indexes 37 and 42", b.Errors)
	}
	if e := b.Errors[0].Err; e.Code != wxads.CodeRequired || e.Param != "actions[37].user_id.wechat_openid" {
		t.Errorf("Errors[0] = %v", e)
	}
	if e := b.Errors[1].Err; e.Code != wxads.CodeWrongType || e.Param != "actions[42]" {
		t.Errorf("Errors[1] = %v", e)
	}
	if len(b.Actions) != 48 || len(b.Indexes) != 48 {
		t.Fatalf("%d actions, %d indexes, want 48", len(b.Actions), len(b.Indexes))
	}
	k := 0
	for i := range 50 {
		if i == 37 || i == 42 {
			continue
		}
		if b.Indexes[k] != i || b.Actions[k].SetID != 1234 {
			t.Fatalf("Indexes[%d] = %d, want %d", k, b.Indexes[k], i)
		}
		k++
	}
}

// TestActionFields checks every field of a decoded action.
func TestActionFields(t *testing.T) {
	a, err := mustDecodeOne(t, actionJSON(m("user_action_set_id", `"00042"`)))
	if err != nil {
		t.Fatal(err)
	}
	want := wxads.Action{
		SetID: 42, URL: "https://shop.example.com/order?id=1", Domain: "shop.example.com",
		ActionTime: 1699999900, ActionType: wxads.ActionCompleteOrder,
		AppID: "wx1234567890abcdef", OpenID: "oAbCdEfGhIjKlMnOpQrStUvWxYz0",
		ClickID: "click_1", OuterActionID: "order_1",
		Param:     []byte(`{"source":"Biz","claim_type":1,"value":4000}`),
		ClaimType: wxads.ClaimFollow, Value: 4000,
	}
	if !reflect.DeepEqual(a, want) {
		t.Errorf("got  %+v\nwant %+v", a, want)
	}
}

func TestIndexErrorString(t *testing.T) {
	e := IndexError{Index: 2, Err: wxads.Errorf(wxads.CodeRequired, "actions[2].url")}
	if got := e.Error(); !strings.Contains(got, "18001") || !strings.Contains(got, "actions[2].url") {
		t.Errorf("Error() = %q", got)
	}
}
