package server

import (
	"net/http"
	"time"

	"github.com/wxads/wxads"
)

// getReport is GET /marketing/user_action_set_reports/get (SPEC §6.4).
func (s *Server) getReport(w http.ResponseWriter, r *http.Request) error {
	setID, err := s.setParam(r)
	if err != nil {
		return err
	}
	start, end, err := s.dateRange(r)
	if err != nil {
		return err
	}
	gran, err := enumParam(r, "time_granularity", wxads.Hourly, wxads.Daily, wxads.Hourly)
	if err != nil {
		return err
	}
	agg, err := enumParam(r, "aggregation", wxads.AggNone, wxads.AggDomain, wxads.AggActionType)
	if err != nil {
		return err
	}
	if err := checkSpan(start, end, gran); err != nil {
		return err
	}
	rows, err := s.cfg.Stores.Report(r.Context(), wxads.ReportQuery{SetID: setID, Start: start, End: end,
		Granularity: gran, Aggregation: agg})
	if err != nil {
		return err
	}
	return writeDataJSON(w, apiWeChat, reportData(rows, gran == wxads.Hourly, agg))
}

// periodParts splits a period start into its GMT+8 date and hour.
func periodParts(unix int64) (string, int) {
	t := time.Unix(unix, 0).In(wxads.CST)
	return t.Format(wxads.DateLayout), t.Hour()
}
