package ingest

import (
	"strings"
	"testing"

	"github.com/wxads/wxads"
)

// testNow is the platform clock of the tests.
const testNow = 1_700_000_000

// member is one member of a test action: its key and raw JSON value.
type member struct{ key, raw string }

// baseAction is a valid action; tests replace or drop its members.
var baseAction = []member{
	{"user_action_set_id", `1234`},
	{"url", `"https://shop.example.com/order?id=1"`},
	{"action_time", `1699999900`},
	{"action_type", `"COMPLETE_ORDER"`},
	{"user_id", `{"wechat_app_id":"wx1234567890abcdef","wechat_openid":"oAbCdEfGhIjKlMnOpQrStUvWxYz0"}`},
	{"trace", `{"click_id":"click_1"}`},
	{"outer_action_id", `"order_1"`},
	{"action_param", `{"source":"Biz","claim_type":1,"value":4000}`},
}

// omit as a replacement value drops the member.
const omit = "<omit>"

// actionJSON is baseAction with the members named in set replaced (or
// dropped, or appended when baseAction lacks them).
func actionJSON(set ...member) string {
	ms := append([]member(nil), baseAction...)
	for _, m := range set {
		found := false
		for i := range ms {
			if ms[i].key == m.key {
				ms[i].raw, found = m.raw, true
			}
		}
		if !found {
			ms = append(ms, m)
		}
	}
	var b strings.Builder
	b.WriteByte('{')
	for _, m := range ms {
		if m.raw == omit {
			continue
		}
		if b.Len() > 1 {
			b.WriteByte(',')
		}
		b.WriteString(`"` + m.key + `":` + m.raw)
	}
	b.WriteByte('}')
	return b.String()
}

// bodyOf wraps raw action objects in a request body.
func bodyOf(actions ...string) []byte {
	return []byte(`{"actions":[` + strings.Join(actions, ",") + `]}`)
}

// mustDecodeOne decodes a one-action body that must not fail as a whole and
// returns the action or its error.
func mustDecodeOne(tb testing.TB, action string) (wxads.Action, *wxads.Error) {
	tb.Helper()
	b, err := Decode(bodyOf(action), testNow)
	if err != nil {
		tb.Fatalf("Decode(%s): body error %v", action, err)
	}
	switch {
	case len(b.Errors) == 1 && len(b.Actions) == 0:
		if b.Errors[0].Index != 0 {
			tb.Fatalf("error index %d, want 0", b.Errors[0].Index)
		}
		return wxads.Action{}, b.Errors[0].Err
	case len(b.Actions) == 1 && len(b.Errors) == 0:
		if len(b.Indexes) != 1 || b.Indexes[0] != 0 {
			tb.Fatalf("Indexes %v, want [0]", b.Indexes)
		}
		return b.Actions[0], nil
	}
	tb.Fatalf("Decode(%s): %d actions, %d errors", action, len(b.Actions), len(b.Errors))
	return wxads.Action{}, nil
}

// ruleCase is one input of a field rule and the error it must give: code 0
// means valid; path is relative to "actions[0].".
type ruleCase struct {
	name string
	set  []member
	code int
	path string
}

func runRules(t *testing.T, cases []ruleCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := mustDecodeOne(t, actionJSON(tc.set...))
			switch {
			case tc.code == 0 && err != nil:
				t.Fatalf("got %v, want valid", err)
			case tc.code == 0:
			case err == nil:
				t.Fatalf("valid, want errcode %d (%s)", tc.code, tc.path)
			case err.Code != tc.code || err.Param != "actions[0]."+tc.path:
				t.Fatalf("got %d %q, want %d %q", err.Code, err.Param, tc.code, "actions[0]."+tc.path)
			}
		})
	}
}

func m(key, raw string) member { return member{key, raw} }
