package errcode

// Hint returns what to do about code, or "" when the registry has no advice
// for it. The hints follow seed 000's FAQ and troubleshooting flow (排查流程:
// check the FAQ, then this table, then the platform's developer docs) and
// the platform's behaviour as SPEC §4–§8 fixes it.
func Hint(code int) string {
	return hints[code]
}

const (
	hintToken = "Fetch a new access_token once and retry the call once; if it fails again, stop and check the appid/secret. " +
		"Cache one token per appid and share it: every /cgi-bin/token call supersedes the previous token (it stays valid 5 more minutes). " +
		"When several servers share one appid, use POST /cgi-bin/stable_token (force_refresh:false), which returns the same token to all of them."
	hintBackoff = "Transient failure: retry the same request with exponential backoff and jitter (e.g. 1 s, 2 s, 4 s, at most a few times). " +
		"If it persists, keep the request, its response and the X-Request-Id and contact the platform's support (seed 000, 附录-问题咨询流程)."
	hintWhitelist = "add the server's outbound IP to the app's IP whitelist: 微信公众平台 → 开发 → 基本配置 → IP白名单 " +
		"(wxads: PUT /admin/v1/apps/{appid}/ip_whitelist), then fetch the access_token again from that server."
	hintOAuthRefresh = "For an OAuth access token: trade the refresh_token for a new access token " +
		"(GET /oauth/token?grant_type=refresh_token, once, shared by every process of the app) and retry the call once. "
	hintOAuthAgain = "Send the advertiser through /oauth/authorize again to get a new authorization_code, and trade it at once (it lives 5 minutes and works once). "
	hintParam      = "The message names the parameter by its path (e.g. actions[3].user_id.wechat_openid). "
)

