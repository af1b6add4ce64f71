package ui

import (
	"html/template"
	"net/http"
	"time"

	"github.com/wxads/wxads"
)

// Span limits as the API's date_range (SPEC §6.4), counting both ends.
const (
	maxDailyDays  = 366
	maxHourlyDays = 31
	defaultDays   = 14
)

// reportForm is the report's query, as the page's form sends it.
type reportForm struct {
	From, To    string
	Granularity string
	Aggregation string
	Error       string // i18n key or detail of a refused range
}

type reportRow struct {
	Date, Hour, Key string
	Raw, Ident      int64
	Users           int64
	HasUsers        bool
}

type reportData struct {
	Set    *wxads.ActionSet
	Form   reportForm
	Chart  template.HTML
	Rows   []reportRow
	Total  reportRow
	Hourly bool
	KeyCol string // "", "ACTION_TYPE" or "DOMAIN"
}

// parseReportForm reads from/to/gran/agg with the API's defaults but a
// friendlier start: the last 14 days, daily.
func (u *UI) parseReportForm(r *http.Request) (f reportForm, start, end time.Time) {
	q := r.URL.Query()
	today := wxads.DayStart(u.cfg.Clock.Now())
	f = reportForm{From: q.Get("from"), To: q.Get("to"), Granularity: q.Get("gran"), Aggregation: q.Get("agg")}
	if f.Granularity != wxads.Hourly {
		f.Granularity = wxads.Daily
	}
	if f.Aggregation != wxads.AggDomain && f.Aggregation != wxads.AggActionType {
		f.Aggregation = wxads.AggNone
	}
	end, err := time.ParseInLocation(wxads.DateLayout, f.To, wxads.CST)
	if err != nil || end.After(today) {
		end = today
	}
	start, err = time.ParseInLocation(wxads.DateLayout, f.From, wxads.CST)
	if err != nil {
		start = end.AddDate(0, 0, -(defaultDays - 1))
	}
	if start.After(end) {
		start, end = end, start
	}
	limit := maxDailyDays
	if f.Granularity == wxads.Hourly {
		limit = maxHourlyDays
	}
	if days := int(end.Sub(start).Hours()/24) + 1; days > limit {
		f.Error = "span_too_long"
		start = end.AddDate(0, 0, -(limit - 1))
	}
	f.From, f.To = start.Format(wxads.DateLayout), end.Format(wxads.DateLayout)
	return f, start, end
}

// reportPage is the data-source report: a chart of raw vs identified
// actions and identified users, the same numbers as a table below, as
// user_action_set_reports/get returns them.
func (u *UI) reportPage(w http.ResponseWriter, r *http.Request, c *ctx) error {
	set, err := u.ownedSet(r, c, r.PathValue("set_id"))
	if err != nil {
		return err
	}
	f, start, end := u.parseReportForm(r)
	rows, err := u.cfg.Stores.Report(r.Context(), wxads.ReportQuery{SetID: set.ID, Start: start.Unix(), End: end.Unix(),
		Granularity: f.Granularity, Aggregation: f.Aggregation})
	if err != nil {
		return err
	}
	d := reportData{Set: set, Form: f, Hourly: f.Granularity == wxads.Hourly, KeyCol: f.Aggregation}
	labels, index := periods(start, end, d.Hourly)
	keyName := func(row wxads.ReportRow) (key, name string) {
		switch f.Aggregation {
		case wxads.AggDomain:
			return row.Domain, row.Domain
		case wxads.AggActionType:
			if row.ActionType == wxads.ActionCustom {
				return "CUSTOM:" + row.CustomAction, c.lang.T("CUSTOM") + " " + row.CustomAction
			}
			return row.ActionType, c.lang.T(row.ActionType)
		}
		return "", ""
	}
	var ss []series
	if f.Aggregation == wxads.AggNone {
		ss = []series{{Key: "raw", Name: c.lang.T("raw_count")}, {Key: "identified", Name: c.lang.T("ident_count")},
			{Key: "users", Name: c.lang.T("user_count")}}
		for i := range ss {
			ss[i].Values = make([]int64, len(labels))
		}
	}
	byKey := map[string]int{}
	for _, row := range rows {
		date, hour := periodParts(row.Period)
		key, name := keyName(row)
		out := reportRow{Date: date, Key: name, Raw: row.Raw, Ident: row.Identified, Users: row.Users, HasUsers: f.Aggregation == wxads.AggNone}
		if d.Hourly {
			out.Hour = itoa(int64(hour))
		}
		d.Rows = append(d.Rows, out)
		d.Total.Raw += row.Raw
		d.Total.Ident += row.Identified
		i, ok := index[row.Period]
		if !ok {
			continue
		}
		if f.Aggregation == wxads.AggNone {
			ss[0].Values[i], ss[1].Values[i], ss[2].Values[i] = row.Raw, row.Identified, row.Users
			continue
		}
		// Aggregated: one line of raw actions per key.
		si, ok := byKey[key]
		if !ok {
			si = len(ss)
			byKey[key] = si
			ss = append(ss, series{Key: key, Name: name, Values: make([]int64, len(labels))})
		}
		ss[si].Values[i] += row.Raw
	}
	d.Chart = lineChart(c.lang.T("chart_alt"), labels, ss)
	return u.render(w, r, c, http.StatusOK, "report", "report_title", d)
}

// periods lists every day (or hour) of the range as chart labels, with
// each period start's position, so days without actions show as zero.
func periods(start, end time.Time, hourly bool) ([]string, map[int64]int) {
	var labels []string
	index := map[int64]int{}
	step := 24 * time.Hour
	layout := wxads.DateLayout
	if hourly {
		step, layout = time.Hour, "2006-01-02 15h"
	}
	for t := start; !t.After(end.Add(24*time.Hour - step)); t = t.Add(step) {
		index[t.Unix()] = len(labels)
		labels = append(labels, t.In(wxads.CST).Format(layout))
	}
	return labels, index
}

// periodParts splits a period start into its GMT+8 date and hour.
func periodParts(unix int64) (string, int) {
	t := time.Unix(unix, 0).In(wxads.CST)
	return t.Format(wxads.DateLayout), t.Hour()
}
