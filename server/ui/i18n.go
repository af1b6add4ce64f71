package ui

import (
	"net/http"
	"strings"
	"time"
)

// lang is "zh" or "en"; templates call {{.L.T "key"}}.
type lang string

const (
	langZH lang = "zh"
	langEN lang = "en"
)

// T is key's label in l; an unknown key shows as itself (a test checks
// that every key the templates use is in both languages).
func (l lang) T(key string) string {
	p, ok := labels[key]
	if !ok {
		return key
	}
	if l == langEN {
		return p[1]
	}
	return p[0]
}

// Other is the language the toggle switches to.
func (l lang) Other() lang {
	if l == langEN {
		return langZH
	}
	return langEN
}

// langOf is the cookie's choice, else the browser's first preference.
func langOf(r *http.Request) lang {
	if c, err := r.Cookie(langCookie); err == nil {
		switch lang(c.Value) {
		case langZH, langEN:
			return lang(c.Value)
		}
	}
	if strings.HasPrefix(strings.ToLower(r.Header.Get("Accept-Language")), "zh") {
		return langZH
	}
	return langEN
}

// setLang remembers the language for a year and returns to the page the
// toggle was on (only a /ui/ path: no open redirect).
func (u *UI) setLang(w http.ResponseWriter, r *http.Request) {
	l := lang(r.PathValue("lang"))
	if l != langZH && l != langEN {
		u.fail(w, r, http.StatusNotFound, errNotFound)
		return
	}
	http.SetCookie(w, &http.Cookie{Name: langCookie, Value: string(l), Path: "/ui/", MaxAge: int(365 * 24 * time.Hour / time.Second),
		HttpOnly: true, Secure: r.TLS != nil, SameSite: http.SameSiteLaxMode})
	http.Redirect(w, r, localPath(r.URL.Query().Get("next"), "/ui/"), http.StatusSeeOther)
}

// localPath returns p when it is a dashboard path, else def.
func localPath(p, def string) string {
	if strings.HasPrefix(p, "/ui/") && !strings.HasPrefix(p, "//") && !strings.ContainsAny(p, "\\\r\n") {
		return p
	}
	return def
}

