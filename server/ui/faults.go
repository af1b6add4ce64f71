package ui

import (
	"net/http"
	"strconv"
	"strings"
)

// faultsPage shows the node's fault rules with their hit counts (SPEC §12),
// read through the admin API like every admin form.
func (u *UI) faultsPage(w http.ResponseWriter, r *http.Request, c *ctx) error {
	env, err := u.adminCall(r, http.MethodGet, "/admin/v1/faults", nil)
	if err != nil {
		return err
	}
	return u.render(w, r, c, http.StatusOK, "faults", "nav_faults",
		map[string]any{"Rules": env.Data["rules"], "Routes": env.Data["routes"]})
}

// faultAction replaces the rules with the form's one rule, or clears them.
func (u *UI) faultAction(w http.ResponseWriter, r *http.Request, c *ctx) error {
	var env adminEnvelope
	var err error
	switch r.PostFormValue("op") {
	case "set":
		rule := map[string]any{"route": strings.TrimSpace(r.PostFormValue("route")), "appid": strings.TrimSpace(r.PostFormValue("appid"))}
		for _, name := range []string{"errcode", "http_status", "delay_ms", "count", "rate"} {
			v := strings.TrimSpace(r.PostFormValue(name))
			if v == "" {
				continue
			}
			n, perr := strconv.ParseFloat(v, 64)
			if perr != nil {
				return badInput("%s: %q is not a number", name, v)
			}
			rule[name] = n
		}
		env, err = u.adminCall(r, http.MethodPut, "/admin/v1/faults", map[string]any{"rules": []any{rule}})
	case "clear":
		env, err = u.adminCall(r, http.MethodDelete, "/admin/v1/faults", nil)
	default:
		return badInput("unknown operation %q", r.PostFormValue("op"))
	}
	if err != nil {
		return err
	}
	u.sessions.setFlash(c.s, env.result(c.lang.T("admin_result")+": OK"))
	http.Redirect(w, r, "/ui/admin/faults", http.StatusSeeOther)
	return nil
}
