package adtemplate

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"
)

// ruleTemplate has one element of every kind the validator knows.
func ruleTemplate(t *testing.T) *Template {
	t.Helper()
	child := func(e, parent string) string {
		return strings.Replace(e, `"parent_name":""`, `"parent_name":"`+parent+`"`, 1)
	}
	required := func(e string) string { return strings.Replace(e, `"required":false`, `"required":true`, 1) }
	urlPattern, _ := json.Marshal(seedURLPattern)
	url := `,"restriction":{"url_restriction":{"url_pattern":` + string(urlPattern) + `}}`
	return mustTemplate(t, "["+strings.Join([]string{
		required(elem("title", "TEXT", "STRING", `,"restriction":{"text_restriction":{"min_length":2,"max_length":5,"text_pattern":"^[^<>]+$"}}`)),
		elem("link", "URL", "STRING", url),
		elem("button", "ENUM", "ENUM", `,"enum_property":{"default":"A","enumeration":[{"value":"A","description":""},{"value":"B","description":""}]}`),
		elem("stars", "INTEGER", "INTEGER", `,"restriction":{"number_restriction":{"min":1,"max":5}}`),
		elem("flag", "BOOLEAN", "BOOLEAN", ""),
		elem("tags", "TEXT", "STRING_ARRAY", `,"array_property":{"min_number":1,"max_number":3},"restriction":{"text_restriction":{"max_length":4}}`),
		elem("image", "IMAGE", "STRING", `,"restriction":{"image_restriction":{"width":72,"height":72,"file_size":30,"file_format":["IMAGE_TYPE_JPG","IMAGE_TYPE_PNG"]}}`),
		elem("images", "IMAGE_ARRAY", "STRING_ARRAY", `,"array_property":{"min_number":2,"max_number":3},"restriction":{"image_restriction":{"width":100,"height":100}}`),
		elem("video", "VIDEO", "STRING", `,"restriction":{"video_restriction":{"min_width":1280,"min_height":720,"ratio_width":16,"ratio_height":9,"file_size":1024,"file_format":["MEDIA_TYPE_MP4"],"min_duration":6,"max_duration":30}}`),
		elem("fixed_video", "VIDEO", "STRING", `,"restriction":{"video_restriction":{"width":640,"height":360}}`),
		elem("brand", "STRUCT", "STRUCT", ""),
		child(required(elem("brand_name", "TEXT", "STRING", `,"restriction":{"text_restriction":{"min_length":1,"max_length":4}}`)), "brand"),
		child(elem("brand_img", "IMAGE", "STRING", ""), "brand"),
		elem("jump", "STRUCT", "STRUCT", `,"struct_property":{"element_mutual_exclusive":true}`),
		child(required(elem("page_url", "URL", "STRING", url)), "jump"),
		child(required(elem("mini_id", "TEXT", "STRING", "")), "jump"),
		elem("story", "STRUCT", "STRUCT_ARRAY", `,"array_property":{"min_number":1,"max_number":2}`),
		child(required(elem("caption", "TEXT", "STRING", `,"restriction":{"text_restriction":{"max_length":3}}`)), "story"),
	}, ",")+"]")
}

// found renders violations as "element rule" lines for comparison.
func found(vs []Violation) []string {
	out := []string{}
	for _, v := range vs {
		out = append(out, v.Element+" "+v.Rule)
	}
	return out
}

