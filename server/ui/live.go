package ui

import (
	"bytes"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/wxads/wxads"
)

// liveLimit is how many calls the live page shows and each poll reads.
const liveLimit = 50

type liveFilter struct {
	Errcode string
	Route   string
}

type liveData struct {
	Filter  liveFilter
	Routes  []string
	Entries []wxads.RequestRecord
	LastID  int64
	Enabled bool
}

func (u *UI) liveQuery(r *http.Request, c *ctx) (wxads.RequestQuery, liveFilter, error) {
	f := liveFilter{Errcode: strings.TrimSpace(r.URL.Query().Get("errcode")), Route: r.URL.Query().Get("route")}
	q := wxads.RequestQuery{AccountID: c.account, Route: f.Route, Limit: liveLimit}
	if f.Errcode != "" {
		n, err := strconv.Atoi(f.Errcode)
		if err != nil {
			return q, f, badInput("errcode %q is not a number", f.Errcode)
		}
		q.Errcode = &n
	}
	return q, f, nil
}

// livePage is the request inspector as a page: the latest calls, each
// expandable (<details>, no script needed) to its body and verdicts; the
// script polls liveFeed and prepends what is new.
func (u *UI) livePage(w http.ResponseWriter, r *http.Request, c *ctx) error {
	if c.account == 0 {
		return u.pickAccount(w, r, c, "live", "nav_live")
	}
	q, f, err := u.liveQuery(r, c)
	if err != nil {
		return err
	}
	d := liveData{Filter: f, Routes: liveRoutes(), Enabled: u.cfg.Inspector != nil}
	if d.Enabled {
		if d.Entries, _, err = u.cfg.Inspector.Requests(r.Context(), q); err != nil {
			return err
		}
		if len(d.Entries) > 0 {
			d.LastID = d.Entries[0].ID
		}
	}
	return u.render(w, r, c, http.StatusOK, "live", "live_title", d)
}

// liveFeed answers the calls newer than ?after, as HTML rendered by the
// page's own "entries" template, newest first.
func (u *UI) liveFeed(w http.ResponseWriter, r *http.Request, c *ctx) error {
	if c.account == 0 || u.cfg.Inspector == nil {
		return errNotFound
	}
	q, _, err := u.liveQuery(r, c)
	if err != nil {
		return err
	}
	after, _ := strconv.ParseInt(r.URL.Query().Get("after"), 10, 64)
	recs, _, err := u.cfg.Inspector.Requests(r.Context(), q)
	if err != nil {
		return err
	}
	d := liveData{LastID: after}
	for _, rec := range recs {
		if rec.ID > after {
			d.Entries = append(d.Entries, rec)
		}
	}
	if len(d.Entries) > 0 {
		d.LastID = d.Entries[0].ID
	}
	var buf bytes.Buffer
	v := &view{L: c.lang, S: c.s, Account: c.account, Data: d}
	if err := u.pages["live"].ExecuteTemplate(&buf, "entries", v); err != nil {
		return err
	}
	return writeJSON(w, map[string]any{"last_id": d.LastID, "count": len(d.Entries), "html": buf.String()})
}

// liveRoutes are the routes the filter offers: the API's, not admin's.
func liveRoutes() []string {
	var out []string
	for _, e := range endpoints {
		if e.Auth != "admin" {
			out = append(out, e.Path)
		}
	}
	return out
}

// recordTime formats a record's Unix milliseconds in GMT+8.
func recordTime(ms int64) string {
	return time.UnixMilli(ms).In(wxads.CST).Format("2006-01-02 15:04:05.000")
}
