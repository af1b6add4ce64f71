package server

import (
	"encoding/json"
	"net/http"

	"github.com/wxads/wxads"
)

// intParam reads an optional integer query parameter within [lo, hi].
func intParam(r *http.Request, name string, def, lo, hi int) (int, error) {
	v := r.URL.Query().Get(name)
	if v == "" {
		return def, nil
	}
	n64, err := parseInteger(v)
	n := int(n64)
	switch {
	case err != nil:
		return 0, wxads.Errorf(wxads.CodeWrongType, name, "integer")
	case n < lo:
		return 0, wxads.Errorf(wxads.CodeTooSmall, name, wxads.GreaterThan(int64(lo)))
	case n > hi:
		return 0, wxads.Errorf(wxads.CodeTooBig, name, wxads.LessThan(int64(hi)))
	}
	return n, nil
}

type storedActionJSON struct {
	UserActionSetID int64           `json:"user_action_set_id"`
	OuterActionID   string          `json:"outer_action_id,omitempty"`
	ActionTime      int64           `json:"action_time"`
	ActionType      string          `json:"action_type"`
	CustomAction    string          `json:"custom_action,omitempty"`
	URL             string          `json:"url"`
	UserID          userIDJSON      `json:"user_id"`
	Trace           *traceJSON      `json:"trace,omitempty"`
	ActionParam     json.RawMessage `json:"action_param"`
	// v3.0 only, absent otherwise (SPEC §11): the other user ids as an
	// object kind → value, product_inform and channel as sent, and the
	// device id that identified the action.
	UserIDs        json.RawMessage `json:"user_ids,omitempty"`
	ProductInform  json.RawMessage `json:"product_inform,omitempty"`
	Channel        string          `json:"channel,omitempty"`
	IdentifiedBy   string          `json:"identified_by,omitempty"`
	Identified     bool            `json:"identified"`
	AttributedAdID *int64          `json:"attributed_ad_id"`
	ReceivedTime   string          `json:"received_time"`
}

type userIDJSON struct {
	WechatAppID  string `json:"wechat_app_id"`
	WechatOpenID string `json:"wechat_openid"`
}

type traceJSON struct {
	ClickID string `json:"click_id"`
}

// getActions is GET /ext/v1/user_actions/get (SPEC §7).
func (s *Server) getActions(w http.ResponseWriter, r *http.Request) error {
	setID, err := s.setParam(r)
	if err != nil {
		return err
	}
	page, err := intParam(r, "page", 1, 1, 99999)
	if err != nil {
		return err
	}
	size, err := intParam(r, "page_size", 10, 1, 100)
	if err != nil {
		return err
	}
	actions, total, err := s.cfg.Stores.ListActions(r.Context(), setID, (page-1)*size, size)
	if err != nil {
		return err
	}
	list := make([]storedActionJSON, len(actions))
	for i, a := range actions {
		out := storedActionJSON{UserActionSetID: a.SetID, OuterActionID: a.OuterActionID, ActionTime: a.ActionTime,
			ActionType: a.ActionType, CustomAction: a.CustomAction, URL: a.URL,
			UserID:      userIDJSON{a.AppID, a.OpenID},
			ActionParam: json.RawMessage(a.Param), Identified: a.Identified, ReceivedTime: formatTime(a.ReceivedTime),
			UserIDs: json.RawMessage(wxads.EncodeUserIDs(a.UserIDs)), ProductInform: json.RawMessage(a.ProductInform),
			Channel: a.Channel, IdentifiedBy: a.IdentifiedBy}
		if a.ClickID != "" {
			out.Trace = &traceJSON{a.ClickID}
		}
		if a.AttributedAdID != 0 {
			id := a.AttributedAdID
			out.AttributedAdID = &id
		}
		list[i] = out
	}
	return writeData(w, apiWeChat, map[string]any{"list": list, "page_info": wxads.NewPageInfo(page, size, total)})
}

type adReportRowJSON struct {
	Date        string `json:"date"`
	Hour        *int   `json:"hour,omitempty"`
	AdID        int64  `json:"ad_id"`
	CampaignID  int64  `json:"campaign_id"`
	ActionType  string `json:"action_type"`
	Conversions int64  `json:"conversions"`
	Value       int64  `json:"value"`
}

// getAdReport is GET /ext/v1/ad_reports/get (SPEC §7): attributed
// conversions and their value (fen) per period, ad, campaign, action type.
func (s *Server) getAdReport(w http.ResponseWriter, r *http.Request) error {
	start, end, err := s.dateRange(r)
	if err != nil {
		return err
	}
	gran, err := enumParam(r, "time_granularity", wxads.Daily, wxads.Daily, wxads.Hourly)
	if err != nil {
		return err
	}
	if err := checkSpan(start, end, gran); err != nil {
		return err
	}
	rows, err := s.cfg.Stores.AdReport(r.Context(), wxads.AdReportQuery{AccountID: callerOf(r).adv.ID,
		Start: start, End: end, Granularity: gran})
	if err != nil {
		return err
	}
	list := make([]adReportRowJSON, len(rows))
	for i, row := range rows {
		date, hour := periodParts(row.Period)
		list[i] = adReportRowJSON{Date: date, AdID: row.AdID, CampaignID: row.CampaignID, ActionType: row.ActionType,
			Conversions: row.Conversions, Value: row.Value}
		if gran == wxads.Hourly {
			list[i].Hour = &hour
		}
	}
	return writeData(w, apiWeChat, map[string]any{"list": list})
}
