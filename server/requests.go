package server

import (
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/wxads/wxads"
	"github.com/wxads/wxads/errcode"
)

type requestJSON struct {
	Time          string       `json:"time"` // yyyy-MM-dd HH:mm:ss, GMT+8
	TimeMS        int64        `json:"time_ms"`
	Method        string       `json:"method"`
	Route         string       `json:"route"`
	RequestID     string       `json:"request_id"`
	AppID         string       `json:"appid,omitempty"`
	HTTPStatus    int          `json:"http_status"`
	Errcode       int          `json:"errcode"`
	Errmsg        string       `json:"errmsg"`
	Explanation   string       `json:"explanation,omitempty"`
	ExplanationCN string       `json:"explanation_cn,omitempty"`
	Hint          string       `json:"hint,omitempty"`
	DurationMS    float64      `json:"duration_ms"`
	Query         string       `json:"query"`
	Body          string       `json:"body"`
	BodyBytes     int          `json:"body_bytes"`
	BodyTruncated bool         `json:"body_truncated"`
	ActionCount   int          `json:"action_count,omitempty"`
	ValidateOnly  bool         `json:"validate_only,omitempty"`
	Actions       []actionJSON `json:"actions,omitempty"`
}

// getRequests is GET /ext/v1/requests/get (SPEC §7): the caller's
// advertiser's recent calls, newest first. It is not itself recorded.
func (s *Server) getRequests(w http.ResponseWriter, r *http.Request) error {
	recordFrom(r.Context()).skipInspector()
	page, err := intParam(r, "page", 1, 1, 99999)
	if err != nil {
		return err
	}
	size, err := intParam(r, "page_size", 10, 1, 100)
	if err != nil {
		return err
	}
	q := wxads.RequestQuery{AccountID: callerOf(r).adv.ID, Offset: (page - 1) * size, Limit: size}
	if v := r.URL.Query().Get("errcode"); v != "" {
		code, err := strconv.Atoi(v)
		if err != nil {
			return wxads.Errorf(wxads.CodeWrongType, "errcode", "integer")
		}
		q.Errcode = &code
	}
	if q.Method, q.Route, err = routeParam(r); err != nil {
		return err
	}
	if s.inspector == nil {
		return writeData(w, apiWeChat, map[string]any{"list": []requestJSON{}, "page_info": wxads.NewPageInfo(page, size, 0)})
	}
	recs, total, err := s.cfg.Inspector.Requests(r.Context(), q)
	if err != nil {
		return err
	}
	explainStored(recs)
	list := make([]requestJSON, len(recs))
	for i, rec := range recs {
		list[i] = requestJSON{Time: time.UnixMilli(rec.TimeMS).In(wxads.CST).Format(wxads.TimeLayout), TimeMS: rec.TimeMS,
			Method: rec.Method, Route: rec.Route, RequestID: rec.RequestID, AppID: rec.AppID, HTTPStatus: rec.HTTPStatus,
			Errcode: rec.Errcode, Errmsg: rec.Errmsg, Explanation: rec.Explanation, ExplanationCN: rec.ExplainCN,
			Hint: rec.Hint, DurationMS: rec.DurationMS, Query: rec.Query, Body: rec.Body, BodyBytes: rec.BodyBytes,
			BodyTruncated: rec.BodyBytes > wxads.RequestBodyCap, ActionCount: rec.ActionCount, ValidateOnly: rec.DryRun,
			Actions: s.withDeliveries(r, rec.Actions)}
	}
	return writeData(w, apiWeChat, map[string]any{"list": list, "page_info": wxads.NewPageInfo(page, size, total)})
}

// routeParam reads the route filter: a path ("/marketing/user_actions/add",
// the leading slash optional) or a method and a path ("POST /marketing/…").
func routeParam(r *http.Request) (method, route string, err error) {
	v := strings.TrimSpace(r.URL.Query().Get("route"))
	if v == "" {
		return "", "", nil
	}
	if len(v) > 256 {
		return "", "", wxads.Errorf(wxads.CodeTooLong, "route")
	}
	if m, p, ok := strings.Cut(v, " "); ok {
		method, v = strings.ToUpper(m), strings.TrimSpace(p)
	}
	if !strings.HasPrefix(v, "/") {
		v = "/" + v
	}
	return method, v, nil
}

type diagnosticJSON struct {
	Date               string        `json:"date"`
	UserActionSetID    int64         `json:"user_action_set_id"`
	Accepted           int64         `json:"accepted"`
	Duplicates         int64         `json:"duplicates"`
	Refused            int64         `json:"refused"`
	RefusedBy          []refusedJSON `json:"refused_by_errcode"`
	Rejected           int64         `json:"rejected"`
	Identified         int64         `json:"identified"`
	Attributed         int64         `json:"attributed"`
	IdentificationRate float64       `json:"identification_rate"`
}

type refusedJSON struct {
	Errcode int    `json:"errcode"`
	Count   int64  `json:"count"`
	Errmsg  string `json:"errmsg"`
}

// getDiagnostics is GET /ext/v1/diagnostics/get: upload diagnostics per
// data source and GMT+8 day (the day the platform received the calls),
// from the inspector's rollup. Not itself recorded.
func (s *Server) getDiagnostics(w http.ResponseWriter, r *http.Request) error {
	recordFrom(r.Context()).skipInspector()
	start, end, err := s.dateRange(r)
	if err != nil {
		return err
	}
	if err := checkSpan(start, end, wxads.Daily); err != nil {
		return err
	}
	setID, err := queryID(r, "user_action_set_id")
	if err != nil {
		return err
	}
	if setID != 0 {
		if err := s.ownSet(r, callerOf(r), setID); err != nil {
			return err
		}
	}
	list := []diagnosticJSON{}
	if s.inspector == nil {
		return writeData(w, apiWeChat, map[string]any{"list": list})
	}
	rows, err := s.cfg.Inspector.UploadDiagnostics(r.Context(), wxads.DiagnosticsQuery{AccountID: callerOf(r).adv.ID,
		SetID: setID, Start: start, End: end})
	if err != nil {
		return err
	}
	for _, d := range rows {
		out := diagnosticJSON{Date: time.Unix(d.Day, 0).In(wxads.CST).Format(wxads.DateLayout), UserActionSetID: d.SetID,
			Accepted: d.Accepted, Duplicates: d.Duplicates, Rejected: d.Rejected, Identified: d.Identified,
			Attributed: d.Attributed, IdentificationRate: d.IdentificationRate(), RefusedBy: []refusedJSON{}}
		for code, n := range d.Refused {
			en, _ := errcode.Message(code)
			out.Refused += n
			out.RefusedBy = append(out.RefusedBy, refusedJSON{Errcode: code, Count: n, Errmsg: en})
		}
		slices.SortFunc(out.RefusedBy, func(a, b refusedJSON) int { return a.Errcode - b.Errcode })
		list = append(list, out)
	}
	return writeData(w, apiWeChat, map[string]any{"list": list})
}
