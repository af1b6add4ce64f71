// Package adtemplate is the creative template catalog of the Tencent
// Marketing API v1.1 (`adcreative_templates/get`, seed 002, SPEC §8) and the
// offline validation of a creative's adcreative_elements against a template
// (SPEC §7). It has no HTTP in it: the server, the SDK and the CLI share it.
//
// A catalog keeps every template twice: the JSON object exactly as authored
// (compacted, key order and string escapes untouched), which is what the API
// serves, and a typed view used for filtering and validation. Serving the
// authored bytes is what lets template 69 stay byte-for-byte equal to the
// seed's example, including its PHP-style `[]` for empty objects.
package adtemplate

import "encoding/json"

// Template is the typed view of one catalog entry; fields and JSON names
// follow the seed's response schema. Raw returns the bytes that are served.
type Template struct {
	ID                 int64               `json:"adcreative_template_id"`
	Name               string              `json:"adcreative_template_name,omitempty"`        // deprecated in the seed
	Description        string              `json:"adcreative_template_description,omitempty"` // deprecated in the seed
	Size               string              `json:"adcreative_template_size,omitempty"`        // deprecated in the seed
	Style              string              `json:"adcreative_template_style,omitempty"`
	Appellation        string              `json:"adcreative_template_appellation,omitempty"`
	SiteSet            string              `json:"site_set"`
	PromotedObjectType string              `json:"promoted_object_type"`
	SampleImages       []SampleImage       `json:"adcreative_sample_image_list,omitempty"`
	AdAttributes       []Element           `json:"ad_attributes,omitempty"`
	CreativeAttributes []Element           `json:"adcreative_attributes,omitempty"`
	Elements           []Element           `json:"adcreative_elements"`
	SupportPageType    []string            `json:"support_page_type,omitempty"`
	LandingPageConfig  *LandingPageConfig  `json:"landing_page_config,omitempty"`
	LinkNameType       *LinkNameTypes      `json:"support_link_name_type,omitempty"`
	LinkPageType       *LinkPageTypes      `json:"support_link_page_type,omitempty"`
	BillingSpecs       []BillingSpec       `json:"support_billing_spec_list,omitempty"`
	DynamicAbility     *DynamicAbilitySpec `json:"support_dynamic_ability_spec_list,omitempty"`
	BidModes           []string            `json:"support_bid_mode_list,omitempty"`

	// ScenePositions is a catalog extension, not in the seed's response
	// schema: the values the `wechat_scene_spec_position` filter matches.
	ScenePositions []string `json:"wechat_scene_spec_position,omitempty"`

	raw     json.RawMessage // compacted authored object
	members []member        // its top-level members in authored order
}

// Raw returns the template's JSON object as served: the authored bytes with
// insignificant whitespace removed. Callers must not modify it.
func (t *Template) Raw() json.RawMessage { return t.raw }

// SampleImage is one entry of adcreative_sample_image_list.
type SampleImage struct {
	Name  string `json:"name"`
	Thumb string `json:"thumb,omitempty"`
	Image string `json:"image"`
}

// Element describes one creative element (or ad / creative attribute).
// Children of a struct element name it in ParentName.
type Element struct {
	Name           string         `json:"name"`
	ElementType    string         `json:"element_type"`
	FieldType      string         `json:"field_type"`
	Required       bool           `json:"required"`
	Description    string         `json:"description"`
	ParentName     string         `json:"parent_name"`
	EnumProperty   EnumProperty   `json:"enum_property"`
	ArrayProperty  ArrayProperty  `json:"array_property"`
	StructProperty StructProperty `json:"struct_property"`
	Restriction    Restriction    `json:"restriction"`
}

// EnumProperty lists the values an enum element accepts.
type EnumProperty struct {
	Default     string      `json:"default,omitempty"`
	Enumeration []EnumValue `json:"enumeration,omitempty"`
}

// EnumValue is one accepted value of an enum element.
type EnumValue struct {
	Value       string `json:"value"`
	Description string `json:"description"`
}

// ArrayProperty bounds the item count of an array element; 0 means unbounded.
type ArrayProperty struct {
	MinNumber int `json:"min_number,omitempty"`
	MaxNumber int `json:"max_number,omitempty"`
}