var hints = map[int]string{
	-1:    hintBackoff,
	30000: hintBackoff,
	51001: hintBackoff,

	40164: "The caller's IP is not in the app's IP whitelist, so no access_token is issued to it: " + hintWhitelist,
	48001: "api unauthorized (seed FAQ 6): the advertiser behind the official account is not approved yet, or the server IP is not whitelisted. " +
		"Check the advertiser's review status (wxads: PATCH /admin/v1/advertisers/{account_id} {\"status\":\"APPROVED\"}), then the whitelist: " + hintWhitelist,
	900355202: "actionSet create request too frequently (seed FAQ 5). The FAQ's fix: configure the IP whitelist before calling — " + hintWhitelist +
		" The code also means data sources are created too fast (wxads: more than 10 user_action_sets/add a minute per app): " +
		"create a data source once, keep its user_action_set_id and reuse it; wait a minute before creating more.",

	40001: "The AppSecret is wrong, or the access_token was superseded by a newer one more than 5 minutes ago. " +
		"Check the secret (a reset secret stops the old one at once). " + hintToken,
	40014: "The access_token is not one the platform issued (truncated, mistyped, from another app or another environment). " + hintToken,
	42001: "The access_token is older than its expires_in (7200 s). Refresh it before it expires rather than after. " + hintToken,
	11000: "v1.1: the access_token has expired. " + hintOAuthRefresh + "For an app token: " + hintToken,
	11002: "v1.1: the access_token is unknown, was superseded more than 5 minutes ago, or its OAuth grant was revoked by the advertiser. " +
		hintOAuthRefresh + "If the refresh is refused too, the grant is gone: " + hintOAuthAgain + "For an app token: " + hintToken,
	11004: "The token is not one the platform issued (truncated, mistyped, or the access token sent as the refresh token): send it exactly as /oauth/token returned it.",
	11005: "A token parameter is empty: send access_token (or, to /oauth/token, authorization_code or refresh_token).",
	11007: "The client_id is not a registered developer app, or client_secret does not match it: check both (wxads: POST /admin/v1/oauth_clients issues them).",
	11008: "Too many /oauth/token or authorization requests: wait and retry with backoff; cache the access token for its 86400 s instead of fetching one per call.",
	11009: "The authorization_code is older than 5 minutes. " + hintOAuthAgain,
	11010: "The refresh_token is malformed: send it exactly as /oauth/token returned it (not the access token).",
	11012: "The refresh_token is older than 30 days (each refresh restarts its 30 days). " + hintOAuthAgain,
	11013: "The authorization_code was traded before: a code works once. Keep the tokens of the first trade; if they were lost, " + hintOAuthAgain,
	11014: "The call is outside the scopes the advertiser granted (the message names it): ask for that scope in /oauth/authorize?scope=… and have the advertiser approve again.",
	11016: "The developer app made more calls this second than its per-second limit: retry with backoff and spread the calls (wxads: --oauth-app-qps).",
	11017: "The developer app used up its daily call quota: stop until midnight GMT+8, when it resets (wxads: --oauth-app-daily).",
	11018: "This advertiser's account got more calls this second than its per-second limit: retry with backoff (wxads: --oauth-account-qps).",
	11019: "This advertiser's account used up its daily call quota: stop until midnight GMT+8, when it resets (wxads: --oauth-account-daily).",
	12000: "v1.1: every call needs the global parameters access_token, timestamp (Unix seconds, within 300 s of the platform clock) and nonce (1–32 characters, never reused with the same token).",

	40002: "grant_type must be client_credential.",
	40013: "The appid is unknown: check it (wx + 16 hex characters) and that it belongs to this platform/environment.",
	41001: "The access_token query parameter is missing: append ?access_token=… (and version=v1.0 on /marketing/*) to the URL, not to the body.",
	41002: "The appid query parameter is missing from the token request.",
	41004: "The secret query parameter is missing from the token request.",
	43001: "This endpoint takes GET (…/get).",
	43002: "This endpoint takes POST with a JSON body (…/add).",
	44002: "The POST body is empty: send a JSON object.",
	45002: "The body is too large (wxads: over 1 MiB). Send fewer actions per request (at most 50) or a smaller action_param.",
	45009: "Daily quota reached: /cgi-bin/token issues at most 2000 tokens per appid per GMT+8 day, stable_token force_refresh at most 20. " +
		"Cache the token and reuse it until shortly before expires_in runs out instead of fetching one per request; the quota resets at midnight GMT+8.",
	45011: "Too frequent: stable_token force_refresh is allowed once per 30 s. Wait and retry with backoff; never force-refresh in a loop — " +
		"a cached stable token (force_refresh:false) is what several servers should share.",
	47001: "The body is not a JSON object: check that it is valid UTF-8 JSON, that the top level is an object (not [], null or a number), " +
		"and that Content-Type is application/json.",

	18001: hintParam + "A required parameter is missing (for user_actions/add: user_action_set_id, url, action_type, user_id.wechat_app_id, " +
		"user_id.wechat_openid, action_param.source, action_param.claim_type; custom_action for CUSTOM).",
	18002: hintParam + "It has the wrong JSON type: e.g. a string where an integer is expected, null, a nested object or a mixed array in action_param.",
	18003: hintParam + "The value is too large: e.g. action_time more than 10 s in the future, a double above 1e11, an end_date after today, page or page_size too big.",
	18004: hintParam + "The value is too small: e.g. action_time older than 30 days, a negative value, a start_date after the end_date, page or page_size below 1.",
	18005: hintParam + "The format is wrong: e.g. url not an absolute http(s) URL, a date not YYYY-MM-DD; on v1.1 a timestamp off by more than 300 s or a reused nonce.",
	18006: hintParam + "It holds disallowed characters: e.g. outer_action_id allows only [A-Za-z0-9_].",
	18007: hintParam + "It is too long: e.g. name over 32 bytes, url over 2048, action_param over 204800 bytes serialized, nonce over 32 characters.",
	18008: hintParam + "It is shorter than its minimum length (e.g. wechat_app_id is at least 2 bytes).",
	18009: hintParam + "The value is not one of the allowed values, which the message lists (action_type, type, source Biz|Web, claim_type 0|1, version=v1.0, …).",
	18010: "The uploaded file's type is not allowed.",
	18011: hintParam + "The array has too many elements: user_actions/add takes at most 50 actions per request (split the batch); v1.1 filtering at most 3 conditions.",
	18012: hintParam + "The array has too few elements: user_actions/add needs at least one action; v1.1 filtering at least one condition.",
	18013: hintParam + "Too many decimal places for this parameter; round or truncate the value client-side.",
	31001: hintParam + "It must not be an empty string (e.g. name).",
	31011: hintParam + "The id it holds does not exist, or belongs to another advertiser — the platform does not say which. " +
		"Use ids created with a token of this advertiser's app (user_action_set_id, wechat_app_id, account_id).",
	31013: "The name is already used by another data source of this advertiser: pick another name, or reuse the existing set (user_action_sets/get). " +
		"On the admin API: the appid is taken, or the follower's unionid is held by another openid of the app (or the openid already holds another unionid).",
	32108: "date_range spans too many days: at most 366 for DAILY and 31 for HOURLY, both ends counted. Split the query.",
}
