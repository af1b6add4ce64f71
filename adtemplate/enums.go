package adtemplate

import "slices"

// The enumerations below are copied in full from seed 002's request
// parameters (filtering values), in the seed's order.

// SiteSets are the values of site_set.
var SiteSets = []string{
	"SITE_SET_QZONE", "SITE_SET_QQCLIENT", "SITE_SET_MUSIC", "SITE_SET_MOBILE_UNION",
	"SITE_SET_QQCOM", "SITE_SET_WECHAT", "SITE_SET_MOBILE_INNER", "SITE_SET_TENCENT_NEWS",
	"SITE_SET_TENCENT_VIDEO", "SITE_SET_TENCENT_KUAIBAO", "SITE_SET_MOBILE_MYAPP", "SITE_SET_PCQQ",
	"SITE_SET_KANDIAN", "SITE_SET_QQ_MUSIC_GAME", "SITE_SET_MOMENTS", "SITE_SET_KUAISHOU",
	"SITE_SET_MINI_GAME_WECHAT", "SITE_SET_MINI_GAME_QQ", "SITE_SET_MOBILE_GAME", "SITE_SET_MOBILE_YYB",
	"SITE_SET_QQSHOPPING", "SITE_SET_CHANNELS", "SITE_SET_WECHAT_SEARCH", "SITE_SET_WECHAT_PLUGIN",
	"SITE_SET_FREETRADE", "SITE_SET_QBSEARCH", "SITE_SET_FREETRADE_FINDER", "SITE_SET_BROWSER_MOBILE",
	"SITE_SET_SEARCH_SCENE", "SITE_SET_BROWSER_PC", "SITE_SET_CHANNELS_CONTENT_PROMOTION",
	"SITE_SET_FREETRADE_WEAPP", "SITE_SET_FREETRADE_QQ",
}

// PromotedObjectTypes are the values of promoted_object_type.
var PromotedObjectTypes = []string{
	"PROMOTED_OBJECT_TYPE_APP_ANDROID", "PROMOTED_OBJECT_TYPE_APP_IOS",
	"PROMOTED_OBJECT_TYPE_ECOMMERCE", "PROMOTED_OBJECT_TYPE_LINK_WECHAT",
	"PROMOTED_OBJECT_TYPE_APP_ANDROID_MYAPP", "PROMOTED_OBJECT_TYPE_APP_ANDROID_UNION",
	"PROMOTED_OBJECT_TYPE_LOCAL_ADS_WECHAT", "PROMOTED_OBJECT_TYPE_QQ_BROWSER_MINI_PROGRAM",
	"PROMOTED_OBJECT_TYPE_LINK", "PROMOTED_OBJECT_TYPE_QQ_MESSAGE",
	"PROMOTED_OBJECT_TYPE_QZONE_VIDEO_PAGE", "PROMOTED_OBJECT_TYPE_ARTICLE",
	"PROMOTED_OBJECT_TYPE_LEAD_AD", "PROMOTED_OBJECT_TYPE_TENCENT_KE",
	"PROMOTED_OBJECT_TYPE_QZONE_PAGE_ARTICLE", "PROMOTED_OBJECT_TYPE_QZONE_PAGE_IFRAMED",
	"PROMOTED_OBJECT_TYPE_QZONE_PAGE", "PROMOTED_OBJECT_TYPE_APP_PC",
	"PROMOTED_OBJECT_TYPE_MINI_GAME_WECHAT", "PROMOTED_OBJECT_TYPE_MINI_GAME_QQ",
	"PROMOTED_OBJECT_TYPE_WECHAT_OFFICIAL_ACCOUNT", "PROMOTED_OBJECT_TYPE_APP_QUICK_APP",
	"PROMOTED_OBJECT_TYPE_WECHAT_ARTICLE", "PROMOTED_OBJECT_TYPE_WECHAT_PAY_COUPON",
}

// DynamicAbilityTypes are the values of dynamic_ability_type.
var DynamicAbilityTypes = []string{
	"DYNAMIC_TYPE_SINGLE_PRODUCT_AD", "DYNAMIC_TYPE_MULTIPLE_PRODUCT_AD", "DYNAMIC_TYPE_DYNAMIC_CREATIVE",
}

