package ingest

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/wxads/wxads"
)

const (
	hex32 = "0123456789abcdef0123456789abcdef"
	hex64 = hex32 + hex32
)

// v3Body is a v3.0 body of one action, members as raw JSON.
func v3Body(members string) string {
	return `{"account_id":1,"user_action_set_id":7,"actions":[{` + members + `}]}`
}

func TestV3Shape(t *testing.T) {
	ok := `"action_time":1699999900,"action_type":"PURCHASE",`
	for _, tc := range []struct {
		name, members string
		code          int
		param         string
	}{
		{"device id", ok + `"user_id":{"hash_imei":"` + hex32 + `"}`, 0, ""},
		{"phone", ok + `"user_id":{"sha256_phone":"` + hex64 + `","hash_phone":"` + strings.ToUpper(hex32) + `"}`, 0, ""},
		{"click id only", ok + `"trace":{"click_id":"c1"}`, 0, ""},
		{"set id in action ignored", ok + `"user_action_set_id":"x","user_id":{"caid":"c","caid_version":"v1"}`, 0, ""},
		{"param without source", ok + `"user_id":{"hash_oaid":"` + hex32 + `"},"action_param":{"value":100}`, 0, ""},
		{"product and channel", ok + `"user_id":{"hash_idfa":"` + hex32 + `"},"product_inform":{"content_type":"EC"},"channel":"CHANNEL_NATURAL"`, 0, ""},
		{"custom 128", `"action_time":1699999900,"action_type":"CUSTOM","custom_action":"` + strings.Repeat("c", 128) + `","trace":{"click_id":"c"}`, 0, ""},
		{"custom 129", `"action_time":1699999900,"action_type":"CUSTOM","custom_action":"` + strings.Repeat("c", 129) + `","trace":{"click_id":"c"}`, wxads.CodeTooLong, "actions[0].custom_action"},
		{"no user id", ok + `"user_id":{}`, wxads.CodeRequired, "actions[0].user_id"},
		{"no action_time", `"action_type":"PURCHASE","trace":{"click_id":"c"}`, wxads.CodeRequired, "actions[0].action_time"},
		{"WeChat-only type", ok[:len(ok)-len(`"PURCHASE",`)] + `"BOGUS","trace":{"click_id":"c"}`, wxads.CodeNotInEnum, "actions[0].action_type"},
		{"short hash", ok + `"user_id":{"hash_imei":"abc"}`, wxads.CodeBadFormat, "actions[0].user_id.hash_imei"},
		{"not hex", ok + `"user_id":{"md5_sha256_idfa":"` + strings.Repeat("z", 64) + `"}`, wxads.CodeBadFormat, "actions[0].user_id.md5_sha256_idfa"},
		{"md5 where sha256", ok + `"user_id":{"sha256_phone":"` + hex32 + `"}`, wxads.CodeBadFormat, "actions[0].user_id.sha256_phone"},
		{"long openid", ok + `"user_id":{"wechat_app_id":"wx1","wechat_openid":"` + strings.Repeat("o", 65) + `"}`, wxads.CodeTooLong, "actions[0].user_id.wechat_openid"},
		{"empty unionid", ok + `"user_id":{"wechat_unionid":""}`, wxads.CodeEmptyString, "actions[0].user_id.wechat_unionid"},
		{"id not string", ok + `"user_id":{"hash_imei":1}`, wxads.CodeWrongType, "actions[0].user_id.hash_imei"},
		{"caid_version negative", ok + `"user_id":{"caid":"c","caid_version":-1}`, wxads.CodeWrongType, "actions[0].user_id.caid_version"},
		{"caid_version fraction", ok + `"user_id":{"caid":"c","caid_version":1.5}`, wxads.CodeWrongType, "actions[0].user_id.caid_version"},
		{"product not object", ok + `"trace":{"click_id":"c"},"product_inform":"x"`, wxads.CodeWrongType, "actions[0].product_inform"},
		{"channel too long", ok + `"trace":{"click_id":"c"},"channel":"` + strings.Repeat("c", 65) + `"`, wxads.CodeTooLong, "actions[0].channel"},
		{"param typing as §6.3", ok + `"trace":{"click_id":"c"},"action_param":{"value":"x"}`, wxads.CodeWrongType, "actions[0].action_param.value"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			b, err := DecodeShape([]byte(v3Body(tc.members)), testNow, V3)
			if err != nil {
				t.Fatal(err)
			}
			if tc.code == 0 {
				if len(b.Errors) != 0 || len(b.Actions) != 1 || len(b.Kinds) != 1 {
					t.Fatalf("errors %v, %d actions, kinds %v", b.Errors, len(b.Actions), b.Kinds)
				}
				if b.Actions[0].SetID != 0 || b.Actions[0].Param == nil {
					t.Fatalf("set id %d, param %q", b.Actions[0].SetID, b.Actions[0].Param)
				}
				return
			}
			if len(b.Errors) != 1 || b.Errors[0].Err.Code != tc.code || b.Errors[0].Err.Param != tc.param {
				t.Fatalf("errors %v, want %d %s", b.Errors, tc.code, tc.param)
			}
		})
	}
}

