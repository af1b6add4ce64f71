package errcode_test

import (
	"reflect"
	"slices"
	"testing"

	"github.com/wxads/wxads/errcode"
)

// The row counts were taken by hand from the seeds, not from the parser:
//
//	seed 000: awk 'NR>=660' 000_*.txt | grep -cP '^-?\d+\t'  → 160 rows
//	          (6 wrapped lines start with a tab, 21 repeated headers;
//	          32432 twice, so 159 codes)
//	seed 001: the file is 2380 lines = 595 × 4; every code line
//	          (grep -nE '^-?[0-9]+ \|$', 595 of them) sits at line 4k+1;
//	          the 4th line of a record is "|" 240 times (no area) and an
//	          area 355 times; 22 codes appear twice, so 573 codes.
func TestRowCounts(t *testing.T) {
	entries, codes := map[string]int{}, map[string]map[int]bool{}
	areas := map[string]int{}
	for _, e := range errcode.All() {
		entries[e.Source]++
		if codes[e.Source] == nil {
			codes[e.Source] = map[int]bool{}
		}
		codes[e.Source][e.Code] = true
		if e.Source == errcode.SourceGlobal {
			areas[e.Area]++
		}
	}
	wantEntries := map[string]int{"seed000": 160, "seed000-faq": 2, "seed001": 595, "spec": 16}
	if !reflect.DeepEqual(entries, wantEntries) {
		t.Errorf("entries per source = %v, want %v", entries, wantEntries)
	}
	if n := len(codes["seed000"]); n != 159 {
		t.Errorf("seed000 has %d codes, want 159", n)
	}
	if n := len(codes["seed001"]); n != 573 {
		t.Errorf("seed001 has %d codes, want 573", n)
	}
	wantAreas := map[string]int{
		"": 240, "Work WeChat": 204, "WeChat Wifi": 48, "WeCom": 44, "Red Packets": 23,
		"Developer Platform": 12, "Customer Service": 12, "Coupons": 7, "OA Platform": 4, "Enterprise": 1,
	}
	if !reflect.DeepEqual(areas, wantAreas) {
		t.Errorf("seed001 entries per area = %v, want %v", areas, wantAreas)
	}
}

// handChecked are rows compared by eye with the seed text (line numbers of
// the seed files), chosen where the scrape is awkward.
var handChecked = []errcode.Entry{
	// seed 000
	{0, "Marketing API", "操作成功，没有错误", "success", "seed000"}, // 663, first row
	{18001, "Marketing API", "缺少必要的参数，参数名： {Param}", "Your request is missing a required parameter. The required parameter is '{PARAM}'", "seed000"},
	{18004, "Marketing API", "参数{Param}必须大于{Value}", "The value you specified for '{PARAM}' is invalid. Valid values must be greater than {PARAM}.", "seed000"}, // 667+671, wraps over a page break
	{32212, "Marketing API", "日限额太大", "The 'daily_budget' was greater than the maximum allowed.", "seed000"},                                                    // 728+731
	{32432, "Marketing API", "location_types 仅支持 RECENTLY_IN、VISITED_IN", "The 'location_types' must be the following values: 'RECENTLY_IN','VISITED_IN'.", "seed000"},
	{32432, "Marketing API", "location_types 仅支持 {Param}", "The 'location_types' must be the {PARAM}", "seed000"},
	{32514, "Marketing API", "创意元素 creative_element 中参数 { Param } 错误", "Parameter 'creative_elements[{Param}]' is invalid.", "seed000"},
	{32536, "Marketing API", "同一推广计划下的微信朋友圈广告个数已达上限", "The number of Wechat moments Ad in one campaign reach limit", "seed000"}, // 823+826, both cells wrap
	{52015, "Marketing API", "文件大小超过限制", "file size exceeds limit.", "seed000"},                                                 // 874, last row
	// seed 001
	{-1, "", "系统繁忙,此时请开发者稍候再试", "System busy. Please try again later.", "seed001"}, // 1, first record
	{40001, "OA Platform", "获取access_token时AppSecret错误,或者access_token无效。请开发者认真比对AppSecret的正确性,或查看是否正在为恰当的公众号调用接口", "AppSecret error or invalid Access Token. Verify the AppSecret is correct and confirm you are using the correct callback parameters for this Official Account.", "seed001"},
	{40001, "Developer Platform", "不合法的调用凭证", "Invalid credential", "seed001"},
	{40164, "", "如非白名单IP调用", "This account is using an IP white list. Only IP addresses listed on the WeChat backend can get this account’s WeChat access token.", "seed001"},
	{50002, "Work WeChat", "成员不在权限范围", "User", "seed001"},                                           // 837, the English cell really is just "User"
	{60125, "Work WeChat", "非法部门名字,长度超过限制、重名等,重名包括与csv文件中同级部门重名或者与旧组织架构包含成员的同级部门重名", "", "seed001"}, // 1885, no English
	{80001, "Enterprise", "获取企业号登录用户信息错误", "Error getting Enterprise login user information.", "seed001"},
	{91028, "WeCom", "缺少count参数", "Missing count parameter", "seed001"}, // 2209, scraped as "WeCom/td>"
	{302004, "WeCom", "组织架构不合法(1不是一棵树,2 多个一样的partyid,3 partyid空,4 partyid name 空,5 同一个父节点下有两个子节点 部门名字一样可能是以上情况,请一一排查)", "Invalid organization strucutre (Check for any of the following conditions: 1 – not part of a single tree, 2 – duplicate partyid, 3 – partyid is blank, 4 – partyid name is blank, 5 – two sub-nodes of the same parent node have the same department name)", "seed001"}, // 2377, last record
}

