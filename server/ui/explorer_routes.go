package ui

// param is one input of an explorer route.
type param struct {
	Name     string
	In       string // "query", "body" or "path"
	Kind     string // "string", "int", "bool", "json" (a JSON value as typed) or "enum"
	Enum     []string
	Required bool
	Example  string // prefilled; {appid}, {set}, {account}, {today}, {week_ago} are filled per session
	Help     string
}

// endpoint is one route the explorer can call.
type endpoint struct {
	ID       string // form value
	Method   string
	Path     string // may hold {appid}/{account_id} path values
	Section  string // SPEC section
	Auth     string // "none" (credentials in the call), "token", "v11" (token+timestamp+nonce), "admin"
	Params   []param
	BodyHint string // an example raw JSON body, for routes best sent raw
}

var dateRangeExample = `{"start_date":"{week_ago}","end_date":"{today}"}`

// endpoints are the routes of SPEC §4, §5 (admin only), §6, §7 and §8.
var endpoints = []endpoint{
	{ID: "token", Method: "GET", Path: "/cgi-bin/token", Section: "§4", Auth: "none", Params: []param{
		{Name: "grant_type", In: "query", Kind: "string", Required: true, Example: "client_credential"},
		{Name: "appid", In: "query", Kind: "string", Required: true, Example: "{appid}"},
		{Name: "secret", In: "query", Kind: "string", Required: true, Help: "AppSecret"},
	}},
	{ID: "stable_token", Method: "POST", Path: "/cgi-bin/stable_token", Section: "§4", Auth: "none", Params: []param{
		{Name: "grant_type", In: "body", Kind: "string", Required: true, Example: "client_credential"},
		{Name: "appid", In: "body", Kind: "string", Required: true, Example: "{appid}"},
		{Name: "secret", In: "body", Kind: "string", Required: true, Help: "AppSecret"},
		{Name: "force_refresh", In: "body", Kind: "bool", Example: "false"},
	}},
	{ID: "sets_add", Method: "POST", Path: "/marketing/user_action_sets/add", Section: "§6.1", Auth: "token", Params: []param{
		{Name: "type", In: "body", Kind: "enum", Required: true, Enum: []string{"WECHAT", "WEB", "ANDROID", "IOS", "WECHAT_MINI_PROGRAM", "WECHAT_MINI_GAME"}},
		{Name: "name", In: "body", Kind: "string", Required: true, Help: "1–32 bytes"},
		{Name: "description", In: "body", Kind: "string", Help: "≤ 128 bytes"},
		{Name: "wechat_app_id", In: "body", Kind: "string", Example: "{appid}", Help: "WECHAT* types"},
	}},
	{ID: "sets_get", Method: "GET", Path: "/marketing/user_action_sets/get", Section: "§6.2", Auth: "token", Params: []param{
		{Name: "user_action_set_id", In: "query", Kind: "int", Example: "{set}"},
		{Name: "wechat_app_id", In: "query", Kind: "string"},
	}},
	{ID: "actions_add", Method: "POST", Path: "/marketing/user_actions/add", Section: "§6.3", Auth: "token", Params: []param{
		{Name: "validate_only", In: "query", Kind: "bool"},
		{Name: "partial_failure", In: "query", Kind: "bool"},
	}, BodyHint: `{"actions":[{"user_action_set_id":{set},"url":"https://shop.example.com/order","action_time":{now},` +
		`"action_type":"COMPLETE_ORDER","user_id":{"wechat_app_id":"{appid}","wechat_openid":"oABCDEFGHIJKLMNOPQRSTUVWXYZa"},` +
		`"outer_action_id":"explorer_{now}","action_param":{"source":"Biz","claim_type":0,"value":9900}}]}`},
	{ID: "report_get", Method: "GET", Path: "/marketing/user_action_set_reports/get", Section: "§6.4", Auth: "token", Params: []param{
		{Name: "user_action_set_id", In: "query", Kind: "int", Required: true, Example: "{set}"},
		{Name: "date_range", In: "query", Kind: "string", Required: true, Example: dateRangeExample},
		{Name: "time_granularity", In: "query", Kind: "enum", Enum: []string{"", "DAILY", "HOURLY"}},
		{Name: "aggregation", In: "query", Kind: "enum", Enum: []string{"", "DOMAIN", "ACTION_TYPE"}},
	}},
	{ID: "actions_get", Method: "GET", Path: "/ext/v1/user_actions/get", Section: "§7", Auth: "token", Params: []param{
		{Name: "user_action_set_id", In: "query", Kind: "int", Required: true, Example: "{set}"},
		{Name: "page", In: "query", Kind: "int", Example: "1"},
		{Name: "page_size", In: "query", Kind: "int", Example: "10"},
	}},
	{ID: "ad_reports_get", Method: "GET", Path: "/ext/v1/ad_reports/get", Section: "§7", Auth: "token", Params: []param{
		{Name: "date_range", In: "query", Kind: "string", Required: true, Example: dateRangeExample},
		{Name: "time_granularity", In: "query", Kind: "enum", Enum: []string{"", "DAILY", "HOURLY"}},
	}},
	{ID: "requests_get", Method: "GET", Path: "/ext/v1/requests/get", Section: "§7", Auth: "token", Params: []param{
		{Name: "page", In: "query", Kind: "int", Example: "1"},
		{Name: "page_size", In: "query", Kind: "int", Example: "10"},
		{Name: "errcode", In: "query", Kind: "int"},
		{Name: "route", In: "query", Kind: "string"},
	}},
	{ID: "diagnostics_get", Method: "GET", Path: "/ext/v1/diagnostics/get", Section: "§7", Auth: "token", Params: []param{
		{Name: "date_range", In: "query", Kind: "string", Required: true, Example: dateRangeExample},
		{Name: "user_action_set_id", In: "query", Kind: "int"},
	}},
	{ID: "grants_get", Method: "GET", Path: "/ext/v1/oauth_grants/get", Section: "§10", Auth: "token"},
	{ID: "grants_revoke", Method: "POST", Path: "/ext/v1/oauth_grants/revoke", Section: "§10", Auth: "token", Params: []param{
		{Name: "client_id", In: "body", Kind: "int", Required: true, Help: "OAuth client_id / 开发者应用 ID"},
	}},
	{ID: "validate_creative", Method: "POST", Path: "/ext/v1/adcreative_templates/validate", Section: "§7", Auth: "token",
		BodyHint: `{"adcreative_template_id":69,"adcreative_elements":{"title":"wxads"}}`},
	{ID: "templates_get", Method: "GET", Path: "/v1.1/adcreative_templates/get", Section: "§8", Auth: "v11", Params: []param{
		{Name: "account_id", In: "query", Kind: "int", Required: true, Example: "{account}"},
		{Name: "filtering", In: "query", Kind: "string", Example: `[{"field":"adcreative_template_id","operator":"EQUALS","values":["69"]}]`},
		{Name: "page", In: "query", Kind: "int", Example: "1"},
		{Name: "page_size", In: "query", Kind: "int", Example: "10"},
		{Name: "fields", In: "query", Kind: "string"},
	}},

	// Admin API (SPEC §5): only an admin session sees these.
	{ID: "adm_adv_add", Method: "POST", Path: "/admin/v1/advertisers", Section: "§5", Auth: "admin", Params: []param{
		{Name: "name", In: "body", Kind: "string", Required: true},
		{Name: "status", In: "body", Kind: "enum", Enum: []string{"APPROVED", "PENDING"}},
	}},
	{ID: "adm_adv_patch", Method: "PATCH", Path: "/admin/v1/advertisers/{account_id}", Section: "§5", Auth: "admin", Params: []param{
		{Name: "account_id", In: "path", Kind: "int", Required: true, Example: "{account}"},
		{Name: "status", In: "body", Kind: "enum", Required: true, Enum: []string{"APPROVED", "PENDING"}},
	}},
	{ID: "adm_app_add", Method: "POST", Path: "/admin/v1/apps", Section: "§5", Auth: "admin", Params: []param{
		{Name: "account_id", In: "body", Kind: "int", Required: true, Example: "{account}"},
		{Name: "name", In: "body", Kind: "string", Required: true},
		{Name: "ip_whitelist", In: "body", Kind: "json", Example: `["127.0.0.1/32"]`},
	}},
	{ID: "adm_reset", Method: "POST", Path: "/admin/v1/apps/{appid}/reset_secret", Section: "§5", Auth: "admin", Params: []param{
		{Name: "appid", In: "path", Kind: "string", Required: true, Example: "{appid}"},
	}},
	{ID: "adm_whitelist", Method: "PUT", Path: "/admin/v1/apps/{appid}/ip_whitelist", Section: "§5", Auth: "admin", Params: []param{
		{Name: "appid", In: "path", Kind: "string", Required: true, Example: "{appid}"},
		{Name: "ip_whitelist", In: "body", Kind: "json", Required: true, Example: `["127.0.0.0/8","::1/128"]`},
	}},
	{ID: "adm_followers", Method: "POST", Path: "/admin/v1/apps/{appid}/followers", Section: "§5", Auth: "admin", Params: []param{
		{Name: "appid", In: "path", Kind: "string", Required: true, Example: "{appid}"},
		{Name: "count", In: "body", Kind: "int", Example: "3"},
		{Name: "openids", In: "body", Kind: "json"},
	}},
	{ID: "adm_revoke", Method: "POST", Path: "/admin/v1/apps/{appid}/revoke_tokens", Section: "§5", Auth: "admin", Params: []param{
		{Name: "appid", In: "path", Kind: "string", Required: true, Example: "{appid}"},
	}},
	{ID: "adm_advertisers", Method: "GET", Path: "/admin/v1/advertisers", Section: "§5", Auth: "admin", Params: []param{
		{Name: "page", In: "query", Kind: "int", Example: "1"},
	}},
	{ID: "adm_apps", Method: "GET", Path: "/admin/v1/apps", Section: "§5", Auth: "admin", Params: []param{
		{Name: "account_id", In: "query", Kind: "int", Example: "{account}"},
	}},
	{ID: "adm_app", Method: "GET", Path: "/admin/v1/apps/{appid}", Section: "§5", Auth: "admin", Params: []param{
		{Name: "appid", In: "path", Kind: "string", Required: true, Example: "{appid}"},
	}},
	{ID: "adm_followers_get", Method: "GET", Path: "/admin/v1/apps/{appid}/followers", Section: "§5", Auth: "admin", Params: []param{
		{Name: "appid", In: "path", Kind: "string", Required: true, Example: "{appid}"},
		{Name: "page", In: "query", Kind: "int", Example: "1"},
	}},
	{ID: "adm_ad_events_get", Method: "GET", Path: "/admin/v1/ad_events", Section: "§5", Auth: "admin", Params: []param{
		{Name: "appid", In: "query", Kind: "string", Required: true, Example: "{appid}"},
		{Name: "page", In: "query", Kind: "int", Example: "1"},
	}},
	{ID: "adm_grants", Method: "GET", Path: "/admin/v1/oauth_grants", Section: "§10", Auth: "admin", Params: []param{
		{Name: "account_id", In: "query", Kind: "int", Required: true, Example: "{account}"},
	}},
	{ID: "adm_ad_events", Method: "POST", Path: "/admin/v1/ad_events", Section: "§5", Auth: "admin",
		BodyHint: `{"events":[{"type":"CLICK","appid":"{appid}","openid":"oABCDEFGHIJKLMNOPQRSTUVWXYZa","ad_id":7011,"campaign_id":901,"click_id":"clk_explorer","time":{now}}]}`},
}

func endpointByID(id string) *endpoint {
	for i := range endpoints {
		if endpoints[i].ID == id {
			return &endpoints[i]
		}
	}
	return nil
}
