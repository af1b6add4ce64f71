package ui

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"

	"github.com/wxads/wxads"
)

// listAdvertisers is the admin's advertiser picker (the first 500).
func (u *UI) listAdvertisers(r *http.Request) []wxads.Advertiser {
	list, _, err := u.cfg.Stores.ListAdvertisers(r.Context(), 0, 500)
	if err != nil {
		u.log.Error("dashboard: list advertisers", "err", err)
	}
	return list
}

// adminCall sends one admin API call in-process, so the dashboard's forms
// get exactly the API's validation, and returns its envelope.
func (u *UI) adminCall(r *http.Request, method, path string, body any) (adminEnvelope, error) {
	payload, _ := json.Marshal(body)
	req, err := http.NewRequestWithContext(r.Context(), method, path, bytes.NewReader(payload))
	if err != nil {
		return adminEnvelope{}, err
	}
	req.Header.Set("Authorization", "Bearer "+u.cfg.AdminToken)
	req.Header.Set("Content-Type", "application/json")
	req.RemoteAddr = r.RemoteAddr
	rec := httptest.NewRecorder()
	u.cfg.API.ServeHTTP(rec, req)
	var env adminEnvelope
	if err := json.Unmarshal(rec.Body.Bytes(), &env); err != nil {
		return env, fmt.Errorf("admin API %s %s: HTTP %d: %s", method, path, rec.Code, rec.Body.String())
	}
	return env, nil
}

type adminEnvelope struct {
	Errcode int            `json:"errcode"`
	Errmsg  string         `json:"errmsg"`
	Data    map[string]any `json:"data"`
}

// result turns an envelope into the flash the next page shows.
func (e adminEnvelope) result(ok string) string {
	if e.Errcode != 0 {
		return fmt.Sprintf("errcode %d: %s", e.Errcode, e.Errmsg)
	}
	return ok
}

func (u *UI) advertisersPage(w http.ResponseWriter, r *http.Request, c *ctx) error {
	pg := pageOf(r)
	list, total, err := u.cfg.Stores.ListAdvertisers(r.Context(), pg.offset(), pageSize)
	if err != nil {
		return err
	}
	return u.render(w, r, c, http.StatusOK, "advertisers", "nav_advertisers",
		map[string]any{"List": list, "Pager": pg.links(r, total)})
}

// advertiserAction creates an advertiser or changes its status.
func (u *UI) advertiserAction(w http.ResponseWriter, r *http.Request, c *ctx) error {
	var env adminEnvelope
	var err error
	switch r.PostFormValue("op") {
	case "create":
		env, err = u.adminCall(r, http.MethodPost, "/admin/v1/advertisers",
			map[string]any{"name": r.PostFormValue("name"), "status": r.PostFormValue("status")})
		if err == nil && env.Errcode == 0 {
			env.Errmsg = fmt.Sprintf("account_id %v", env.Data["account_id"])
		}
	case "status":
		env, err = u.adminCall(r, http.MethodPatch, "/admin/v1/advertisers/"+r.PostFormValue("account_id"),
			map[string]any{"status": r.PostFormValue("status")})
	default:
		return badInput("unknown operation %q", r.PostFormValue("op"))
	}
	if err != nil {
		return err
	}
	u.sessions.setFlash(c.s, env.result(c.lang.T("admin_result")+": OK "+env.Errmsg))
	http.Redirect(w, r, "/ui/admin/advertisers", http.StatusSeeOther)
	return nil
}

func (u *UI) appsPage(w http.ResponseWriter, r *http.Request, c *ctx) error {
	var app *wxads.App
	if id := strings.TrimSpace(r.URL.Query().Get("appid")); id != "" {
		a, err := u.cfg.Stores.App(r.Context(), id)
		if err != nil {
			return err
		}
		app = a
	}
	apps, pg, err := u.listApps(r, c.account)
	if err != nil {
		return err
	}
	return u.render(w, r, c, http.StatusOK, "apps", "nav_apps", map[string]any{"App": app, "Apps": apps, "Pager": pg})
}

// appAction creates an app, resets its secret or replaces its whitelist.
// A new secret is shown once, in the flash, as the API returns it.
func (u *UI) appAction(w http.ResponseWriter, r *http.Request, c *ctx) error {
	appid := strings.TrimSpace(r.PostFormValue("appid"))
	var env adminEnvelope
	var err error
	back := "/ui/admin/apps?appid=" + appid
	switch r.PostFormValue("op") {
	case "create":
		body := map[string]any{"account_id": json.Number(strings.TrimSpace(r.PostFormValue("account_id"))), "name": r.PostFormValue("name")}
		env, err = u.adminCall(r, http.MethodPost, "/admin/v1/apps", body)
		if err == nil && env.Errcode == 0 {
			back = fmt.Sprintf("/ui/admin/apps?appid=%v", env.Data["appid"])
			env.Errmsg = fmt.Sprintf("appid %v · %s: %v", env.Data["appid"], c.lang.T("new_secret"), env.Data["secret"])
		}
	case "reset":
		env, err = u.adminCall(r, http.MethodPost, "/admin/v1/apps/"+appid+"/reset_secret", map[string]any{})
		if err == nil && env.Errcode == 0 {
			env.Errmsg = fmt.Sprintf("%s: %v", c.lang.T("new_secret"), env.Data["secret"])
		}
	case "whitelist":
		list := []string{}
		for _, line := range strings.Fields(r.PostFormValue("ip_whitelist")) {
			list = append(list, line)
		}
		env, err = u.adminCall(r, http.MethodPut, "/admin/v1/apps/"+appid+"/ip_whitelist", map[string]any{"ip_whitelist": list})
	default:
		return badInput("unknown operation %q", r.PostFormValue("op"))
	}
	if err != nil {
		return err
	}
	u.sessions.setFlash(c.s, env.result("OK "+env.Errmsg))
	http.Redirect(w, r, back, http.StatusSeeOther)
	return nil
}
