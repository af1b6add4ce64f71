package server

import (
	"net/http"
	"time"

	"github.com/wxads/wxads"
)

type reportRowJSON struct {
	Date         string  `json:"date"`
	Hour         *int    `json:"hour,omitempty"`
	Domain       *string `json:"domain,omitempty"`
	ActionType   *string `json:"action_type,omitempty"`
	CustomAction *string `json:"custom_action,omitempty"`
	Raw          int64   `json:"raw_action_count"`
	Identified   int64   `json:"identified_action_count"`
	Users        *int64  `json:"identified_user_count,omitempty"`
}

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
	list := make([]reportRowJSON, len(rows))
	for i := range rows {
		row := &rows[i]
		out := &list[i]
		date, hour := periodParts(row.Period)
		out.Date, out.Raw, out.Identified = date, row.Raw, row.Identified
		if gran == wxads.Hourly {
			out.Hour = &hour
		}
		switch agg {
		case wxads.AggDomain:
			out.Domain = &row.Domain
		case wxads.AggActionType:
			out.ActionType, out.CustomAction = &row.ActionType, &row.CustomAction
		default:
			out.Users = &row.Users
		}
	}
	return writeData(w, apiWeChat, map[string]any{"list": list})
}

// periodParts splits a period start into its GMT+8 date and hour.
func periodParts(unix int64) (string, int) {
	t := time.Unix(unix, 0).In(wxads.CST)
	return t.Format(wxads.DateLayout), t.Hour()
}
