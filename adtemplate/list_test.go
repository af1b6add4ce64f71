package adtemplate

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// catalogOf builds a catalog of n plain templates with ids 1..n, listed in
// reverse so that List has to sort them.
func catalogOf(t *testing.T, n int) *Catalog {
	t.Helper()
	items := make([]string, n)
	for i := range n {
		items[n-1-i] = template(i+1, "SITE_SET_WECHAT", "")
	}
	return mustCatalog(t, "["+strings.Join(items, ",")+"]")
}

func ids(t *testing.T, items []json.RawMessage) []int64 {
	t.Helper()
	out := []int64{}
	for _, it := range items {
		var v struct {
			ID int64 `json:"adcreative_template_id"`
		}
		if err := json.Unmarshal(it, &v); err != nil {
			t.Fatal(err)
		}
		out = append(out, v.ID)
	}
	return out
}

func TestPaging(t *testing.T) {
	tests := []struct {
		total, page, size int
		want              PageInfo
		first, count      int
	}{
		{0, 1, 10, PageInfo{Page: 1, PageSize: 10, TotalNumber: 0, TotalPage: 0}, 0, 0},
		{1, 1, 10, PageInfo{Page: 1, PageSize: 10, TotalNumber: 1, TotalPage: 1}, 1, 1},
		{20, 1, 10, PageInfo{Page: 1, PageSize: 10, TotalNumber: 20, TotalPage: 2}, 1, 10},
		{20, 2, 10, PageInfo{Page: 2, PageSize: 10, TotalNumber: 20, TotalPage: 2}, 11, 10},
		{21, 3, 10, PageInfo{Page: 3, PageSize: 10, TotalNumber: 21, TotalPage: 3}, 21, 1},
		{20, 3, 10, PageInfo{Page: 3, PageSize: 10, TotalNumber: 20, TotalPage: 2}, 0, 0}, // past the end: empty, not an error
		{7, 99999, 100, PageInfo{Page: 99999, PageSize: 100, TotalNumber: 7, TotalPage: 1}, 0, 0},
		{7, 1, 1, PageInfo{Page: 1, PageSize: 1, TotalNumber: 7, TotalPage: 7}, 1, 1},
		{7, 7, 1, PageInfo{Page: 7, PageSize: 1, TotalNumber: 7, TotalPage: 7}, 7, 1},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%d items page %d size %d", tt.total, tt.page, tt.size), func(t *testing.T) {
			items, info := catalogOf(t, tt.total).List(Query{Page: tt.page, PageSize: tt.size})
			if info != tt.want {
				t.Errorf("page_info %+v, want %+v", info, tt.want)
			}
			var want []int64
			for i := range tt.count {
				want = append(want, int64(tt.first+i))
			}
			if got := ids(t, items); !slices.Equal(got, want) && !(len(got) == 0 && len(want) == 0) {
				t.Errorf("ids %v, want %v", got, want)
			}
			if items == nil {
				t.Error("items is nil; it must encode as []")
			}
		})
	}
}

func TestNewPageInfoZeroSize(t *testing.T) {
	if got := NewPageInfo(1, 0, 5); got.TotalPage != 0 {
		t.Errorf("NewPageInfo(1, 0, 5) = %+v", got)
	}
}

func TestListDefaultsForZeroQuery(t *testing.T) {
	_, info := catalogOf(t, 12).List(Query{Page: -2})
	if info != (PageInfo{Page: 1, PageSize: 10, TotalNumber: 12, TotalPage: 2}) {
		t.Errorf("page_info %+v", info)
	}
}

