package adtemplate

import (
	"errors"
	"net/url"
	"slices"
	"testing"

	"github.com/wxads/wxads"
)

func cond1(field, operator, values string) string {
	return `[{"field":"` + field + `","operator":"` + operator + `","values":` + values + `}]`
}

func TestParseQueryErrors(t *testing.T) {
	const ok = `{"field":"site_set","operator":"EQUALS","values":["SITE_SET_WECHAT"]}`
	tests := []struct {
		name, param, value string
		code               int
		path               string
		values             []string // the code's further placeholders
	}{
		{"filtering not JSON", "filtering", `[{`, 18005, "filtering", nil},
		{"filtering an object", "filtering", ok, 18005, "filtering", nil},
		{"filtering null", "filtering", `null`, 18005, "filtering", nil},
		{"filtering trailing data", "filtering", `[` + ok + `] x`, 18005, "filtering", nil},
		{"no conditions", "filtering", `[]`, 18012, "filtering", []string{"1"}},
		{"four conditions", "filtering", `[` + ok + `,` + ok + `,` + ok + `,` + ok + `]`, 18011, "filtering", []string{"3"}},
		{"condition not an object", "filtering", `[1]`, 18005, "filtering[0]", nil},
		{"field missing", "filtering", `[{"operator":"EQUALS","values":["x"]}]`, 18001, "filtering[0].field", nil},
		{"field null", "filtering", `[{"field":null,"operator":"EQUALS","values":["x"]}]`, 18001, "filtering[0].field", nil},
		{"field not a string", "filtering", `[{"field":5,"operator":"EQUALS","values":["x"]}]`, 18002, "filtering[0].field", []string{"string"}},
		{"field unknown", "filtering", cond1("adcreative_template_name", "EQUALS", `["x"]`), 18009, "filtering[0].field", nil},
		{"operator missing", "filtering", `[{"field":"site_set","values":["SITE_SET_WECHAT"]}]`, 18001, "filtering[0].operator", nil},
		{"operator IN", "filtering", cond1("site_set", "IN", `["SITE_SET_WECHAT"]`), 18009, "filtering[0].operator", []string{"EQUALS"}},
		{"operator lower case", "filtering", cond1("site_set", "equals", `["SITE_SET_WECHAT"]`), 18009, "filtering[0].operator", []string{"EQUALS"}},
		{"values missing", "filtering", `[{"field":"site_set","operator":"EQUALS"}]`, 18001, "filtering[0].values", nil},
		{"values not an array", "filtering", cond1("site_set", "EQUALS", `"SITE_SET_WECHAT"`), 18002, "filtering[0].values", []string{"array"}},
		{"values empty", "filtering", cond1("site_set", "EQUALS", `[]`), 18012, "filtering[0].values", []string{"1"}},
		{"two values", "filtering", cond1("site_set", "EQUALS", `["SITE_SET_WECHAT","SITE_SET_MOMENTS"]`), 18011, "filtering[0].values", []string{"1"}},
		{"second condition", "filtering", `[` + ok + `,` + cond1("site_set", "EQUALS", `["SITE_SET_NOPE"]`)[1:], 18009, "filtering[1].values[0]", nil},
		{"id fraction", "filtering", cond1("adcreative_template_id", "EQUALS", `[69.5]`), 18002, "filtering[0].values[0]", []string{"integer"}},
		{"id exponent", "filtering", cond1("adcreative_template_id", "EQUALS", `[1e2]`), 18002, "filtering[0].values[0]", nil},
		{"id letters", "filtering", cond1("adcreative_template_id", "EQUALS", `["6a"]`), 18002, "filtering[0].values[0]", nil},
		{"id empty string", "filtering", cond1("adcreative_template_id", "EQUALS", `[""]`), 18002, "filtering[0].values[0]", nil},
		{"id boolean", "filtering", cond1("adcreative_template_id", "EQUALS", `[true]`), 18002, "filtering[0].values[0]", nil},
		{"id negative", "filtering", cond1("adcreative_template_id", "EQUALS", `[-1]`), 18004, "filtering[0].values[0]", []string{"-1"}},
		{"id too big", "filtering", cond1("adcreative_template_id", "EQUALS", `["99999999999999999999"]`), 18003, "filtering[0].values[0]", nil},
		{"is_dynamic_creative 2", "filtering", cond1("is_dynamic_creative", "EQUALS", `[2]`), 18003, "filtering[0].values[0]", []string{"2"}},
		{"is_dynamic_creative -1", "filtering", cond1("is_dynamic_creative", "EQUALS", `[-1]`), 18004, "filtering[0].values[0]", []string{"-1"}},
		{"is_dynamic_creative word", "filtering", cond1("is_dynamic_creative", "EQUALS", `["yes"]`), 18002, "filtering[0].values[0]", nil},
		{"site_set unknown", "filtering", cond1("site_set", "EQUALS", `["SITE_SET_NOPE"]`), 18009, "filtering[0].values[0]", nil},
		{"site_set a number", "filtering", cond1("site_set", "EQUALS", `[3]`), 18002, "filtering[0].values[0]", []string{"string"}},
		{"promoted_object_type unknown", "filtering", cond1("promoted_object_type", "EQUALS", `["PROMOTED_OBJECT_TYPE_NOPE"]`), 18009, "filtering[0].values[0]", nil},
		{"dynamic_ability_type unknown", "filtering", cond1("dynamic_ability_type", "EQUALS", `["DYNAMIC_TYPE_NOPE"]`), 18009, "filtering[0].values[0]", nil},
		{"scene position fraction", "filtering", cond1("wechat_scene_spec_position", "EQUALS", `[1.5]`), 18002, "filtering[0].values[0]", nil},
		{"scene position boolean", "filtering", cond1("wechat_scene_spec_position", "EQUALS", `[true]`), 18002, "filtering[0].values[0]", nil},
		{"page 0", "page", "0", 18004, "page", []string{"0"}},
		{"page negative", "page", "-3", 18004, "page", nil},
		{"page 100000", "page", "100000", 18003, "page", []string{"100000"}},
		{"page beyond int64", "page", "99999999999999999999999", 18003, "page", nil},
		{"page below int64", "page", "-99999999999999999999999", 18004, "page", nil},
		{"page fraction", "page", "1.5", 18002, "page", []string{"integer"}},
		{"page word", "page", "one", 18002, "page", nil},
		{"page space", "page", " 1", 18002, "page", nil},
		{"page_size 0", "page_size", "0", 18004, "page_size", []string{"0"}},
		{"page_size 101", "page_size", "101", 18003, "page_size", []string{"101"}},
		{"page_size word", "page_size", "ten", 18002, "page_size", nil},
		{"fields not JSON", "fields", "site_set", 18005, "fields", nil},
		{"fields an object", "fields", `{"site_set":1}`, 18005, "fields", nil},
		{"fields item a number", "fields", `[1]`, 18002, "fields[0]", []string{"string"}},
		{"fields unknown", "fields", `["site_set","adcreative_name"]`, 18009, "fields[1]", nil},
		{"fields filter-only name", "fields", `["is_dynamic_creative"]`, 18009, "fields[0]", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseQuery(url.Values{tt.param: {tt.value}})
			platformError(t, err, tt.code, tt.path)
			var e *wxads.Error
			if errors.As(err, &e) && tt.values != nil && !slices.Equal(e.Values, tt.values) {
				t.Errorf("values %q, want %q", e.Values, tt.values)
			}
		})
	}
}

