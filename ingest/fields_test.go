package ingest

import (
	"strings"
	"testing"

	"github.com/wxads/wxads"
)

func TestSetIDRule(t *testing.T) {
	const p = "user_action_set_id"
	runRules(t, []ruleCase{
		{"number", []member{m(p, `1234`)}, 0, ""},
		{"digit string", []member{m(p, `"1234"`)}, 0, ""},
		{"max int64", []member{m(p, `9223372036854775807`)}, 0, ""},
		{"missing", []member{m(p, omit)}, wxads.CodeRequired, p},
		{"null", []member{m(p, `null`)}, wxads.CodeRequired, p},
		{"empty string", []member{m(p, `""`)}, wxads.CodeEmptyString, p},
		{"zero", []member{m(p, `0`)}, wxads.CodeBadFormat, p},
		{"zero string", []member{m(p, `"0"`)}, wxads.CodeBadFormat, p},
		{"negative", []member{m(p, `-5`)}, wxads.CodeBadFormat, p},
		{"signed string", []member{m(p, `"-5"`)}, wxads.CodeBadFormat, p},
		{"letters", []member{m(p, `"12a"`)}, wxads.CodeBadFormat, p},
		{"beyond int64", []member{m(p, `9223372036854775808`)}, wxads.CodeBadFormat, p},
		{"beyond int64 string", []member{m(p, `"9223372036854775808"`)}, wxads.CodeBadFormat, p},
		{"fraction", []member{m(p, `12.5`)}, wxads.CodeWrongType, p},
		{"exponent", []member{m(p, `1e3`)}, wxads.CodeWrongType, p},
		{"bool", []member{m(p, `true`)}, wxads.CodeWrongType, p},
		{"object", []member{m(p, `{}`)}, wxads.CodeWrongType, p},
	})
}

func TestActionTimeRule(t *testing.T) {
	const p = "action_time"
	runRules(t, []ruleCase{
		{"now+10", []member{m(p, `1700000010`)}, 0, ""},
		{"now-30d", []member{m(p, `1697408000`)}, 0, ""},
		{"absent", []member{m(p, omit)}, 0, ""},
		{"null", []member{m(p, `null`)}, 0, ""},
		{"now+11", []member{m(p, `1700000011`)}, wxads.CodeTooBig, p},
		{"now-30d-1", []member{m(p, `1697407999`)}, wxads.CodeTooSmall, p},
		{"beyond int64", []member{m(p, `99999999999999999999`)}, wxads.CodeTooBig, p},
		{"below int64", []member{m(p, `-99999999999999999999`)}, wxads.CodeTooSmall, p},
		{"fraction", []member{m(p, `1699999900.5`)}, wxads.CodeWrongType, p},
		{"exponent", []member{m(p, `1.7e9`)}, wxads.CodeWrongType, p},
		{"string", []member{m(p, `"1699999900"`)}, wxads.CodeWrongType, p},
	})
	a, _ := mustDecodeOne(t, actionJSON(m(p, omit)))
	if a.ActionTime != testNow {
		t.Errorf("absent action_time = %d, want now %d", a.ActionTime, testNow)
	}
	_, err := mustDecodeOne(t, actionJSON(m(p, `1700000011`)))
	// "must be less than": the first refused second, now+11.
	if len(err.Values) != 1 || err.Values[0] != "1700000011" {
		t.Errorf("18003 values %v, want [1700000011]", err.Values)
	}
	_, err = mustDecodeOne(t, actionJSON(m(p, `1`)))
	// "must be greater than": the last refused second, now-30d-1.
	if len(err.Values) != 1 || err.Values[0] != "1697407999" {
		t.Errorf("18004 values %v, want [1697407999]", err.Values)
	}
}