func TestListFilteringANDed(t *testing.T) {
	c := mustCatalog(t, `[`+template(5, "SITE_SET_MOMENTS", `,"support_dynamic_ability_spec_list":{"dynamic_ability_type":["DYNAMIC_TYPE_DYNAMIC_CREATIVE"]}`)+
		`,`+template(3, "SITE_SET_MOMENTS", "")+
		`,`+template(4, "SITE_SET_WECHAT", `,"support_dynamic_ability_spec_list":{"dynamic_ability_type":["DYNAMIC_TYPE_DYNAMIC_CREATIVE","DYNAMIC_TYPE_SINGLE_PRODUCT_AD"]},"wechat_scene_spec_position":["ARTICLE_BOTTOM"]`)+
		`,`+strings.Replace(template(6, "SITE_SET_MOMENTS", ""), "PROMOTED_OBJECT_TYPE_LINK", "PROMOTED_OBJECT_TYPE_ECOMMERCE", 1)+`]`)
	cond := func(field, value string) string {
		return `{"field":"` + field + `","operator":"EQUALS","values":[` + value + `]}`
	}
	tests := []struct {
		name    string
		filters []string
		want    []int64
	}{
		{"none", nil, []int64{3, 4, 5, 6}},
		{"site_set", []string{cond("site_set", `"SITE_SET_MOMENTS"`)}, []int64{3, 5, 6}},
		{"id", []string{cond("adcreative_template_id", `"4"`)}, []int64{4}},
		{"id absent", []string{cond("adcreative_template_id", `69`)}, []int64{}},
		{"is_dynamic_creative 1", []string{cond("is_dynamic_creative", `1`)}, []int64{4, 5}},
		{"is_dynamic_creative 0 returns all", []string{cond("is_dynamic_creative", `0`)}, []int64{3, 4, 5, 6}},
		{"dynamic_ability_type", []string{cond("dynamic_ability_type", `"DYNAMIC_TYPE_SINGLE_PRODUCT_AD"`)}, []int64{4}},
		{"scene position extension", []string{cond("wechat_scene_spec_position", `"ARTICLE_BOTTOM"`)}, []int64{4}},
		{"site_set AND dynamic", []string{cond("site_set", `"SITE_SET_MOMENTS"`), cond("is_dynamic_creative", `1`)}, []int64{5}},
		{"site_set AND promoted", []string{cond("site_set", `"SITE_SET_MOMENTS"`), cond("promoted_object_type", `"PROMOTED_OBJECT_TYPE_LINK"`)}, []int64{3, 5}},
		{"three conditions", []string{cond("site_set", `"SITE_SET_MOMENTS"`), cond("promoted_object_type", `"PROMOTED_OBJECT_TYPE_LINK"`), cond("adcreative_template_id", `3`)}, []int64{3}},
		{"contradiction", []string{cond("site_set", `"SITE_SET_MOMENTS"`), cond("site_set", `"SITE_SET_WECHAT"`)}, []int64{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			q := Query{}
			if tt.filters != nil {
				q = mustQuery(t, "filtering", "["+strings.Join(tt.filters, ",")+"]")
			}
			items, info := c.List(q)
			if got := ids(t, items); !slices.Equal(got, tt.want) {
				t.Errorf("ids %v, want %v", got, tt.want)
			}
			if info.TotalNumber != len(tt.want) {
				t.Errorf("total_number %d, want %d", info.TotalNumber, len(tt.want))
			}
		})
	}
}

func TestListFieldsProjection(t *testing.T) {
	c := Default()
	q := mustQuery(t, "fields", `["site_set","adcreative_template_id","support_bid_mode_list"]`,
		"filtering", cond1("adcreative_template_id", "EQUALS", "[69]"))
	items, _ := c.List(q)
	// Template 69's own key order (promoted_object_type, adcreative_template_id,
	// …, site_set), not the order asked for; it has no support_bid_mode_list.
	if want := `{"adcreative_template_id":69,"site_set":"SITE_SET_MOBILE_INNER"}`; len(items) != 1 || string(items[0]) != want {
		t.Errorf("got %s, want %s", items, want)
	}
	q = mustQuery(t, "fields", `["ad_attributes"]`, "filtering", cond1("adcreative_template_id", "EQUALS", "[69]"))
	items, _ = c.List(q)
	golden := string(mustReadGolden(t))
	start := strings.Index(golden, `"ad_attributes":`)
	end := strings.Index(golden, `,"adcreative_elements":`)
	if want := "{" + golden[start:end] + "}"; string(items[0]) != want {
		t.Errorf("projected ad_attributes are not the served bytes:\n got %s\nwant %s", items[0], want)
	}
	items, _ = c.List(mustQuery(t, "fields", `["adcreative_template_id"]`))
	for i, it := range items {
		if want := `{"adcreative_template_id":` + strconv.FormatInt(c.templates[i].ID, 10) + `}`; string(it) != want {
			t.Errorf("item %d = %s, want %s", i, it, want)
		}
	}
}

// TestDefaultCatalog checks what the shipped catalog promises: template 69
// plus samples for each site set issue 7 names, all of them valid.
func TestDefaultCatalog(t *testing.T) {
	c, err := ParseCatalog(defaultJSON)
	if err != nil {
		t.Fatal(err)
	}
	sites := map[string]int{}
	for _, tpl := range c.templates {
		sites[tpl.SiteSet]++
	}
	for _, s := range []string{"SITE_SET_MOBILE_INNER", "SITE_SET_MOMENTS", "SITE_SET_WECHAT", "SITE_SET_CHANNELS", "SITE_SET_MOBILE_UNION", "SITE_SET_QQCLIENT"} {
		if sites[s] == 0 {
			t.Errorf("no sample template for %s", s)
		}
	}
	if c.Len()-1 < 6 {
		t.Errorf("%d sample templates besides 69, want at least 6", c.Len()-1)
	}
	round := mustCatalog(t, string(c.JSON()))
	if !bytes.Equal(round.JSON(), c.JSON()) || round.Len() != c.Len() {
		t.Errorf("JSON round trip changed the catalog")
	}
	if tpl, _ := round.Get(69); !bytes.Equal(tpl.Raw(), mustReadGolden(t)) {
		t.Errorf("template 69 changed in a JSON round trip: %s", tpl.Raw())
	}
}
