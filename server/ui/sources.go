package ui

import (
	"net/http"
	"strconv"

	"github.com/wxads/wxads"
)

type sourceRow struct {
	*wxads.ActionSet
	LastReceived int64
	Total        int
	TodayRaw     int64
	TodayIdent   int64
}

// sourcesPage lists the advertiser's data sources with their status, last
// action and today's counts.
func (u *UI) sourcesPage(w http.ResponseWriter, r *http.Request, c *ctx) error {
	if c.account == 0 {
		return u.pickAccount(w, r, c, "sources", "nav_sources")
	}
	ctx := r.Context()
	adv, err := u.cfg.Stores.Advertiser(ctx, c.account)
	if err != nil {
		return err
	}
	sets, err := u.cfg.Stores.ActionSets(ctx, c.account, wxads.ActionSetFilter{})
	if err != nil {
		return err
	}
	today := wxads.DayStart(u.cfg.Clock.Now()).Unix()
	rows := make([]sourceRow, len(sets))
	for i, set := range sets {
		row := &rows[i]
		row.ActionSet = set
		last, total, err := u.cfg.Stores.ListActions(ctx, set.ID, 0, 1)
		if err != nil {
			return err
		}
		row.Total = total
		if len(last) > 0 {
			row.LastReceived = last[0].ReceivedTime
		}
		rep, err := u.cfg.Stores.Report(ctx, wxads.ReportQuery{SetID: set.ID, Start: today, End: today, Granularity: wxads.Daily})
		if err != nil {
			return err
		}
		for _, rr := range rep {
			row.TodayRaw += rr.Raw
			row.TodayIdent += rr.Identified
		}
	}
	return u.render(w, r, c, http.StatusOK, "sources", "nav_sources", map[string]any{"Advertiser": adv, "Sets": rows})
}

// pickAccount asks an admin which advertiser to view.
func (u *UI) pickAccount(w http.ResponseWriter, r *http.Request, c *ctx, page, title string) error {
	return u.render(w, r, c, http.StatusOK, "pick", title, map[string]any{"Action": r.URL.Path, "Advertisers": u.listAdvertisers(r)})
}

// ownedSet returns the set when it belongs to the page's advertiser. An id
// of another advertiser is "not found", as the API's 31011 is: nothing
// tells the two apart.
func (u *UI) ownedSet(r *http.Request, c *ctx, raw string) (*wxads.ActionSet, error) {
	id, err := strconv.ParseInt(raw, 10, 64)
	if err != nil || id <= 0 || c.account == 0 {
		return nil, errNotFound
	}
	sets, err := u.cfg.Stores.ActionSets(r.Context(), c.account, wxads.ActionSetFilter{ID: id})
	if err != nil {
		return nil, err
	}
	if len(sets) == 0 || sets[0].AccountID != c.account {
		return nil, errNotFound
	}
	return sets[0], nil
}
