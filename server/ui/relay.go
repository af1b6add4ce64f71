package ui

import (
	"net/http"
	"net/url"
	"strconv"
)

// relayPage shows a relaying server's queue (SPEC §12): counts, delivery
// lag, a page of deliveries, and the replay of dead letters. A server
// without --upstream answers the admin route with 40066: "not relaying".
func (u *UI) relayPage(w http.ResponseWriter, r *http.Request, c *ctx) error {
	st, err := u.adminCall(r, http.MethodGet, "/admin/v1/relay", nil)
	if err != nil {
		return err
	}
	d := map[string]any{"On": st.Errcode == 0, "Stats": st.Data}
	if st.Errcode == 0 {
		after, _ := strconv.ParseInt(r.URL.Query().Get("after_id"), 10, 64)
		q := url.Values{"page_size": {strconv.Itoa(pageSize)}}
		if after > 0 {
			q.Set("after_id", strconv.FormatInt(after, 10))
		}
		list, err := u.adminCall(r, http.MethodGet, "/admin/v1/relay/deliveries?"+q.Encode(), nil)
		if err != nil {
			return err
		}
		rows, _ := list.Data["list"].([]any)
		d["List"] = rows
		if len(rows) == pageSize {
			if last, ok := rows[len(rows)-1].(map[string]any); ok {
				d["Next"] = "/ui/admin/relay?after_id=" + strconv.FormatFloat(last["id"].(float64), 'f', 0, 64)
			}
		}
	}
	return u.render(w, r, c, http.StatusOK, "relay", "nav_relay", d)
}

// relayAction replays the dead letters.
func (u *UI) relayAction(w http.ResponseWriter, r *http.Request, c *ctx) error {
	if r.PostFormValue("op") != "replay" {
		return badInput("unknown operation %q", r.PostFormValue("op"))
	}
	env, err := u.adminCall(r, http.MethodPost, "/admin/v1/relay/replay", map[string]any{})
	if err != nil {
		return err
	}
	u.sessions.setFlash(c.s, env.result(c.lang.T("admin_result")+": OK, "+c.lang.T("relay_replayed")+" "+strconv.FormatFloat(num(env.Data["replayed"]), 'f', 0, 64)))
	http.Redirect(w, r, "/ui/admin/relay", http.StatusSeeOther)
	return nil
}

func num(v any) float64 {
	f, _ := v.(float64)
	return f
}
