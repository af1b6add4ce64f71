package client

import (
	"context"
	"encoding/json"
	"errors"
	"net/url"
	"strconv"
)

// ReportsService reads data-source reports (SPEC §6.4).
type ReportsService struct{ c *Client }

// Get returns the report rows of q: one per period (and key) with actions,
// counted by GMT+8 day and hour.
func (s *ReportsService) Get(ctx context.Context, q ReportQuery) ([]ReportRow, error) {
	var out struct {
		List []ReportRow `json:"list"`
	}
	if err := s.c.t.do(ctx, marketing("GET", "/marketing/user_action_set_reports/get", q.values(), nil), &out); err != nil {
		return nil, err
	}
	return out.List, nil
}

// values is q as query parameters (both APIs take the same).
func (q ReportQuery) values() url.Values {
	v := url.Values{}
	v.Set("user_action_set_id", strconv.FormatInt(q.SetID, 10))
	v.Set("date_range", dateRange(q.StartDate, q.EndDate))
	if q.Granularity != "" {
		v.Set("time_granularity", q.Granularity)
	}
	if q.Aggregation != "" {
		v.Set("aggregation", q.Aggregation)
	}
	return v
}

func dateRange(start, end string) string {
	b, _ := json.Marshal(map[string]string{"start_date": start, "end_date": end})
	return string(b)
}

// AdReportsService reads attributed conversions per ad (SPEC §7).
type AdReportsService struct{ c *Client }

// Get returns attributed conversions and summed value per date, ad,
// campaign and action type.
func (s *AdReportsService) Get(ctx context.Context, q AdReportQuery) ([]AdReportRow, error) {
	v := url.Values{}
	v.Set("date_range", dateRange(q.StartDate, q.EndDate))
	if q.Granularity != "" {
		v.Set("time_granularity", q.Granularity)
	}
	var out struct {
		List []AdReportRow `json:"list"`
	}
	if err := s.c.t.do(ctx, marketing("GET", "/ext/v1/ad_reports/get", v, nil), &out); err != nil {
		return nil, err
	}
	return out.List, nil
}

// TemplatesService reads the creative template catalog (SPEC §8) and
// validates creatives against it (SPEC §7).
type TemplatesService struct{ c *Client }

// Get calls GET /v1.1/adcreative_templates/get. Every attempt carries a
// fresh timestamp and nonce. q.AccountID defaults to WithAccountID's.
func (s *TemplatesService) Get(ctx context.Context, q TemplateQuery) (*TemplateList, error) {
	acct := q.AccountID
	if acct == 0 {
		acct = s.c.t.cfg.accountID
	}
	if acct == 0 {
		return nil, errors.New("wxads: /v1.1 calls need an account_id: give client.WithAccountID or TemplateQuery.AccountID / 需要 account_id")
	}
	v := url.Values{}
	v.Set("account_id", strconv.FormatInt(acct, 10))
	if len(q.Filtering) > 0 {
		b, _ := json.Marshal(q.Filtering)
		v.Set("filtering", string(b))
	}
	if q.Page != 0 {
		v.Set("page", strconv.Itoa(q.Page))
	}
	if q.PageSize != 0 {
		v.Set("page_size", strconv.Itoa(q.PageSize))
	}
	if len(q.Fields) > 0 {
		b, _ := json.Marshal(q.Fields)
		v.Set("fields", string(b))
	}
	out := new(TemplateList)
	c := &call{method: "GET", path: "/v1.1/adcreative_templates/get", query: v, token: true, v11: true}
	if err := s.c.t.do(ctx, c, out); err != nil {
		return nil, err
	}
	return out, nil
}

// Validate checks a creative's elements against template templateID and
// returns the rules it breaks (none: an empty slice).
func (s *TemplatesService) Validate(ctx context.Context, templateID int64, elements json.RawMessage) ([]Violation, error) {
	body, err := json.Marshal(map[string]any{"adcreative_template_id": templateID, "adcreative_elements": elements})
	if err != nil {
		return nil, err
	}
	var out struct {
		Violations []Violation `json:"violations"`
	}
	if err := s.c.t.do(ctx, marketing("POST", "/ext/v1/adcreative_templates/validate", nil, body), &out); err != nil {
		return nil, err
	}
	return out.Violations, nil
}

// RequestsService reads the platform's request inspector (SPEC §7): the
// advertiser's recent calls with explanations and per-action verdicts.
type RequestsService struct{ c *Client }