func TestActionTypeRule(t *testing.T) {
	const p = "action_type"
	custom := m(p, `"CUSTOM"`)
	runRules(t, []ruleCase{
		{"reservation", []member{m(p, `"RESERVATION"`)}, 0, ""},
		{"register", []member{m(p, `"REGISTER"`)}, 0, ""},
		{"custom", []member{custom, m("custom_action", `"ADD_TO_CART"`)}, 0, ""},
		{"custom 64 bytes", []member{custom, m("custom_action", `"`+strings.Repeat("x", 64)+`"`)}, 0, ""},
		{"missing", []member{m(p, omit)}, wxads.CodeRequired, p},
		{"lower case", []member{m(p, `"register"`)}, wxads.CodeNotInEnum, p},
		{"empty", []member{m(p, `""`)}, wxads.CodeNotInEnum, p},
		{"number", []member{m(p, `1`)}, wxads.CodeNotInEnum, p},
		{"custom missing", []member{custom}, wxads.CodeRequired, "custom_action"},
		{"custom null", []member{custom, m("custom_action", `null`)}, wxads.CodeRequired, "custom_action"},
		{"custom empty", []member{custom, m("custom_action", `""`)}, wxads.CodeEmptyString, "custom_action"},
		{"custom 65 bytes", []member{custom, m("custom_action", `"`+strings.Repeat("x", 65)+`"`)}, wxads.CodeTooLong, "custom_action"},
		{"custom number", []member{custom, m("custom_action", `5`)}, wxads.CodeWrongType, "custom_action"},
		{"custom ignored", []member{m("custom_action", `5`)}, 0, ""},
	})
	_, err := mustDecodeOne(t, actionJSON(m(p, `"X"`)))
	if want := "COMPLETE_ORDER, RESERVATION, REGISTER, CUSTOM"; len(err.Values) != 1 || err.Values[0] != want {
		t.Errorf("values %v, want [%s]", err.Values, want)
	}
	a, _ := mustDecodeOne(t, actionJSON(m("custom_action", `"X"`)))
	if a.CustomAction != "" {
		t.Errorf("CustomAction %q kept for a COMPLETE_ORDER action", a.CustomAction)
	}
	a, _ = mustDecodeOne(t, `{"custom_action":"ADD","action_type":"CUSTOM",`+actionJSON(m("action_type", omit))[1:])
	if a.ActionType != wxads.ActionCustom || a.CustomAction != "ADD" {
		t.Errorf("custom_action before action_type: got %q %q", a.ActionType, a.CustomAction)
	}
}

func TestUserIDRule(t *testing.T) {
	uid := func(app, openid string) member {
		return m("user_id", `{"wechat_app_id":`+app+`,"wechat_openid":`+openid+`,"extra":[1,{}]}`)
	}
	const app, oid = "user_id.wechat_app_id", "user_id.wechat_openid"
	runRules(t, []ruleCase{
		{"valid", []member{uid(`"wx1"`, `"o1"`)}, 0, ""},
		{"other openid format", []member{uid(`"wx1"`, `"`+strings.Repeat("é", 64)+`"`)}, 0, ""},
		{"missing", []member{m("user_id", omit)}, wxads.CodeRequired, "user_id"},
		{"null", []member{m("user_id", `null`)}, wxads.CodeRequired, "user_id"},
		{"string", []member{m("user_id", `"wx1"`)}, wxads.CodeWrongType, "user_id"},
		{"empty object", []member{m("user_id", `{}`)}, wxads.CodeRequired, app},
		{"app missing", []member{m("user_id", `{"wechat_openid":"o1"}`)}, wxads.CodeRequired, app},
		{"openid missing", []member{m("user_id", `{"wechat_app_id":"wx1"}`)}, wxads.CodeRequired, oid},
		{"app number", []member{uid(`12`, `"o1"`)}, wxads.CodeWrongType, app},
		{"app empty", []member{uid(`""`, `"o1"`)}, wxads.CodeEmptyString, app},
		{"app 64", []member{uid(`"`+strings.Repeat("a", 64)+`"`, `"o1"`)}, 0, ""},
		{"app 65", []member{uid(`"`+strings.Repeat("a", 65)+`"`, `"o1"`)}, wxads.CodeTooLong, app},
		{"openid null", []member{uid(`"wx1"`, `null`)}, wxads.CodeRequired, oid},
		{"openid empty", []member{uid(`"wx1"`, `""`)}, wxads.CodeEmptyString, oid},
		{"openid 128", []member{uid(`"wx1"`, `"`+strings.Repeat("o", 128)+`"`)}, 0, ""},
		{"openid 129", []member{uid(`"wx1"`, `"`+strings.Repeat("o", 129)+`"`)}, wxads.CodeTooLong, oid},
	})
}

