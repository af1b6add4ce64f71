package errcode_test

import (
	"testing"

	"github.com/wxads/wxads/errcode"
)

func TestFormat(t *testing.T) {
	for _, tt := range []struct {
		code   int
		args   []string
		en, cn string
	}{
		{18001, []string{"name"}, // SPEC §3's example
			"Your request is missing a required parameter. The required parameter is 'name'", "缺少必要的参数，参数名： name"},
		{18003, []string{"page_size", "100"},
			"The value you specified for 'page_size' is invalid. Valid values must be less than 100.", "参数page_size必须小于100"},
		{18003, []string{"action_time"}, // too few args: the rest get the path
			"The value you specified for 'action_time' is invalid. Valid values must be less than action_time.", "参数action_time必须小于action_time"},
		{18003, nil, // no args: as it stands
			"The value you specified for '{PARAM}' is invalid. Valid values must be less than {PARAM}.", "参数{Param}必须小于{Value}"},
		{18009, []string{"actions[0].action_type", "COMPLETE_ORDER,RESERVATION"},
			"Parameter 'actions[0].action_type' must be one of the following values: [COMPLETE_ORDER,RESERVATION].", "参数actions[0].action_type值不在[COMPLETE_ORDER,RESERVATION]中"},
		{32514, []string{"title"}, "Parameter 'creative_elements[title]' is invalid.", "创意元素 creative_element 中参数 title 错误"},
		{30106, []string{"agency_token"},
			"Your request is missing a required parameter. The required parameter is 'agency_token'.", "缺少必要的参数，参数名： agency_token"},
		{40164, []string{"ignored"},
			"This account is using an IP white list. Only IP addresses listed on the WeChat backend can get this account’s WeChat access token.", "如非白名单IP调用"},
		{48001, []string{"ignored"}, "api unauthorized", "api 未授权：公众号广告主未审核通过，或者 IP 白名单未添加"},
		{12345, []string{"x"}, "", ""},
	} {
		en, cn := errcode.Format(tt.code, tt.args...)
		if en != tt.en || cn != tt.cn {
			t.Errorf("Format(%d, %q) =\n%q, %q\nwant\n%q, %q", tt.code, tt.args, en, cn, tt.en, tt.cn)
		}
	}
}

func TestFill(t *testing.T) {
	got := errcode.Fill("Campaigns of {Enum} type can only use 'bid_type' of {Enum}.", "a", "b")
	if want := "Campaigns of a type can only use 'bid_type' of b."; got != want {
		t.Errorf("Fill = %q, want %q", got, want)
	}
}

// The codes the brief asks hints for; the CLI prints them.
var hinted = []int{
	40164, 48001, 900355202, 40001, 40014, 42001, 45009, 45011, 41001, 47001,
	18001, 18002, 18003, 18004, 18005, 18006, 18007, 18008, 18009, 18010, 18011, 18012, 18013,
	31011, -1, 30000,
}

func TestHint(t *testing.T) {
	for _, code := range hinted {
		if errcode.Hint(code) == "" {
			t.Errorf("Hint(%d) is empty", code)
		}
		if !errcode.Known(code) {
			t.Errorf("Hint(%d) is for a code the registry lacks", code)
		}
	}
	if h := errcode.Hint(12345); h != "" {
		t.Errorf("Hint(12345) = %q, want \"\"", h)
	}
}

func TestSearch(t *testing.T) {
	has := func(entries []errcode.Entry, code int) bool {
		for _, e := range entries {
			if e.Code == code {
				return true
			}
		}
		return false
	}
	for _, tt := range []struct {
		text string
		code int
	}{
		{"IP WHITE LIST", 40164}, // English, any case
		{"白名单", 40164},           // Chinese
		{"stable_token", 40001},  // hint text
		{"too frequently", 900355202},
		{"缺少count参数", 91028},
	} {
		if got := errcode.Search(tt.text); !has(got, tt.code) {
			t.Errorf("Search(%q) lacks %d (%d entries)", tt.text, tt.code, len(got))
		}
	}
	for _, text := range []string{"", "  ", "no such words anywhere"} {
		if got := errcode.Search(text); got != nil {
			t.Errorf("Search(%q) = %d entries, want none", text, len(got))
		}
	}
}