func TestParseQueryAccepts(t *testing.T) {
	tests := []struct {
		name, param, value string
		want               Query
	}{
		{"nothing", "", "", Query{Page: 1, PageSize: 10}},
		{"empty filtering is none", "filtering", "", Query{Page: 1, PageSize: 10}},
		{"numeric id", "filtering", cond1("adcreative_template_id", "EQUALS", `[69]`), withFilter(FieldTemplateID, "69")},
		{"digit-string id", "filtering", cond1("adcreative_template_id", "EQUALS", `["069"]`), withFilter(FieldTemplateID, "69")},
		{"is_dynamic_creative string", "filtering", cond1("is_dynamic_creative", "EQUALS", `["1"]`), withFilter(FieldIsDynamic, "1")},
		{"is_dynamic_creative 0", "filtering", cond1("is_dynamic_creative", "EQUALS", `[0]`), withFilter(FieldIsDynamic, "0")},
		{"promoted_object_type", "filtering", cond1("promoted_object_type", "EQUALS", `["PROMOTED_OBJECT_TYPE_LINK"]`), withFilter(FieldPromotedObject, "PROMOTED_OBJECT_TYPE_LINK")},
		{"dynamic_ability_type", "filtering", cond1("dynamic_ability_type", "EQUALS", `["DYNAMIC_TYPE_DYNAMIC_CREATIVE"]`), withFilter(FieldDynamicAbility, "DYNAMIC_TYPE_DYNAMIC_CREATIVE")},
		{"scene position number", "filtering", cond1("wechat_scene_spec_position", "EQUALS", `[7]`), withFilter(FieldWechatScenePos, "7")},
		{"scene position string", "filtering", cond1("wechat_scene_spec_position", "EQUALS", `["ARTICLE_BOTTOM"]`), withFilter(FieldWechatScenePos, "ARTICLE_BOTTOM")},
		{"page bounds low", "page", "1", Query{Page: 1, PageSize: 10}},
		{"page bounds high", "page", "99999", Query{Page: 99999, PageSize: 10}},
		{"page plus sign", "page", "+2", Query{Page: 2, PageSize: 10}},
		{"page_size low", "page_size", "1", Query{Page: 1, PageSize: 1}},
		{"page_size high", "page_size", "100", Query{Page: 1, PageSize: 100}},
		{"fields", "fields", `["site_set","adcreative_template_id"]`, Query{Page: 1, PageSize: 10, Fields: []string{"site_set", "adcreative_template_id"}}},
		{"fields empty list is all", "fields", `[]`, Query{Page: 1, PageSize: 10, Fields: []string{}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := mustQuery(t, tt.param, tt.value)
			if !equalQuery(got, tt.want) {
				t.Errorf("got %+v, want %+v", got, tt.want)
			}
		})
	}
}