func TestTraceRule(t *testing.T) {
	const p = "trace.click_id"
	runRules(t, []ruleCase{
		{"absent", []member{m("trace", omit)}, 0, ""},
		{"null", []member{m("trace", `null`)}, 0, ""},
		{"empty object", []member{m("trace", `{}`)}, 0, ""},
		{"click null", []member{m("trace", `{"click_id":null}`)}, 0, ""},
		{"click empty", []member{m("trace", `{"click_id":""}`)}, 0, ""},
		{"click 64", []member{m("trace", `{"click_id":"`+strings.Repeat("c", 64)+`"}`)}, 0, ""},
		{"click 65", []member{m("trace", `{"click_id":"`+strings.Repeat("c", 65)+`"}`)}, wxads.CodeTooLong, p},
		{"click number", []member{m("trace", `{"click_id":7}`)}, wxads.CodeWrongType, p},
		{"array", []member{m("trace", `[]`)}, wxads.CodeWrongType, "trace"},
	})
	a, _ := mustDecodeOne(t, actionJSON(m("trace", `{"click_id":"c\u00e9"}`)))
	if a.ClickID != "cé" {
		t.Errorf("ClickID %q, want %q", a.ClickID, "cé")
	}
}

func TestOuterActionIDRule(t *testing.T) {
	const p = "outer_action_id"
	runRules(t, []ruleCase{
		{"absent", []member{m(p, omit)}, 0, ""},
		{"null", []member{m(p, `null`)}, 0, ""},
		{"all classes", []member{m(p, `"Az09_"`)}, 0, ""},
		{"255", []member{m(p, `"`+strings.Repeat("a", 255)+`"`)}, 0, ""},
		{"256", []member{m(p, `"`+strings.Repeat("a", 256)+`"`)}, wxads.CodeTooLong, p},
		{"empty", []member{m(p, `""`)}, wxads.CodeTooShort, p},
		{"dash", []member{m(p, `"a-b"`)}, wxads.CodeBadChars, p},
		{"space", []member{m(p, `"a b"`)}, wxads.CodeBadChars, p},
		{"non-ASCII", []member{m(p, `"é"`)}, wxads.CodeBadChars, p},
		{"number", []member{m(p, `12`)}, wxads.CodeWrongType, p},
	})
}

// TestFirstError checks that an action's error is the first in field order,
// whatever order the members came in.
func TestFirstError(t *testing.T) {
	_, err := mustDecodeOne(t, `{"action_param":5,"url":"x","user_id":{}}`)
	if err.Code != wxads.CodeRequired || err.Param != "actions[0].user_action_set_id" {
		t.Errorf("got %v", err)
	}
	_, err = mustDecodeOne(t, actionJSON(m("action_param", `{}`), m("url", `"x"`)))
	if err.Code != wxads.CodeBadFormat || err.Param != "actions[0].url" {
		t.Errorf("got %v", err)
	}
	// A repeated member replaces the earlier one.
	a, err := mustDecodeOne(t, `{"url":"x",`+actionJSON()[1:])
	if err != nil || a.URL != "https://shop.example.com/order?id=1" {
		t.Errorf("repeated url: %v %q", err, a.URL)
	}
}
