package adtemplate

import (
	"errors"
	"strings"
	"testing"
)

// elem builds an element object; extra is a comma-led fragment of members.
func elem(name, elementType, fieldType, extra string) string {
	return `{"name":"` + name + `","element_type":"ELEMENT_TYPE_` + elementType + `","field_type":"FIELD_TYPE_` + fieldType +
		`","required":false,"description":"","parent_name":""` + extra + `}`
}

// withElements is a one-template catalog holding the given elements.
func withElements(elements ...string) string {
	return `[{"adcreative_template_id":70,"site_set":"SITE_SET_WECHAT","promoted_object_type":"PROMOTED_OBJECT_TYPE_LINK",` +
		`"adcreative_elements":[` + strings.Join(elements, ",") + `]}]`
}

func textElem(restriction string) string {
	return elem("title", "TEXT", "STRING", `,"restriction":{"text_restriction":`+restriction+`}`)
}

func TestParseCatalogRefuses(t *testing.T) {
	two := func(a, b string) string { return "[" + a + "," + b + "]" }
	child := func(name, parent string) string {
		return strings.Replace(elem(name, "TEXT", "STRING", ""), `"parent_name":""`, `"parent_name":"`+parent+`"`, 1)
	}
	tests := []struct {
		name, catalog string
		index         int
		path          string
		code          int
		reason        string
	}{
		{"empty body", ``, -1, "", 47001, "JSON list"},
		{"not JSON", `[{`, -1, "", 47001, "not valid JSON"},
		{"an object", `{"list":[]}`, -1, "", 47001, "JSON list"},
		{"null", `null`, -1, "", 47001, "JSON list"},
		{"entry not an object", `[1]`, 0, "", 18002, "object"},
		{"id missing", `[{"site_set":"SITE_SET_WECHAT","promoted_object_type":"PROMOTED_OBJECT_TYPE_LINK","adcreative_elements":[]}]`, 0, "adcreative_template_id", 18001, "required"},
		{"site_set missing", `[{"adcreative_template_id":1,"promoted_object_type":"PROMOTED_OBJECT_TYPE_LINK","adcreative_elements":[]}]`, 0, "site_set", 18001, "required"},
		{"promoted missing", `[{"adcreative_template_id":1,"site_set":"SITE_SET_WECHAT","adcreative_elements":[]}]`, 0, "promoted_object_type", 18001, "required"},
		{"elements null", `[{"adcreative_template_id":1,"site_set":"SITE_SET_WECHAT","promoted_object_type":"PROMOTED_OBJECT_TYPE_LINK","adcreative_elements":null}]`, 0, "adcreative_elements", 18001, "required"},
		{"elements missing", `[{"adcreative_template_id":1,"site_set":"SITE_SET_WECHAT","promoted_object_type":"PROMOTED_OBJECT_TYPE_LINK"}]`, 0, "adcreative_elements", 18001, "required"},
		{"id a string", `[` + strings.Replace(template(1, "SITE_SET_WECHAT", ""), `:1,`, `:"1",`, 1) + `]`, 0, "adcreative_template_id", 18002, "integer"},
		{"id a fraction", `[` + strings.Replace(template(1, "SITE_SET_WECHAT", ""), `:1,`, `:1.5,`, 1) + `]`, 0, "adcreative_template_id", 18002, "integer"},
		{"id zero", `[` + template(0, "SITE_SET_WECHAT", "") + `]`, 0, "adcreative_template_id", 18004, "positive"},
		{"duplicate id", two(template(7, "SITE_SET_WECHAT", ""), template(7, "SITE_SET_MOMENTS", "")), 1, "adcreative_template_id", 18005, "catalog[0]"},
		{"duplicate key", `[` + template(7, "SITE_SET_WECHAT", `,"site_set":"SITE_SET_MOMENTS"`) + `]`, 0, "site_set", 18005, "duplicate key"},
		{"unknown key", `[` + template(7, "SITE_SET_WECHAT", `,"adcreative_template_colour":"red"`) + `]`, 0, "adcreative_template_colour", 18005, "unknown field"},
		{"unknown nested key", withElements(textElem(`{"max_lenght":3}`)), 0, "adcreative_elements[0].restriction.text_restriction.max_lenght", 18005, "unknown field"},
		{"wrong kind bool", withElements(strings.Replace(elem("a", "TEXT", "STRING", ""), `"required":false`, `"required":"yes"`, 1)), 0, "adcreative_elements[0].required", 18002, "true or false"},
		{"wrong kind list", strings.Replace(withElements(), `"adcreative_elements":[]`, `"adcreative_elements":{}`, 1), 0, "adcreative_elements", 18002, "array"},
		{"wrong kind object", withElements(elem("a", "TEXT", "STRING", `,"restriction":"none"`)), 0, "adcreative_elements[0].restriction", 18002, "object"},
		{"non-empty list for object", withElements(elem("a", "TEXT", "STRING", `,"restriction":[1]`)), 0, "adcreative_elements[0].restriction", 18002, "object"},
		{"site_set not in seed", `[` + template(7, "SITE_SET_MARS", "") + `]`, 0, "site_set", 18009, "SITE_SET_MARS"},
		{"promoted not in seed", `[` + strings.Replace(template(7, "SITE_SET_WECHAT", ""), "PROMOTED_OBJECT_TYPE_LINK", "PROMOTED_OBJECT_TYPE_X", 1) + `]`, 0, "promoted_object_type", 18009, "PROMOTED_OBJECT_TYPE_X"},
		{"dynamic ability not in seed", `[` + template(7, "SITE_SET_WECHAT", `,"support_dynamic_ability_spec_list":{"dynamic_ability_type":["DYNAMIC_X"]}`) + `]`, 0, "support_dynamic_ability_spec_list.dynamic_ability_type[0]", 18009, "DYNAMIC_X"},
		{"billing min above max", `[` + template(7, "SITE_SET_WECHAT", `,"support_billing_spec_list":[{"billing_event":"BILLINGEVENT_CLICK","min_price":10,"max_price":5}]`) + `]`, 0, "support_billing_spec_list[0]", 18005, "min_price"},
		{"element name empty", withElements(elem("", "TEXT", "STRING", "")), 0, "adcreative_elements[0].name", 18001, "required"},
		{"element type unknown", withElements(elem("a", "HOLOGRAM", "STRING", "")), 0, "adcreative_elements[0].element_type", 18009, "HOLOGRAM"},
		{"field type unknown", withElements(elem("a", "TEXT", "FLOAT", "")), 0, "adcreative_elements[0].field_type", 18009, "FLOAT"},
		{"duplicate element", withElements(elem("a", "TEXT", "STRING", ""), elem("a", "URL", "STRING", "")), 0, "adcreative_elements[1].name", 18005, "duplicate"},
		{"parent missing", withElements(child("a", "brand")), 0, "adcreative_elements[0].parent_name", 18005, "brand"},
		{"parent not a struct", withElements(elem("brand", "TEXT", "STRING", ""), child("a", "brand")), 0, "adcreative_elements[1].parent_name", 18005, "not a struct"},
		{"parent loop", withElements(
			strings.Replace(elem("x", "STRUCT", "STRUCT", ""), `"parent_name":""`, `"parent_name":"y"`, 1),
			strings.Replace(elem("y", "STRUCT", "STRUCT", ""), `"parent_name":""`, `"parent_name":"x"`, 1)), 0, "adcreative_elements[0].parent_name", 18005, "loops"},
		{"restriction on wrong type", withElements(elem("img", "IMAGE", "STRING", `,"restriction":{"text_restriction":{"max_length":3}}`)), 0, "adcreative_elements[0].restriction.text_restriction", 18005, "ELEMENT_TYPE_TEXT"},
		{"text min above max", withElements(textElem(`{"min_length":5,"max_length":3}`)), 0, "adcreative_elements[0].restriction.text_restriction", 18005, "greater"},
		{"text negative", withElements(textElem(`{"min_length":-1}`)), 0, "adcreative_elements[0].restriction.text_restriction.min_length", 18004, "negative"},
		{"text pattern unbalanced", withElements(textElem(`{"text_pattern":"^(a$"}`)), 0, "adcreative_elements[0].restriction.text_restriction.text_pattern", 18005, "missing )"},
		{"text pattern open class", withElements(textElem(`{"text_pattern":"[a-"}`)), 0, "adcreative_elements[0].restriction.text_restriction.text_pattern", 18005, "missing ]"},
		{"text pattern RE2 repeat limit", withElements(textElem(`{"text_pattern":"^a{1,2000}$"}`)), 0, "adcreative_elements[0].restriction.text_restriction.text_pattern", 18005, "repeat"},
		{"url pattern stray paren", withElements(elem("u", "URL", "STRING", `,"restriction":{"url_restriction":{"url_pattern":"^http)"}}`)), 0, "adcreative_elements[0].restriction.url_restriction.url_pattern", 18005, "unmatched )"},
		{"image format unknown", withElements(elem("i", "IMAGE", "STRING", `,"restriction":{"image_restriction":{"file_format":["IMAGE_TYPE_JPG","IMAGE_TYPE_HEIC"]}}`)), 0, "adcreative_elements[0].restriction.image_restriction.file_format[1]", 18009, "HEIC"},
		{"image negative", withElements(elem("i", "IMAGE", "STRING", `,"restriction":{"image_restriction":{"width":-5}}`)), 0, "adcreative_elements[0].restriction.image_restriction.width", 18004, "negative"},
		{"video exact and minimum", withElements(elem("v", "VIDEO", "STRING", `,"restriction":{"video_restriction":{"width":1280,"min_width":720}}`)), 0, "adcreative_elements[0].restriction.video_restriction", 18005, "not given together"},
		{"video half ratio", withElements(elem("v", "VIDEO", "STRING", `,"restriction":{"video_restriction":{"ratio_width":16}}`)), 0, "adcreative_elements[0].restriction.video_restriction", 18005, "together"},
		{"video durations", withElements(elem("v", "VIDEO", "STRING", `,"restriction":{"video_restriction":{"min_duration":30,"max_duration":6}}`)), 0, "adcreative_elements[0].restriction.video_restriction", 18005, "greater"},
		{"video format unknown", withElements(elem("v", "VIDEO", "STRING", `,"restriction":{"video_restriction":{"file_format":["MEDIA_TYPE_MKV"]}}`)), 0, "adcreative_elements[0].restriction.video_restriction.file_format[0]", 18009, "MKV"},
		{"number min above max", withElements(elem("n", "INTEGER", "INTEGER", `,"restriction":{"number_restriction":{"min":5,"max":1}}`)), 0, "adcreative_elements[0].restriction.number_restriction", 18005, "greater"},
		{"array min above max", withElements(elem("l", "IMAGE_ARRAY", "STRING_ARRAY", `,"array_property":{"min_number":4,"max_number":3}`)), 0, "adcreative_elements[0].array_property", 18005, "min_number"},
		{"enum without values", withElements(elem("e", "ENUM", "ENUM", "")), 0, "adcreative_elements[0].enum_property.enumeration", 18001, "values"},
		{"enum duplicate value", withElements(elem("e", "ENUM", "ENUM", `,"enum_property":{"enumeration":[{"value":"A","description":""},{"value":"A","description":""}]}`)), 0, "adcreative_elements[0].enum_property.enumeration[1].value", 18005, "duplicate"},
		{"enum default unknown", withElements(elem("e", "ENUM", "ENUM", `,"enum_property":{"default":"B","enumeration":[{"value":"A","description":""}]}`)), 0, "adcreative_elements[0].enum_property.default", 18009, "B"},
		{"second template named", two(template(1, "SITE_SET_WECHAT", ""), template(2, "SITE_SET_NOWHERE", "")), 1, "site_set", 18009, "NOWHERE"},
		{"ad_attributes checked too", `[` + template(3, "SITE_SET_WECHAT", `,"ad_attributes":[`+elem("u", "URL", "STRING", `,"restriction":{"url_restriction":{"url_pattern":"("}}`)+`]`) + `]`, 0, "ad_attributes[0].restriction.url_restriction.url_pattern", 18005, "missing )"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := ParseCatalog([]byte(tt.catalog))
			if c != nil {
				t.Error("a refused catalog must not be returned")
			}
			var ce *CatalogError
			if !errors.As(err, &ce) {
				t.Fatalf("error %v is not a *CatalogError", err)
			}
			if ce.Index != tt.index || ce.Path != tt.path || ce.Code != tt.code || !strings.Contains(ce.Reason, tt.reason) {
				t.Errorf("got index %d path %q code %d reason %q\nwant index %d path %q code %d reason containing %q",
					ce.Index, ce.Path, ce.Code, ce.Reason, tt.index, tt.path, tt.code, tt.reason)
			}
		})
	}
}

