package server_test

import (
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/wxads/wxads"
)

// A set made on v3.0 is one the WeChat side lists, and the reverse; the v3.0
// types are v3.0's, the WeChat list stays the WeChat one.
func TestV3ActionSetsAdd(t *testing.T) {
	h := newHarness(t)
	tn := h.newTenant()
	add := func(body map[string]any) envelope { t.Helper(); return h.v3Post(tn, "user_action_sets/add", nil, body) }
	idOf := func(e envelope) int64 {
		t.Helper()
		return decodeData[struct {
			ID int64 `json:"user_action_set_id"`
		}](t, mustOK(t, e)).ID
	}
	harmony := idOf(add(map[string]any{"type": "HARMONY", "name": "hm", "mobile_app_id": "100", "enable_conversion_claim": true}))
	wechat := idOf(add(map[string]any{"type": "WECHAT_MINI_PROGRAM", "name": "mp", "wechat_app_id": tn.AppID, "description": "d"}))
	offline := idOf(add(map[string]any{"type": "OFFLINE", "name": "store"}))
	v1 := h.newSet(tn, "shop")
	type item struct {
		ID   int64  `json:"user_action_set_id"`
		Type string `json:"type"`
		Name string `json:"name"`
	}
	wechatSide := decodeData[struct {
		List []item `json:"list"`
	}](t, mustOK(t, h.api(tn, "GET", "/marketing/user_action_sets/get", nil, nil)))
	v3Side := decodeData[struct {
		List []item `json:"list"`
	}](t, mustOK(t, h.v3(tn, "user_action_sets/get", nil)))
	want := []item{{harmony, "HARMONY", "hm"}, {wechat, "WECHAT_MINI_PROGRAM", "mp"}, {offline, "OFFLINE", "store"}, {v1, "WECHAT", "shop"}}
	if !slices.Equal(wechatSide.List, want) || !slices.Equal(v3Side.List, want) {
		t.Fatalf("WeChat side %+v\nv3.0 side %+v\nwant %+v", wechatSide.List, v3Side.List, want)
	}
	// The v3.0 model's fields are kept.
	kept := decodeData[struct {
		List []struct {
			MobileAppID int64 `json:"mobile_app_id"`
			Claim       bool  `json:"enable_conversion_claim"`
		} `json:"list"`
	}](t, mustOK(t, h.v3(tn, "user_action_sets/get", url.Values{"type": {`["HARMONY","OFFLINE"]`}}))).List
	if len(kept) != 2 || kept[0].MobileAppID != 100 || !kept[0].Claim || kept[1].MobileAppID != 0 || kept[1].Claim {
		t.Fatalf("v3.0 fields: %+v", kept)
	}
	// The WeChat side's own list is unchanged: no HARMONY there.
	wantCode(t, h.api(tn, "POST", "/marketing/user_action_sets/add", nil, map[string]any{"type": "HARMONY", "name": "x"}), wxads.CodeNotInEnum)

	other := h.newTenant()
	for _, tc := range []struct {
		name  string
		body  map[string]any
		code  int
		param string
	}{
		{"no type", map[string]any{"name": "a"}, wxads.CodeRequired, "type"},
		{"bad type", map[string]any{"type": "PAPER", "name": "a"}, wxads.CodeNotInEnum, "HARMONY"},
		{"no name", map[string]any{"type": "WEB"}, wxads.CodeRequired, "name"},
		{"long name", map[string]any{"type": "WEB", "name": strings.Repeat("n", 33)}, wxads.CodeTooLong, "name"},
		{"duplicate name", map[string]any{"type": "WEB", "name": "shop"}, wxads.CodeDuplicateName, "name"},
		{"WECHAT without app", map[string]any{"type": "WECHAT", "name": "a"}, wxads.CodeRequired, "wechat_app_id"},
		{"another's app", map[string]any{"type": "WECHAT", "name": "a", "wechat_app_id": other.AppID}, wxads.CodeNotAccessible, "wechat_app_id"},
		{"mobile_app_id", map[string]any{"type": "ANDROID", "name": "a", "mobile_app_id": "x"}, wxads.CodeWrongType, "mobile_app_id"},
		{"mobile_app_id 0", map[string]any{"type": "ANDROID", "name": "a", "mobile_app_id": 0}, wxads.CodeBadFormat, "mobile_app_id"},
		{"enable_conversion_claim", map[string]any{"type": "WEB", "name": "a", "enable_conversion_claim": "yes"}, wxads.CodeWrongType, "enable_conversion_claim"},
		{"another account", map[string]any{"account_id": other.AccountID, "type": "WEB", "name": "a"}, wxads.CodeNotAccessible, "account_id"},
		{"account not a number", map[string]any{"account_id": "abc", "type": "WEB", "name": "a"}, wxads.CodeBadFormat, "account_id"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := add(tc.body)
			wantCode(t, e, tc.code)
			if !strings.Contains(e.Message, tc.param) {
				t.Fatalf("message should name %s: %s", tc.param, e.Raw)
			}
		})
	}
	// account_id in the query does not stand in for the body's.
	e := h.do("POST", "/v3.0/user_action_sets/add", url.Values{"access_token": {tn.Token}, "timestamp": {itoa(h.clock.Now().Unix())},
		"nonce": {"q-account"}, "account_id": {itoa(tn.AccountID)}}, map[string]any{"type": "WEB", "name": "q"}, nil)
	wantCode(t, e, wxads.CodeRequired)
}
