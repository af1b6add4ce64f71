package wxads

import (
	"reflect"
	"testing"
)

// EncodeUserIDs and DecodeUserIDs keep the ids and their order; values
// that need escaping survive; none is "".
func TestUserIDsRoundTrip(t *testing.T) {
	for _, ids := range [][]UserID{
		nil,
		{{Kind: "hash_oaid", Value: "0123456789abcdef0123456789abcdef"}},
		{{Kind: "wechat_unionid", Value: `u"1\\é`}, {Kind: "caid", Value: "c"}, {Kind: "caid_version", Value: "v"}},
	} {
		s := EncodeUserIDs(ids)
		got, err := DecodeUserIDs(s)
		if err != nil || !reflect.DeepEqual(got, ids) {
			t.Errorf("%v → %q → %v, %v", ids, s, got, err)
		}
	}
	if EncodeUserIDs(nil) != "" {
		t.Error("no ids must encode as the empty string")
	}
	if _, err := DecodeUserIDs("[1]"); err == nil {
		t.Error("a JSON array decoded as ids")
	}
	u := ParseUserID(UserID{Kind: "hash_imei", Value: "ab"}.String())
	if u.Kind != "hash_imei" || u.Value != "ab" || !IsDeviceIDKind("caid") || IsDeviceIDKind("caid_version") ||
		IsDeviceIDKind("wechat_unionid") || UserIDRank("hash_imei") >= UserIDRank("hash_oaid") {
		t.Errorf("kinds: %+v", u)
	}
}