// RequestQuery narrows Requests.Get; zero fields do not filter.
type RequestQuery struct {
	Page, PageSize int
	Errcode        *int   // only calls that ended with this code (0: successes)
	Route          string // e.g. "POST /marketing/user_actions/add" or a path
}

// RequestList is a page of inspected requests, newest first.
type RequestList struct {
	List     []InspectedRequest `json:"list"`
	PageInfo PageInfo           `json:"page_info"`
}

// InspectedRequest is one call the platform recorded, with its explanation
// and, for uploads, a verdict per action. Raw keeps the whole item, for
// fields this SDK version does not model.
type InspectedRequest struct {
	Time          string          `json:"time"` // yyyy-MM-dd HH:mm:ss, GMT+8
	Method        string          `json:"method"`
	Route         string          `json:"route"`
	RequestID     string          `json:"request_id"`
	AppID         string          `json:"appid,omitempty"`
	HTTPStatus    int             `json:"http_status"`
	Errcode       int             `json:"errcode"`
	Errmsg        string          `json:"errmsg"`
	Explanation   string          `json:"explanation,omitempty"`
	ExplanationCN string          `json:"explanation_cn,omitempty"`
	Hint          string          `json:"hint,omitempty"`
	DurationMS    float64         `json:"duration_ms"`
	Query         string          `json:"query"`
	Body          string          `json:"body"` // redacted and bounded by the platform
	ActionCount   int             `json:"action_count,omitempty"`
	Actions       []ActionVerdict `json:"actions,omitempty"`
	Raw           json.RawMessage `json:"-"`
}

// ActionVerdict is what the platform did with one action of an upload:
// Verdict stored, duplicate or refused, whether it was identified and why
// (not), and the ad event it was attributed to or why none was.
type ActionVerdict struct {
	Index            int    `json:"index"`
	Verdict          string `json:"verdict"`
	OuterActionID    string `json:"outer_action_id,omitempty"`
	Errcode          int    `json:"errcode,omitempty"`
	Errmsg           string `json:"errmsg,omitempty"`
	Path             string `json:"path,omitempty"`
	Identified       bool   `json:"identified"`
	Identification   string `json:"identification,omitempty"`
	IdentificationCN string `json:"identification_cn,omitempty"`
	AdID             int64  `json:"ad_id,omitempty"`
	CampaignID       int64  `json:"campaign_id,omitempty"`
	Attribution      string `json:"attribution,omitempty"`
	AttributionCN    string `json:"attribution_cn,omitempty"`
	// Delivery is set when the platform relays to another (SPEC §12).
	Delivery *ActionDelivery `json:"delivery,omitempty"`
}

// ActionDelivery is where a stored or duplicate action stands on its way
// upstream: State pending, delivered (RequestID of the upstream's
// acknowledgement) or dead (Errcode of the upstream's refusal).
type ActionDelivery struct {
	State     string `json:"state"`
	Attempts  int    `json:"attempts"`
	RequestID string `json:"upstream_request_id,omitempty"`
	Errcode   int    `json:"errcode,omitempty"`
	Errmsg    string `json:"errmsg,omitempty"`
	DoneTime  string `json:"done_time,omitempty"` // yyyy-MM-dd HH:mm:ss, GMT+8
}

func (r *InspectedRequest) UnmarshalJSON(b []byte) error {
	type plain InspectedRequest
	if err := json.Unmarshal(b, (*plain)(r)); err != nil {
		return err
	}
	r.Raw = append(json.RawMessage(nil), b...)
	return nil
}

// Get calls GET /ext/v1/requests/get.
func (s *RequestsService) Get(ctx context.Context, q RequestQuery) (*RequestList, error) {
	v := url.Values{}
	if q.Page != 0 {
		v.Set("page", strconv.Itoa(q.Page))
	}
	if q.PageSize != 0 {
		v.Set("page_size", strconv.Itoa(q.PageSize))
	}
	if q.Errcode != nil {
		v.Set("errcode", strconv.Itoa(*q.Errcode))
	}
	if q.Route != "" {
		v.Set("route", q.Route)
	}
	out := new(RequestList)
	if err := s.c.t.do(ctx, marketing("GET", "/ext/v1/requests/get", v, nil), out); err != nil {
		return nil, err
	}
	return out, nil
}