// TestParseQueryEnums accepts every value of every per-field enum of the seed.
func TestParseQueryEnums(t *testing.T) {
	for field, values := range map[string][]string{FieldSiteSet: SiteSets, FieldPromotedObject: PromotedObjectTypes, FieldDynamicAbility: DynamicAbilityTypes} {
		for _, v := range values {
			q := mustQuery(t, "filtering", cond1(field, "EQUALS", `["`+v+`"]`))
			if !equalQuery(q, withFilter(field, v)) {
				t.Errorf("%s=%s parsed as %+v", field, v, q)
			}
		}
	}
	if len(SiteSets) != 33 || len(PromotedObjectTypes) != 24 || len(DynamicAbilityTypes) != 3 {
		t.Errorf("enum sizes %d, %d, %d; seed 002 lists 33, 24, 3", len(SiteSets), len(PromotedObjectTypes), len(DynamicAbilityTypes))
	}
}

func TestParseQueryThreeConditions(t *testing.T) {
	q := mustQuery(t, "filtering", `[{"field":"site_set","operator":"EQUALS","values":["SITE_SET_MOMENTS"]},`+
		`{"field":"is_dynamic_creative","operator":"EQUALS","values":[1]},`+
		`{"field":"promoted_object_type","operator":"EQUALS","values":["PROMOTED_OBJECT_TYPE_LINK_WECHAT"],"ignored":true}]`)
	if len(q.Filtering) != 3 || q.Filtering[2].Values[0] != "PROMOTED_OBJECT_TYPE_LINK_WECHAT" {
		t.Errorf("got %+v", q.Filtering)
	}
}

func withFilter(field, value string) Query {
	return Query{Page: 1, PageSize: 10, Filtering: []Filter{{Field: field, Operator: "EQUALS", Values: []string{value}}}}
}

func equalQuery(a, b Query) bool {
	return a.Page == b.Page && a.PageSize == b.PageSize && slices.Equal(a.Fields, b.Fields) &&
		slices.EqualFunc(a.Filtering, b.Filtering, func(x, y Filter) bool {
			return x.Field == y.Field && x.Operator == y.Operator && slices.Equal(x.Values, y.Values)
		})
}