func TestValidateCreativeRules(t *testing.T) {
	tpl := ruleTemplate(t)
	tests := []struct {
		name, creative string
		want           []string
	}{
		{"minimal valid; length in characters, not bytes", `{"title":"广告文案"}`, nil},
		{"everything valid", `{"title":"广告文案","link":"https://ad.example.com/a?b=1","button":"B","stars":5,"flag":true,` +
			`"tags":["新品","sale"],"image":{"id":"img-1","width":72,"height":72,"file_size_bytes":30720,"format":"jpg"},` +
			`"images":["m1","m2"],"video":{"id":"v","width":1920,"height":1080,"file_size_bytes":1048576,"format":"video/mp4","duration":15},` +
			`"fixed_video":"v2","brand":{"brand_name":"腾讯广告","brand_img":"b1"},"jump":{"mini_id":"gh_1"},"story":[{"caption":"第一张"},{"caption":"二"}]}`, nil},
		{"not an object", `["title"]`, []string{" type"}},
		{"not JSON", `{"title":`, []string{" type"}},
		{"required missing", `{}`, []string{"title required"}},
		{"null is missing", `{"title":null}`, []string{"title required"}},
		{"unknown element", `{"title":"广告","colour":"red","alpha":1}`, []string{"alpha unknown", "colour unknown"}},
		{"min_length", `{"title":"广"}`, []string{"title min_length"}},
		{"max_length", `{"title":"广告文案多了"}`, []string{"title max_length"}},
		{"emoji is one character", `{"title":"😀😀"}`, nil},
		{"text pattern", `{"title":"a<b"}`, []string{"title pattern"}},
		{"text type", `{"title":12}`, []string{"title type"}},
		{"url pattern", `{"title":"广告","link":"ftp://ad.example.com"}`, []string{"link pattern"}},
		{"enum", `{"title":"广告","button":"C"}`, []string{"button enum"}},
		{"range below", `{"title":"广告","stars":0}`, []string{"stars range"}},
		{"range above", `{"title":"广告","stars":6}`, []string{"stars range"}},
		{"integer as string", `{"title":"广告","stars":"3"}`, []string{"stars type"}},
		{"integer with fraction", `{"title":"广告","stars":3.5}`, []string{"stars type"}},
		{"boolean", `{"title":"广告","flag":"yes"}`, []string{"flag type"}},
		{"array_min", `{"title":"广告","tags":[]}`, []string{"tags array_min"}},
		{"array_max", `{"title":"广告","tags":["a","b","c","d"]}`, []string{"tags array_max"}},
		{"array item", `{"title":"广告","tags":["a","toolong"]}`, []string{"tags[1] max_length"}},
		{"array not an array", `{"title":"广告","tags":"a"}`, []string{"tags type"}},
		{"struct child required", `{"title":"广告","brand":{}}`, []string{"brand.brand_name required"}},
		{"struct child checked", `{"title":"广告","brand":{"brand_name":"很长的品牌名"}}`, []string{"brand.brand_name max_length"}},
		{"struct unknown child", `{"title":"广告","brand":{"brand_name":"b","logo":"x"}}`, []string{"brand.logo unknown"}},
		{"struct not an object", `{"title":"广告","brand":"x"}`, []string{"brand type"}},
		{"mutually_exclusive", `{"title":"广告","jump":{"page_url":"https://a.example.com","mini_id":"gh_1"}}`, []string{"jump mutually_exclusive"}},
		{"exclusive struct needs one", `{"title":"广告","jump":{}}`, []string{"jump required"}},
		{"exclusive child still checked", `{"title":"广告","jump":{"page_url":"nope"}}`, []string{"jump.page_url pattern"}},
		{"struct array min", `{"title":"广告","story":[]}`, []string{"story array_min"}},
		{"struct array max", `{"title":"广告","story":[{"caption":"a"},{"caption":"b"},{"caption":"c"}]}`, []string{"story array_max"}},
		{"struct array item", `{"title":"广告","story":[{"caption":"a"},{}]}`, []string{"story[1].caption required"}},
		{"struct array item type", `{"title":"广告","story":[1]}`, []string{"story[0] type"}},
		{"several, in template order", `{"zeta":1,"stars":9,"title":"a"}`, []string{"title min_length", "stars range", "zeta unknown"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := ValidateCreative(tpl, json.RawMessage(tt.creative))
			if got == nil {
				t.Fatal("nil violations; want a non-nil slice")
			}
			if want := append([]string{}, tt.want...); !slices.Equal(found(got), want) {
				t.Errorf("got %q, want %q\n%+v", found(got), want, got)
			}
		})
	}
}

func TestValidateMessagesSayCharacters(t *testing.T) {
	got := ValidateCreative(ruleTemplate(t), json.RawMessage(`{"title":"广告文案多了"}`))
	if len(got) != 1 || !strings.Contains(got[0].Message, "6 characters (code points, not bytes)") || !strings.Contains(got[0].Message, "5") {
		t.Errorf("message %+v", got)
	}
	b, _ := json.Marshal(got[0])
	if !strings.HasPrefix(string(b), `{"element":"title","rule":"max_length","message":`) {
		t.Errorf("JSON %s", b)
	}
}

// TestValidateTemplate69 validates against the seed's own template.
func TestValidateTemplate69(t *testing.T) {
	tpl, _ := Default().Get(69)
	tests := []struct {
		creative string
		want     []string
	}{
		{`{"image":"img-1","title":"移动 Banner 文案","description":"描述","phone":"400-800-8888"}`, nil},
		{`{"image":{"id":"i","width":72,"height":72,"file_size_bytes":1024,"format":"IMAGE_TYPE_PNG"},"title":"t","description":"d"}`, nil},
		{`{"image":{"width":72,"height":80,"format":"gif"},"title":"这条广告文案足足有十五个字那么长","description":"d"}`,
			[]string{"image image_height", "image image_format", "title max_length"}},
		{`{"title":"t","phone":400}`, []string{"image required", "description required", "phone type"}},
		{`{"image":"i","title":"t","description":"d","deep_link_url":"weixin://x"}`, []string{"deep_link_url unknown"}},
	}
	for i, tt := range tests {
		t.Run(fmt.Sprint(i), func(t *testing.T) {
			if got := found(ValidateCreative(tpl, json.RawMessage(tt.creative))); !slices.Equal(got, append([]string{}, tt.want...)) {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}