// Filter fields of `filtering` (seed 002), in the seed's order.
const (
	FieldTemplateID     = "adcreative_template_id"
	FieldIsDynamic      = "is_dynamic_creative"
	FieldSiteSet        = "site_set"
	FieldPromotedObject = "promoted_object_type"
	FieldDynamicAbility = "dynamic_ability_type"
	FieldWechatScenePos = "wechat_scene_spec_position"
	OperatorEquals      = "EQUALS"
)

// dynamicCreative is the ability is_dynamic_creative=1 selects.
const dynamicCreative = "DYNAMIC_TYPE_DYNAMIC_CREATIVE"

// FilterFields are the fields `filtering` accepts; each takes only EQUALS.
var FilterFields = []string{
	FieldTemplateID, FieldIsDynamic, FieldSiteSet, FieldPromotedObject, FieldDynamicAbility, FieldWechatScenePos,
}

// ListFields are the list-item fields of the seed's response schema: the
// names `fields` may project to, in the schema's order.
var ListFields = []string{
	"adcreative_template_id", "adcreative_template_name", "adcreative_template_description",
	"adcreative_template_size", "adcreative_template_style", "adcreative_template_appellation",
	"site_set", "promoted_object_type", "adcreative_sample_image_list", "ad_attributes",
	"adcreative_attributes", "adcreative_elements", "support_page_type", "landing_page_config",
	"support_link_name_type", "support_link_page_type", "support_billing_spec_list",
	"support_dynamic_ability_spec_list", "support_bid_mode_list",
}

// The seed links its element, field and file-format enums to a page it does
// not include; these lists are the platform's published values (the seed's
// own ELEMENT_TYPE_IMAGE_ARRAY and ELEMENT_TYPE_INTEGER among them).
var (
	elementTypes = []string{
		"ELEMENT_TYPE_TEXT", "ELEMENT_TYPE_IMAGE", "ELEMENT_TYPE_IMAGE_ARRAY", "ELEMENT_TYPE_VIDEO",
		"ELEMENT_TYPE_URL", "ELEMENT_TYPE_ENUM", "ELEMENT_TYPE_INTEGER", "ELEMENT_TYPE_NUMBER",
		"ELEMENT_TYPE_BOOLEAN", "ELEMENT_TYPE_STRUCT", "ELEMENT_TYPE_CANVAS", "ELEMENT_TYPE_REFERENCE",
		"ELEMENT_TYPE_PHONE", "ELEMENT_TYPE_FORM", "ELEMENT_TYPE_CONSULT", "ELEMENT_TYPE_LANDING_PAGE_STRUCT",
	}
	fieldTypes = []string{
		"FIELD_TYPE_STRING", "FIELD_TYPE_ENUM", "FIELD_TYPE_INTEGER", "FIELD_TYPE_BOOLEAN", "FIELD_TYPE_STRUCT",
		"FIELD_TYPE_STRING_ARRAY", "FIELD_TYPE_ENUM_ARRAY", "FIELD_TYPE_INTEGER_ARRAY", "FIELD_TYPE_STRUCT_ARRAY",
	}
	imageFormats = []string{"IMAGE_TYPE_JPG", "IMAGE_TYPE_PNG", "IMAGE_TYPE_GIF", "IMAGE_TYPE_BMP", "IMAGE_TYPE_SWF"}
	videoFormats = []string{"MEDIA_TYPE_MP4", "MEDIA_TYPE_MOV", "MEDIA_TYPE_AVI", "MEDIA_TYPE_FLV"}
)

// Element and field types the validator treats specially.
const (
	elemText       = "ELEMENT_TYPE_TEXT"
	elemImage      = "ELEMENT_TYPE_IMAGE"
	elemImageArray = "ELEMENT_TYPE_IMAGE_ARRAY"
	elemVideo      = "ELEMENT_TYPE_VIDEO"
	elemURL        = "ELEMENT_TYPE_URL"
	elemEnum       = "ELEMENT_TYPE_ENUM"
	elemInteger    = "ELEMENT_TYPE_INTEGER"
	elemNumber     = "ELEMENT_TYPE_NUMBER"
	elemStruct     = "ELEMENT_TYPE_STRUCT"

	fieldString      = "FIELD_TYPE_STRING"
	fieldInteger     = "FIELD_TYPE_INTEGER"
	fieldBoolean     = "FIELD_TYPE_BOOLEAN"
	fieldStruct      = "FIELD_TYPE_STRUCT"
	fieldStructArray = "FIELD_TYPE_STRUCT_ARRAY"
)

func in(list []string, v string) bool { return slices.Contains(list, v) }