// StructProperty says whether at most one child of a struct may be used.
type StructProperty struct {
	MutuallyExclusive bool `json:"element_mutual_exclusive,omitempty"`
}

// Restriction holds at most one restriction kind, matching the element type.
type Restriction struct {
	Text   *TextRestriction   `json:"text_restriction,omitempty"`
	Image  *ImageRestriction  `json:"image_restriction,omitempty"`
	URL    *URLRestriction    `json:"url_restriction,omitempty"`
	Video  *VideoRestriction  `json:"video_restriction,omitempty"`
	Number *NumberRestriction `json:"number_restriction,omitempty"`
}

// TextRestriction bounds a text; lengths count characters (Unicode code
// points), 0 meaning unbounded.
type TextRestriction struct {
	MinLength   int    `json:"min_length,omitempty"`
	MaxLength   int    `json:"max_length,omitempty"`
	TextPattern string `json:"text_pattern,omitempty"`

	pattern *Pattern
}

// URLRestriction gives the pattern a URL must match.
type URLRestriction struct {
	URLPattern string `json:"url_pattern,omitempty"`

	pattern *Pattern
}

// ImageRestriction: exact pixel size, maximum size in KB (1 KB = 1024 B) and
// accepted formats; a zero or empty field does not restrict.
type ImageRestriction struct {
	Width      int      `json:"width,omitempty"`
	Height     int      `json:"height,omitempty"`
	FileSize   int      `json:"file_size,omitempty"`
	FileFormat []string `json:"file_format,omitempty"`
}

// VideoRestriction: either an exact width/height or a minimum size with an
// aspect ratio; maximum size in KB; formats; duration bounds in seconds.
type VideoRestriction struct {
	Width       int      `json:"width,omitempty"`
	Height      int      `json:"height,omitempty"`
	MinWidth    int      `json:"min_width,omitempty"`
	MinHeight   int      `json:"min_height,omitempty"`
	RatioWidth  int      `json:"ratio_width,omitempty"`
	RatioHeight int      `json:"ratio_height,omitempty"`
	FileSize    int      `json:"file_size,omitempty"`
	FileFormat  []string `json:"file_format,omitempty"`
	MinDuration int      `json:"min_duration,omitempty"`
	MaxDuration int      `json:"max_duration,omitempty"`
}

// NumberRestriction bounds an integer element; nil means unbounded.
type NumberRestriction struct {
	Min *int64 `json:"min,omitempty"`
	Max *int64 `json:"max,omitempty"`
}

// LandingPageConfig is landing_page_config.
type LandingPageConfig struct {
	Required            bool       `json:"required"`
	SupportPageTypeList []PageType `json:"support_page_type_list,omitempty"`
}

// PageType is one supported landing page type.
type PageType struct {
	PageType    string `json:"page_type"`
	Description string `json:"description"`
}

// LinkNameTypes is support_link_name_type.
type LinkNameTypes struct {
	Required bool       `json:"required"`
	List     []LinkName `json:"list,omitempty"`
}

// LinkName is one text-link jump type.
type LinkName struct {
	LinkNameType string `json:"link_name_type"`
	Description  string `json:"description"`
}

// LinkPageTypes is support_link_page_type.
type LinkPageTypes struct {
	Required bool       `json:"required"`
	List     []LinkPage `json:"list,omitempty"`
}

// LinkPage is one landing page type a text link supports.
type LinkPage struct {
	LinkPageType string `json:"link_page_type"`
	Description  string `json:"description"`
}

// BillingSpec is one supported billing event with its bid bounds in fen.
type BillingSpec struct {
	BillingEvent string `json:"billing_event"`
	MinPrice     int64  `json:"min_price"`
	MaxPrice     int64  `json:"max_price"`
}

// DynamicAbilitySpec is support_dynamic_ability_spec_list (an object, despite the name).
type DynamicAbilitySpec struct {
	DynamicAbilityType         []string `json:"dynamic_ability_type,omitempty"`
	ProductItemDisplayQuantity []string `json:"product_item_display_quantity,omitempty"`
}