func TestCatalogErrorNamesTemplateAndField(t *testing.T) {
	_, err := ParseCatalog([]byte(withElements(textElem(`{"min_length":5,"max_length":3}`))))
	want := "adtemplate: catalog[0] (template 70) adcreative_elements[0].restriction.text_restriction: min_length 5 is greater than max_length 3"
	if err == nil || err.Error() != want {
		t.Errorf("Error() = %v\nwant %s", err, want)
	}
	var ce *CatalogError
	errors.As(err, &ce)
	if p := ce.Platform(); p.Code != 18005 || p.Param != "[0].adcreative_elements[0].restriction.text_restriction" ||
		p.Message != "[0].adcreative_elements[0].restriction.text_restriction: min_length 5 is greater than max_length 3" {
		t.Errorf("Platform() = %+v", p)
	}
}

func TestParseCatalogAccepts(t *testing.T) {
	c := mustCatalog(t, `[]`)
	if c.Len() != 0 {
		t.Errorf("empty catalog has %d templates", c.Len())
	}
	// PHP-style [] and null for objects, as the seed's example sends them.
	c = mustCatalog(t, withElements(elem("a", "TEXT", "STRING", `,"enum_property":[],"array_property":null,"struct_property":[],"restriction":[]`)))
	if tpl, ok := c.Get(70); !ok || tpl.Elements[0].Restriction.Text != nil {
		t.Errorf("Get(70) = %+v, %v", tpl, ok)
	}
	if _, ok := c.Get(69); ok {
		t.Error("Get(69) found a template this catalog does not hold")
	}
}