func TestHandChecked(t *testing.T) {
	for _, want := range handChecked {
		if !slices.Contains(errcode.Lookup(want.Code), want) {
			t.Errorf("Lookup(%d) = %+v\nlacks %+v", want.Code, errcode.Lookup(want.Code), want)
		}
	}
}

func TestLookup(t *testing.T) {
	sources := func(code int) (s []string) {
		for _, e := range errcode.Lookup(code) {
			s = append(s, e.Source+"/"+e.Area)
		}
		return s
	}
	for code, want := range map[int][]string{
		0:         {"seed000/Marketing API", "seed001/"},
		48001:     {"seed000-faq/Marketing API", "seed001/"},
		40001:     {"seed001/OA Platform", "seed001/Developer Platform"},
		41002:     {"seed001/", "seed001/Work WeChat"},
		50002:     {"seed000/Marketing API", "seed001/", "seed001/Work WeChat"},
		900355202: {"seed000-faq/Marketing API"},
		12000:     {"spec/Marketing API v1.1"},
	} {
		if got := sources(code); !slices.Equal(got, want) {
			t.Errorf("Lookup(%d) sources = %q, want %q", code, got, want)
		}
	}
	if got := errcode.Lookup(12345); got != nil || errcode.Known(12345) {
		t.Errorf("Lookup(12345) = %v, want nil and unknown", got)
	}
	e := errcode.Lookup(0)
	e[0].MessageEN = "changed"
	if errcode.Lookup(0)[0].MessageEN != "success" {
		t.Error("Lookup returned the registry's own slice")
	}
}

func TestMessage(t *testing.T) {
	for _, tt := range []struct {
		code   int
		en, cn string
	}{
		{48001, "api unauthorized", "api 未授权：公众号广告主未审核通过，或者 IP 白名单未添加"},
		{900355202, "actionSet create request too frequently", "数据源创建请求过于频繁"},
		{31001, "Required parameter '{PARAM}' cannot be an empty string.", "参数{Param}不能为空"},
		{40014, "Invalid Access Token. Confirm the Access Token has not expired and that you are using the correct callback parameters for this Official Account.",
			"不合法的access_token,请开发者认真比对access_token的有效性(如是否过期),或查看是否正在为恰当的公众号调用接口"},
		{12345, "", ""},
	} {
		en, cn := errcode.Message(tt.code)
		if en != tt.en || cn != tt.cn {
			t.Errorf("Message(%d) = %q, %q; want %q, %q", tt.code, en, cn, tt.en, tt.cn)
		}
	}
}