// labels: key → {中文, English}.
var labels = map[string][2]string{
	"app_name":        {"wxads 投放端", "wxads dashboard"},
	"lang_toggle":     {"English", "中文"},
	"nav_sources":     {"数据源", "Data sources"},
	"nav_ads":         {"广告转化", "Ad conversions"},
	"nav_diagnostics": {"上传诊断", "Upload diagnostics"},
	"nav_live":        {"实时回传日志", "Live events"},
	"nav_errcodes":    {"错误码查询", "Error codes"},
	"nav_explorer":    {"API 调试工具", "API explorer"},
	"nav_advertisers": {"广告主", "Advertisers"},
	"nav_apps":        {"应用", "Apps"},
	"nav_followers":   {"关注用户", "Followers"},
	"nav_ad_events":   {"广告事件", "Ad events"},
	"nav_faults":      {"故障注入", "Faults"},
	"faults_intro": {"让匹配的调用按平台真实的错误形态失败，用于测试客户端的重试逻辑。规则保存在本节点内存中；设置会替换全部规则并清零命中次数。",
		"Make matching calls fail with the platform's real error shapes, to test a client's retries. Rules live in this node's memory; setting replaces every rule and resets the hit counts."},
	"fault_route":     {"接口", "Route"},
	"fault_delay":     {"延迟（毫秒）", "Delay (ms)"},
	"fault_rate":      {"比例", "Rate"},
	"fault_count":     {"次数", "Count"},
	"fault_hits":      {"命中次数", "Hits"},
	"fault_set":       {"设置为此规则", "Set this rule"},
	"fault_clear":     {"清除全部规则", "Clear every rule"},
	"nav_relay":       {"中继投递", "Relay"},
	"relay_off":       {"本服务未以 --upstream 启动，不做中继转发（见 docs/RELAY.md）。", "This server was not started with --upstream: it relays nothing (see docs/RELAY.md)."},
	"relay_pending":   {"待投递", "Pending"},
	"relay_delivered": {"已投递", "Delivered"},
	"relay_dead":      {"死信", "Dead"},
	"relay_lag":       {"投递延迟", "Delivery lag"},
	"relay_replay":    {"重放全部死信", "Replay every dead letter"},
	"relay_replayed":  {"已重新排队", "pending again:"},
	"relay_set":       {"数据源", "Data source"},
	"relay_state":     {"状态", "State"},
	"relay_attempts":  {"尝试次数", "Attempts"},
	"relay_request":   {"上游请求 ID", "Upstream request id"},
	"relay_next":      {"下一页", "Next page"},
	"faults_none":     {"无故障规则，所有调用正常应答", "No fault rules: every call is answered normally"},
	"signout":         {"退出登录", "Sign out"},
	"signed_in_as":    {"当前登录", "Signed in as"},
	"admin":           {"管理员", "Administrator"},

	"signin":             {"登录", "Sign in"},
	"signin_app":         {"广告主：用 AppID 和 AppSecret 登录", "Advertiser: sign in with AppID and AppSecret"},
	"signin_admin":       {"管理员：用管理令牌登录", "Operator: sign in with the admin token"},
	"appid":              {"AppID", "AppID"},
	"secret":             {"AppSecret", "AppSecret"},
	"admin_token":        {"管理令牌", "Admin token"},
	"signin_failed":      {"AppID 或 AppSecret 不正确，或管理令牌不正确。请检查后重试。", "The AppID or AppSecret is wrong, or the admin token is wrong. Check them and try again."},
	"signin_limited":     {"登录失败次数过多，请稍后再试。", "Too many failed sign-ins; try again later."},
	"signin_retry_after": {"可重试时间（秒）", "Retry after (seconds)"},
	"signin_pending":     {"该广告主尚未审核通过（PENDING），API 调用会返回 48001。", "This advertiser is not approved yet (PENDING): its API calls get 48001."},

	"err_not_found":  {"页面不存在，或不属于当前广告主。", "No such page, or it belongs to another advertiser."},
	"err_forbidden":  {"没有权限。请先登录。", "Not allowed. Sign in first."},
	"err_csrf":       {"表单已过期或缺少 CSRF 令牌，请刷新页面后重新提交。", "The form is stale or lacks its CSRF token; reload the page and submit again."},
	"err_bad_input":  {"输入有误", "Invalid input"},
	"err_internal":   {"服务器内部错误，请查看服务日志。", "Internal error; see the server log."},
	"back_home":      {"返回首页", "Back to the dashboard"},
	"pick_account":   {"选择要查看的广告主（account_id）", "Choose the advertiser to view (account_id)"},
	"account_id":     {"广告主 ID", "Account ID"},
	"show":           {"查看", "Show"},
	"none_yet":       {"暂无数据", "Nothing yet"},
	"inspector_none": {"本服务尚未启用请求记录（inspector）。", "This server does not keep a request log (inspector) yet."},

	"set_id":          {"数据源 ID", "Data source ID"},
	"set_name":        {"名称", "Name"},
	"set_type":        {"类型", "Type"},
	"status":          {"状态", "Status"},
	"activated":       {"已激活", "Activated"},
	"not_activated":   {"未激活（尚未收到行为数据）", "Not activated (no action received yet)"},
	"last_action":     {"最近一次收到行为", "Last action received"},
	"today_raw":       {"今日行为数", "Actions today"},
	"today_ident":     {"今日已识别", "Identified today"},
	"report":          {"报表", "Report"},
	"created_time":    {"创建时间", "Created"},
	"report_title":    {"数据源报表", "Data source report"},
	"start_date":      {"开始日期", "Start date"},
	"end_date":        {"结束日期", "End date"},
	"granularity":     {"时间粒度", "Granularity"},
	"DAILY":           {"按天", "Daily"},
	"HOURLY":          {"按小时", "Hourly"},
	"aggregation":     {"聚合维度", "Aggregation"},
	"agg_none":        {"不聚合", "None"},
	"ACTION_TYPE":     {"行为类型", "Action type"},
	"DOMAIN":          {"域名", "Domain"},
	"apply":           {"查询", "Apply"},
	"date":            {"日期", "Date"},
	"hour":            {"小时", "Hour"},
	"domain":          {"域名", "Domain"},
	"action_type":     {"行为类型", "Action type"},
	"raw_count":       {"原始行为数", "Raw actions"},
	"ident_count":     {"已识别行为数", "Identified actions"},
	"user_count":      {"已识别用户数", "Identified users"},
	"total":           {"合计", "Total"},
	"COMPLETE_ORDER":  {"下单量", "Orders (下单量)"},
	"RESERVATION":     {"销售线索量", "Sales leads (销售线索量)"},
	"REGISTER":        {"注册", "Registrations"},
	"CUSTOM":          {"自定义", "Custom"},
	"ident_rate":      {"识别率", "Identification rate"},
	"span_too_long":   {"时间跨度过长：按天最多 366 天，按小时最多 31 天。", "Range too long: at most 366 days daily, 31 days hourly."},
	"chart_alt":       {"图表：原始行为数、已识别行为数和已识别用户数", "Chart: raw actions, identified actions and identified users"},
	"ad_id":           {"广告 ID", "Ad ID"},
	"campaign_id":     {"推广计划 ID", "Campaign ID"},
	"conversions":     {"转化数", "Conversions"},
	"value":           {"转化价值（元）", "Value (yuan)"},
	"by_ad":           {"按广告", "By ad"},
	"by_campaign":     {"按推广计划", "By campaign"},
	"ads_title":       {"广告转化", "Ad conversions"},
	"diag_title":      {"上传诊断", "Upload diagnostics"},
	"accepted":        {"已接收", "Accepted"},
	"duplicates":      {"重复", "Duplicates"},
	"refused":         {"被拒绝", "Refused"},
	"refused_by_code": {"按错误码统计的拒绝", "Refused by error code"},
	"calls":           {"调用次数", "Calls"},
	"diag_no_uploads": {"这段时间内没有经由 API 的上传记录。直接写入存储的数据（例如 --demo 的种子数据）不计入诊断；通过 API 上传后这里会出现统计。",
		"No upload through the API in this range. Data written straight into the store (such as the --demo seed) is not counted here; uploads through the API appear as they come."},
	"live_none": {"还没有调用记录。用 curl、SDK 或", "No call yet. Send one with curl, the SDK or the"},

	"live_title":     {"实时回传日志", "Live events"},
	"live_following": {"自动跟随新的调用", "Following new calls"},
	"filter":         {"筛选", "Filter"},
	"route":          {"接口", "Route"},
	"errcode":        {"错误码", "Error code"},
	"errmsg":         {"错误信息", "Message"},
	"time":           {"时间", "Time"},
	"request_id":     {"请求 ID", "Request ID"},
	"body":           {"请求体", "Body"},
	"verdicts":       {"逐条结果", "Verdicts"},
	"explanation":    {"说明", "Explanation"},
	"hint":           {"建议", "Hint"},
	"details":        {"详情", "Details"},
	"identified":     {"识别", "Identified"},
	"attributed":     {"归因（广告 / 计划）", "Attributed (ad / campaign)"},

	"errcodes_title": {"错误码查询", "Error-code search"},
	"search":         {"搜索", "Search"},
	"search_help":    {"输入错误码（如 40164）或关键词（中文或英文）", "Enter a code (e.g. 40164) or words (Chinese or English)"},
	"area":           {"产品领域", "Area"},
	"message_cn":     {"中文说明", "Chinese"},
	"message_en":     {"英文说明", "English"},
	"source":         {"来源", "Source"},
	"no_match":       {"没有匹配的错误码", "No entry matches"},

	"explorer_title": {"API 调试工具", "API explorer"},
	"endpoint":       {"接口", "Endpoint"},
	"params":         {"参数", "Parameters"},
	"raw_json":       {"原始 JSON 请求体（填写后优先于上面的字段）", "Raw JSON body (when filled, it replaces the fields above)"},
	"send":           {"发送", "Send"},
	"as_app":         {"以哪个应用的身份（AppID）", "Act as app (AppID)"},
	"curl":           {"等价的 curl 命令", "The same request with curl"},
	"response":       {"响应", "Response"},
	"http_status":    {"HTTP 状态", "HTTP status"},
	"explorer_admin": {"管理接口使用管理令牌发送", "Admin routes are sent with the admin token"},
	"explorer_token": {"使用当前应用的 stable_token 发送", "Sent with the signed-in app's stable token"},

	"create":         {"创建", "Create"},
	"name":           {"名称", "Name"},
	"approve":        {"审核通过", "Approve"},
	"set_pending":    {"设为待审核", "Set pending"},
	"reset_secret":   {"重置 AppSecret", "Reset secret"},
	"whitelist":      {"IP 白名单", "IP whitelist"},
	"save":           {"保存", "Save"},
	"new_secret":     {"新的 AppSecret（只显示这一次，请保存）", "New secret (shown this once; keep it)"},
	"admin_result":   {"结果", "Result"},
	"openid":         {"OpenID", "OpenID"},
	"follow_time":    {"关注时间", "Followed"},
	"event_type":     {"事件类型", "Event type"},
	"click_id":       {"点击 ID", "Click ID"},
	"whitelist_help": {"每行一个 CIDR 或 IP；留空表示任何 IP 都不能获取 token。", "One CIDR or IP per line; empty means no IP may fetch a token."},
	"page_prev":      {"上一页", "Previous"},
	"page_next":      {"下一页", "Next"},
}
