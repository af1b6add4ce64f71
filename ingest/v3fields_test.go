package ingest

import (
	"reflect"
	"strings"
	"testing"

	"github.com/wxads/wxads"
)

// TestV3KeepsFields: the v3.0 decoder keeps the user ids other than the
// WeChat app and openid (hex lower-cased, in wxads.UserIDKinds order,
// a repeated member replacing the earlier one), product_inform as compact
// JSON and channel; the WeChat shape keeps none of them.
func TestV3KeepsFields(t *testing.T) {
	ok := `"action_time":1699999900,"action_type":"PURCHASE",`
	upper := strings.ToUpper(hex32)
	for _, tc := range []struct {
		name, members string
		ids           []wxads.UserID
		product       string
		channel       string
		appid, openid string
	}{
		{"order and case", ok + `"user_id":{"caid":"C1","hash_oaid":"` + upper + `","wechat_unionid":"u1","caid_version":"v2","hash_imei":"` + hex32 + `"}`,
			[]wxads.UserID{uid("wechat_unionid", "u1"), uid("hash_imei", hex32), uid("hash_oaid", hex32), uid("caid", "C1"), uid("caid_version", "v2")}, "", "", "", ""},
		{"caid_version as a number", ok + `"user_id":{"caid":"C1","caid_version":20230330}`,
			[]wxads.UserID{uid("caid", "C1"), uid("caid_version", "20230330")}, "", "", "", ""},
		{"repeated member", ok + `"user_id":{"hash_oaid":"` + hex32 + `","hash_oaid":"` + strings.Repeat("f", 32) + `"}`,
			[]wxads.UserID{uid("hash_oaid", strings.Repeat("f", 32))}, "", "", "", ""},
		{"repeated user_id", ok + `"user_id":{"hash_oaid":"` + hex32 + `"},"user_id":{"sha256_phone":"` + strings.ToUpper(hex64) + `"}`,
			[]wxads.UserID{uid("sha256_phone", hex64)}, "", "", "", ""},
		{"null member", ok + `"user_id":{"hash_idfa":null,"hash_android_id":"` + hex32 + `"}`,
			[]wxads.UserID{uid("hash_android_id", hex32)}, "", "", "", ""},
		{"wechat ids apart", ok + `"user_id":{"wechat_app_id":"wx1","wechat_openid":"o1","md5_sha256_oaid":"` + hex64 + `"}`,
			[]wxads.UserID{uid("md5_sha256_oaid", hex64)}, "", "", "wx1", "o1"},
		{"product and channel", ok + `"trace":{"click_id":"c"},"product_inform":{ "content_type" : "EC", "items":[1, 2.50,"x"] },"channel":"CHANNEL_NATURAL"`,
			nil, `{"content_type":"EC","items":[1,2.50,"x"]}`, "CHANNEL_NATURAL", "", ""},
		{"product null", ok + `"trace":{"click_id":"c"},"product_inform":{"a":1},"product_inform":null`, nil, "", "", "", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			b, err := DecodeShape([]byte(v3Body(tc.members)), testNow, V3)
			if err != nil || len(b.Errors) != 0 || len(b.Actions) != 1 {
				t.Fatalf("err %v, errors %v, %d actions", err, b.Errors, len(b.Actions))
			}
			a := b.Actions[0]
			if !reflect.DeepEqual(a.UserIDs, tc.ids) {
				t.Errorf("user ids %v, want %v", a.UserIDs, tc.ids)
			}
			if string(a.ProductInform) != tc.product || (tc.product == "") != (a.ProductInform == nil) {
				t.Errorf("product_inform %q, want %q", a.ProductInform, tc.product)
			}
			if a.Channel != tc.channel || a.AppID != tc.appid || a.OpenID != tc.openid {
				t.Errorf("channel %q app %q openid %q", a.Channel, a.AppID, a.OpenID)
			}
		})
	}
}

// TestV3FieldsNotInWeChatShape: the WeChat side ignores the v3.0 members.
func TestV3FieldsNotInWeChatShape(t *testing.T) {
	body := `{"actions":[{"user_action_set_id":1,"url":"https://a.example/x","action_time":1699999900,
		"action_type":"REGISTER","user_id":{"wechat_app_id":"wx1","wechat_openid":"o1","hash_oaid":"` + hex32 + `"},
		"action_param":{"source":"Biz","claim_type":0},"product_inform":{"a":1},"channel":"c"}]}`
	b, err := DecodeShape([]byte(body), testNow, WeChat)
	if err != nil || len(b.Actions) != 1 {
		t.Fatalf("err %v, errors %v", err, b.Errors)
	}
	if a := b.Actions[0]; a.UserIDs != nil || a.ProductInform != nil || a.Channel != "" {
		t.Errorf("WeChat shape kept v3.0 fields: %+v", a)
	}
}

// TestV3FailedActionKeepsNothing: after a refused action the next one
// decodes into a clean slot.
func TestV3FailedActionKeepsNothing(t *testing.T) {
	body := `{"actions":[{"action_time":1699999900,"action_type":"PURCHASE","user_id":{"hash_oaid":"` + hex32 +
		`","hash_imei":"x"},"channel":"c"},{"action_time":1699999900,"action_type":"PURCHASE","trace":{"click_id":"k"}}]}`
	b, err := DecodeShape([]byte(body), testNow, V3)
	if err != nil || len(b.Errors) != 1 || len(b.Actions) != 1 {
		t.Fatalf("err %v, errors %v, actions %d", err, b.Errors, len(b.Actions))
	}
	if a := b.Actions[0]; a.UserIDs != nil || a.Channel != "" || b.Errors[0].Err.Param != "actions[0].user_id.hash_imei" {
		t.Errorf("action %+v, error %v", a, b.Errors[0].Err)
	}
}

func uid(kind, value string) wxads.UserID { return wxads.UserID{Kind: kind, Value: value} }
