package server

import (
	"net/http"

	"github.com/wxads/wxads"
)

// routes registers every route of the platform.
func (s *Server) routes(mux *http.ServeMux) {
	const get, post = http.MethodGet, http.MethodPost
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusOK, map[string]string{"status": "ok"})
	})
	mux.HandleFunc("GET /readyz", s.getReady)
	mux.HandleFunc("GET /metrics", s.getMetrics)
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		s.writeError(w, r, apiWeChat, errNotFoundPath)
	})

	// Tokens (SPEC §4).
	s.route(mux, get, "/cgi-bin/token", apiWeChat, s.faulted(get, "/cgi-bin/token", apiWeChat, s.getToken))
	s.route(mux, post, "/cgi-bin/stable_token", apiWeChat, s.faulted(post, "/cgi-bin/stable_token", apiWeChat, s.postStableToken))

	// Marketing API (SPEC §6) and extensions (SPEC §7).
	wechat := func(method, pattern string, h handler) {
		s.route(mux, method, pattern, apiWeChat, s.authed(apiWeChat, s.faulted(method, pattern, apiWeChat, s.checkVersion(h))))
	}
	wechat(post, "/marketing/user_action_sets/add", s.postActionSet)
	wechat(get, "/marketing/user_action_sets/get", s.getActionSets)
	wechat(post, "/marketing/user_actions/add", s.postActions)
	wechat(get, "/marketing/user_action_set_reports/get", s.getReport)
	wechat(get, "/ext/v1/user_actions/get", s.getActions)
	wechat(get, "/ext/v1/ad_reports/get", s.getAdReport)
	wechat(post, "/ext/v1/adcreative_templates/validate", s.postValidateCreative)
	wechat(get, "/ext/v1/requests/get", s.getRequests)
	wechat(get, "/ext/v1/diagnostics/get", s.getDiagnostics)
	wechat(get, "/ext/v1/oauth_grants/get", s.getOAuthGrants) // oauth_grants.go: the advertiser's authorized apps
	wechat(post, "/ext/v1/oauth_grants/revoke", s.postRevokeOAuthGrant)
	if s.cfg.Forwarder != nil {
		wechat(get, "/ext/v1/deliveries/get", s.getDeliveries) // forward.go
	}

	// Tencent Marketing API v1.1 (SPEC §8).
	s.route(mux, get, "/v1.1/adcreative_templates/get", apiTencent, s.v11(s.needScope("ads_management", s.getTemplates)))

	// Tencent OAuth 2.0 (SPEC §10): consent page and token endpoint.
	mux.HandleFunc("/oauth/authorize", s.authorizePage)
	s.route(mux, get, "/oauth/token", apiTencent, s.getOAuthToken)

	// Tencent Marketing API v3.0 (SPEC §11), on the same store as the WeChat side.
	s.route(mux, get, "/v3.0/user_action_sets/get", apiTencent, s.v11(s.needScope("user_actions", s.getV3ActionSets)))
	s.route(mux, get, "/v3.0/user_action_set_reports/get", apiTencent, s.v11(s.needScope("user_actions", tencentFront(s.getReport))))
	s.route(mux, post, "/v3.0/user_action_sets/add", apiTencent, s.v3Post(s.needScope("user_actions", s.postV3ActionSet)))
	// Faultable after the global parameters: a faulted attempt uses its nonce up, as a lost answer would.
	s.route(mux, post, "/v3.0/user_actions/add", apiTencent, s.v3Post(s.needScope("user_actions",
		s.faulted(post, "/v3.0/user_actions/add", apiTencent, s.postV3Actions))))
	mux.HandleFunc("/v3.0/", func(w http.ResponseWriter, r *http.Request) {
		s.writeError(w, r, apiTencent, errNotFoundPath)
	})
	mux.HandleFunc("/v1.1/", func(w http.ResponseWriter, r *http.Request) {
		s.writeError(w, r, apiTencent, errNotFoundPath)
	})

	// Admin API (SPEC §5).
	admin := http.NewServeMux()
	adm := func(method, pattern string, h handler) { s.route(admin, method, pattern, apiWeChat, h) }
	adm(post, "/admin/v1/advertisers", s.postAdvertiser)
	adm(http.MethodPatch, "/admin/v1/advertisers/{account_id}", s.patchAdvertiser)
	adm(post, "/admin/v1/apps", s.postApp)
	adm(post, "/admin/v1/apps/{appid}/reset_secret", s.postResetSecret)
	adm(http.MethodPut, "/admin/v1/apps/{appid}/ip_whitelist", s.putWhitelist)
	adm(post, "/admin/v1/apps/{appid}/followers", s.postFollowers)
	adm(post, "/admin/v1/ad_events", s.postAdEvents)
	adm(http.MethodPut, "/admin/v1/adcreative_templates", s.putCatalog)
	adm(post, "/admin/v1/apps/{appid}/revoke_tokens", s.postRevokeTokens)
	adm(post, "/admin/v1/oauth_clients", s.postOAuthClient)
	adm(post, "/admin/v1/oauth_codes", s.postOAuthCode)
	adm(get, "/admin/v1/oauth_grants", s.getAdminOAuthGrants)
	adm(post, "/admin/v1/oauth_grants/revoke", s.postAdminRevokeOAuthGrant)
	// Reads for tooling (admin_read.go); most share a pattern with a write above.
	admGet := func(pattern string, h handler) { s.routeAlso(admin, get, pattern, apiWeChat, h) }
	admGet("/admin/v1/advertisers", s.getAdvertisers)
	admGet("/admin/v1/advertisers/{account_id}", s.getAdvertiser)
	admGet("/admin/v1/apps", s.getApps)
	adm(get, "/admin/v1/apps/{appid}", s.getApp)
	admGet("/admin/v1/apps/{appid}/followers", s.getFollowers)
	admGet("/admin/v1/ad_events", s.getAdEvents)
	// Faults for testing clients (faults.go, SPEC §12).
	adm(http.MethodPut, "/admin/v1/faults", s.putFaults)
	admGet("/admin/v1/faults", s.getFaults)
	s.routeAlso(admin, http.MethodDelete, "/admin/v1/faults", apiWeChat, s.deleteFaults)
	if s.cfg.Forwarder != nil {
		adm(get, "/admin/v1/relay", s.getRelay)
		adm(post, "/admin/v1/relay/replay", s.postRelayReplay)
		adm(get, "/admin/v1/relay/deliveries", s.getAdminDeliveries)
	}
	if s.cfg.FakeClock != nil {
		adm(post, "/admin/v1/clock", s.postClock)
	}
	admin.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		s.writeError(w, r, apiWeChat, errNotFoundPath)
	})
	mux.Handle("/admin/", s.adminOnly(admin))
	mux.Handle("/ui/", s.dashboard()) // web dashboard and API explorer (package ui)
}

// checkVersion enforces the Marketing API's optional version=v1.0.
func (s *Server) checkVersion(h handler) handler {
	return func(w http.ResponseWriter, r *http.Request) error {
		if v := r.URL.Query().Get("version"); v != "" && v != "v1.0" {
			return wxads.Errorf(wxads.CodeNotInEnum, "version", "v1.0")
		}
		return h(w, r)
	}
}
