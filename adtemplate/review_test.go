package adtemplate

import (
	"encoding/json"
	"strings"
	"testing"
)

// A parent chain that ends at a struct which does not exist is refused, not
// a nil dereference.
func TestParseCatalogMissingGrandparent(t *testing.T) {
	elem := func(name, typ, field, parent string) string {
		return `{"name":"` + name + `","element_type":"` + typ + `","field_type":"` + field + `","required":false,` +
			`"description":"","parent_name":"` + parent + `","enum_property":[],"array_property":[],"struct_property":[],"restriction":[]}`
	}
	list := `[` + elem("child", "ELEMENT_TYPE_TEXT", "FIELD_TYPE_STRING", "X") + `,` +
		elem("X", "ELEMENT_TYPE_STRUCT", "FIELD_TYPE_STRUCT", "Y") + `]`
	_, err := ParseCatalog([]byte(`[{"adcreative_template_id":70,"site_set":"SITE_SET_WECHAT",` +
		`"promoted_object_type":"PROMOTED_OBJECT_TYPE_LINK","adcreative_elements":` + list + `}]`))
	if err == nil {
		t.Fatal("a catalog whose struct names a missing parent was accepted")
	}
}

// A huge creative cannot make a huge answer: items past array max_number are
// not checked one by one, and violations stop at MaxViolations + 1.
func TestValidateBoundsItsAnswer(t *testing.T) {
	tpl, _ := Default().Get(1529)
	items := strings.Repeat(`{},`, 100000)
	got := ValidateCreative(tpl, json.RawMessage(`{"element_story":[`+items[:len(items)-1]+`]}`))
	if len(got) > MaxViolations+1 {
		t.Fatalf("%d violations", len(got))
	}
	var many []string
	for i := range 300 {
		many = append(many, `"x`+strings.Repeat("y", i%7)+string(rune('a'+i%26))+`":1`)
	}
	got = ValidateCreative(tpl, json.RawMessage(`{`+strings.Join(uniq(many), ",")+`}`))
	if n := len(got); n > MaxViolations+1 || (n == MaxViolations+1 && got[n-1].Rule != RuleTruncated) {
		t.Fatalf("%d violations, last %+v", n, got[n-1])
	}
}

func uniq(s []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, v := range s {
		if !seen[v] {
			seen[v] = true
			out = append(out, v)
		}
	}
	return out
}

// A required mutually exclusive struct needs exactly one child: {} is not enough.
func TestRequiredExclusiveStructNeedsOneChild(t *testing.T) {
	tpl, _ := Default().Get(721)
	for _, v := range ValidateCreative(tpl, json.RawMessage(`{"jump_info":{}}`)) {
		if v.Element == "jump_info" && v.Rule == RuleRequired {
			return
		}
	}
	t.Fatal("jump_info {} passed although the struct is required and takes one of its children")
}

// An unknown key in a media declaration is reported and the declared facts
// are still checked.
func TestMediaUnknownKeyKeepsChecking(t *testing.T) {
	tpl, _ := Default().Get(69)
	got := ValidateCreative(tpl, json.RawMessage(`{"image":{"width":72,"height":73,"format":"gif","bogus":1}}`))
	rules := map[string]bool{}
	for _, v := range got {
		rules[v.Rule] = true
	}
	if !rules[RuleUnknown] || !(rules[RuleImageHeight] || rules[RuleImageFormat]) {
		t.Fatalf("violations %+v", got)
	}
}
