package server

import (
	"encoding/json"
	"net/http"
	"time"

	"github.com/wxads/wxads"
)

// Span limits of date_range, counting both ends (SPEC §6.4).
const (
	MaxDailySpanDays  = 366
	MaxHourlySpanDays = 31
)

// dateRange parses the URL-encoded JSON date_range parameter into GMT+8
// midnights, with SPEC §6.4's checks and codes but the span (checkSpan,
// once the granularity is known).
func (s *Server) dateRange(r *http.Request) (start, end int64, err error) {
	raw := r.URL.Query().Get("date_range")
	if raw == "" {
		return 0, 0, wxads.Errorf(wxads.CodeRequired, "date_range")
	}
	var dr map[string]json.RawMessage
	if err := json.Unmarshal([]byte(raw), &dr); err != nil || dr == nil {
		return 0, 0, wxads.Errorf(wxads.CodeBadFormat, "date_range")
	}
	var days [2]time.Time
	for i, name := range []string{"start_date", "end_date"} {
		v, ok := dr[name]
		if !ok {
			return 0, 0, wxads.Errorf(wxads.CodeRequired, "date_range."+name)
		}
		var text string
		if json.Unmarshal(v, &text) != nil {
			return 0, 0, wxads.Errorf(wxads.CodeWrongType, "date_range."+name, "string")
		}
		t, err := time.ParseInLocation(wxads.DateLayout, text, wxads.CST)
		if len(text) != 10 || err != nil {
			return 0, 0, wxads.Errorf(wxads.CodeBadFormat, "date_range."+name)
		}
		days[i] = t
	}
	today := wxads.DayStart(s.cfg.Clock.Now())
	switch {
	case days[0].After(days[1]):
		return 0, 0, wxads.Errorf(wxads.CodeTooSmall, "date_range.end_date", days[0].AddDate(0, 0, -1).Format(wxads.DateLayout))
	case days[1].After(today):
		return 0, 0, wxads.Errorf(wxads.CodeTooBig, "date_range.end_date", today.AddDate(0, 0, 1).Format(wxads.DateLayout))
	}
	return days[0].Unix(), days[1].Unix(), nil
}

// checkSpan limits a date range, counting both ends: 366 days DAILY, 31
// HOURLY (32108). GMT+8 has no DST, so every day is 86400 s.
func checkSpan(start, end int64, granularity string) error {
	limit := MaxHourlySpanDays
	if granularity == wxads.Daily {
		limit = MaxDailySpanDays
	}
	if span := (end-start)/86400 + 1; span > int64(limit) {
		return wxads.Errorf(wxads.CodeSpanTooLong, "date_range")
	}
	return nil
}

// enumParam reads an optional enum query parameter; not in values is 18009.
func enumParam(r *http.Request, name, def string, values ...string) (string, error) {
	v := r.URL.Query().Get(name)
	if v == "" {
		return def, nil
	}
	for _, ok := range values {
		if v == ok {
			return v, nil
		}
	}
	list := ""
	for i, ok := range values {
		if i > 0 {
			list += ", "
		}
		list += ok
	}
	return "", wxads.Errorf(wxads.CodeNotInEnum, name, list)
}
