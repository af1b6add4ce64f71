package ui

import (
	"html/template"
	"net/http"
	"slices"
	"time"

	"github.com/wxads/wxads"
)

type refusal struct {
	Code  int
	Count int64
}

type diagRow struct {
	Date       string
	SetID      int64
	SetName    string
	Accepted   int64
	Duplicates int64
	Rejected   int64
	Refused    []refusal
	RefusedSum int64
	Identified int64
}

type diagData struct {
	Form    reportForm
	Enabled bool
	Chart   template.HTML
	Rows    []diagRow
}

// diagnosticsPage is the upload summary per data source and day: accepted,
// duplicates, refused by errcode and the identification rate, from the
// inspector's rollup (Google Ads' upload summaries, Meta's event quality).
func (u *UI) diagnosticsPage(w http.ResponseWriter, r *http.Request, c *ctx) error {
	if c.account == 0 {
		return u.pickAccount(w, r, c, "diagnostics", "nav_diagnostics")
	}
	f, start, end := u.parseReportForm(r)
	f.Granularity = wxads.Daily
	d := diagData{Form: f, Enabled: u.cfg.Inspector != nil}
	if !d.Enabled {
		return u.render(w, r, c, http.StatusOK, "diagnostics", "diag_title", d)
	}
	sets, err := u.cfg.Stores.ActionSets(r.Context(), c.account, wxads.ActionSetFilter{})
	if err != nil {
		return err
	}
	names := map[int64]string{}
	for _, s := range sets {
		names[s.ID] = s.Name
	}
	diags, err := u.cfg.Inspector.UploadDiagnostics(r.Context(), wxads.DiagnosticsQuery{AccountID: c.account, Start: start.Unix(), End: end.Unix()})
	if err != nil {
		return err
	}
	labels, index := periods(start, end, false)
	ss := []series{{Key: "accepted", Name: c.lang.T("accepted")}, {Key: "duplicates", Name: c.lang.T("duplicates")},
		{Key: "refused", Name: c.lang.T("refused")}, {Key: "identified", Name: c.lang.T("ident_count")}}
	for i := range ss {
		ss[i].Values = make([]int64, len(labels))
	}
	for _, g := range diags {
		row := diagRow{Date: time.Unix(g.Day, 0).In(wxads.CST).Format(wxads.DateLayout), SetID: g.SetID, SetName: names[g.SetID],
			Accepted: g.Accepted, Duplicates: g.Duplicates, Rejected: g.Rejected, Identified: g.Identified}
		for code, n := range g.Refused {
			row.Refused = append(row.Refused, refusal{code, n})
			row.RefusedSum += n
		}
		slices.SortFunc(row.Refused, func(a, b refusal) int { return a.Code - b.Code })
		d.Rows = append(d.Rows, row)
		if i, ok := index[g.Day]; ok {
			ss[0].Values[i] += g.Accepted
			ss[1].Values[i] += g.Duplicates
			ss[2].Values[i] += row.RefusedSum
			ss[3].Values[i] += g.Identified
		}
	}
	if len(diags) > 0 {
		d.Chart = lineChart(c.lang.T("diag_title"), labels, ss)
	}
	return u.render(w, r, c, http.StatusOK, "diagnostics", "diag_title", d)
}
