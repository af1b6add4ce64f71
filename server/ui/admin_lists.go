package ui

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/wxads/wxads"
)

// pageSize is the rows per page of the admin lists.
const pageSize = 50

type pageNum int

func pageOf(r *http.Request) pageNum {
	n, err := strconv.Atoi(r.URL.Query().Get("page"))
	if err != nil || n < 1 {
		return 1
	}
	return pageNum(n)
}

func (p pageNum) offset() int { return (int(p) - 1) * pageSize }

type pager struct {
	Page, Pages int
	Prev, Next  string
}

// links builds the previous/next URLs, keeping the page's other parameters.
func (p pageNum) links(r *http.Request, total int) pager {
	pg := pager{Page: int(p), Pages: max(1, (total+pageSize-1)/pageSize)}
	at := func(n int) string {
		q := url.Values{}
		for k, v := range r.URL.Query() {
			q[k] = v
		}
		q.Set("page", strconv.Itoa(n))
		return r.URL.Path + "?" + q.Encode()
	}
	if pg.Page > 1 {
		pg.Prev = at(pg.Page - 1)
	}
	if pg.Page < pg.Pages {
		pg.Next = at(pg.Page + 1)
	}
	return pg
}

func (u *UI) listApps(r *http.Request, account int64) ([]wxads.App, pager, error) {
	pg := pageOf(r)
	list, total, err := u.cfg.Stores.ListApps(r.Context(), account, pg.offset(), pageSize)
	return list, pg.links(r, total), err
}

// followersPage lists an app's followers, the users identification knows.
func (u *UI) followersPage(w http.ResponseWriter, r *http.Request, c *ctx) error {
	appid := strings.TrimSpace(r.URL.Query().Get("appid"))
	d := map[string]any{"AppID": appid}
	if appid != "" {
		pg := pageOf(r)
		list, total, err := u.cfg.Stores.ListFollowers(r.Context(), appid, pg.offset(), pageSize)
		if err != nil {
			return err
		}
		d["List"], d["Total"], d["Pager"] = list, total, pg.links(r, total)
	}
	return u.render(w, r, c, http.StatusOK, "followers", "nav_followers", d)
}

// adEventsPage lists what ad delivery saw for an app: clicks and follows.
func (u *UI) adEventsPage(w http.ResponseWriter, r *http.Request, c *ctx) error {
	appid := strings.TrimSpace(r.URL.Query().Get("appid"))
	d := map[string]any{"AppID": appid}
	if appid != "" {
		pg := pageOf(r)
		list, total, err := u.cfg.Stores.ListAdEvents(r.Context(), appid, pg.offset(), pageSize)
		if err != nil {
			return err
		}
		d["List"], d["Total"], d["Pager"] = list, total, pg.links(r, total)
	}
	return u.render(w, r, c, http.StatusOK, "adevents", "nav_ad_events", d)
}