// The v3.0 user ids land where the WeChat ones do, with their kinds.
func TestV3ShapeWechatIDs(t *testing.T) {
	b, err := DecodeShape([]byte(v3Body(`"action_time":1699999900,"action_type":"REGISTER","outer_action_id":"o1",`+
		`"user_id":{"wechat_app_id":"wxabc","wechat_openid":"oX","wechat_unionid":"uX"}`)), testNow, V3)
	if err != nil || len(b.Actions) != 1 {
		t.Fatal(err, b.Errors)
	}
	a := b.Actions[0]
	if a.AppID != "wxabc" || a.OpenID != "oX" || a.OuterActionID != "o1" || string(a.Param) != "{}" {
		t.Fatalf("%+v", a)
	}
	if want := KindWechatAppID | KindOpenID | KindUnionID; b.Kinds[0] != want {
		t.Fatalf("kinds %b, want %b", b.Kinds[0], want)
	}
}

// The WeChat shape keeps its own rules: v3.0 ids and types are not enough.
func TestWeChatShapeUnchanged(t *testing.T) {
	b, err := Decode([]byte(`{"actions":[{"user_action_set_id":1,"url":"https://a.b/","action_type":"PURCHASE",`+
		`"user_id":{"hash_imei":"`+hex32+`"},"action_param":{"source":"Biz","claim_type":0}}]}`), testNow)
	if err != nil || len(b.Errors) != 1 || b.Errors[0].Err.Param != "actions[0].action_type" || b.Kinds != nil {
		t.Fatal(err, b.Errors)
	}
	if len(V3ActionTypes) != 143 {
		t.Fatalf("%d v3.0 action types, want 143", len(V3ActionTypes))
	}
}

// The v3.0 shape keeps the decoder's guarantees: the scanner's syntax
// verdict, every action accepted or failed once in order, Kinds parallel to
// Actions, Param a JSON object, and no accepted action without an id.
func FuzzDecodeV3(f *testing.F) {
	for _, body := range []string{
		v3Body(`"action_time":1699999900,"action_type":"PURCHASE","user_id":{"hash_imei":"` + hex32 + `"}`),
		v3Body(`"action_time":1699999900,"action_type":"CUSTOM","custom_action":"x","trace":{"click_id":"c"},"product_inform":{"a":[1]},"channel":"c"`),
		v3Body(`"user_id":{"wechat_unionid":null,"sha256_phone":"` + hex64 + `"},"user_id":{}`),
		`{"user_action_set_id":1,"actions":[1,{},{"user_id":{"caid":""}}]}`,
	} {
		f.Add([]byte(body))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		b, err := DecodeShape(body, testNow, V3)
		checkSyntax(t, body, err)
		if err != nil {
			return
		}
		checkIndexes(t, b)
		if len(b.Kinds) != len(b.Actions) {
			t.Fatalf("%d kinds for %d actions", len(b.Kinds), len(b.Actions))
		}
		for k, a := range b.Actions {
			if !json.Valid(a.Param) || a.Param[0] != '{' || b.Kinds[k] == 0 && a.ClickID == "" || a.SetID != 0 {
				t.Fatalf("accepted action %+v, kinds %b", a, b.Kinds[k])
			}
		}
	})
}
