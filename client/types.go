package client

import (
	"encoding/json"
	"time"
)

// UserAction is one conversion as POST /marketing/user_actions/add takes it
// (SPEC §6.3). An empty OuterActionID is filled by UserActions.Add from the
// action's content (OuterActionID), so a resend never counts twice.
type UserAction struct {
	UserActionSetID int64          `json:"user_action_set_id"`
	URL             string         `json:"url"`
	ActionTime      int64          `json:"action_time,omitempty"`
	ActionType      string         `json:"action_type"`
	CustomAction    string         `json:"custom_action,omitempty"`
	UserID          UserID         `json:"user_id"`
	Trace           *Trace         `json:"trace,omitempty"`
	OuterActionID   string         `json:"outer_action_id,omitempty"`
	ActionParam     map[string]any `json:"action_param,omitempty"`
}

// UserID names the WeChat user an action is about.
type UserID struct {
	WechatAppID  string `json:"wechat_app_id"`
	WechatOpenID string `json:"wechat_openid"`
}

// Trace carries the ad click the action follows, when known.
type Trace struct {
	ClickID string `json:"click_id,omitempty"`
}

// AddOptions are the extension flags of user_actions/add (SPEC §6.3).
type AddOptions struct {
	PartialFailure bool // store the valid actions, report the others
	ValidateOnly   bool // validate, store nothing
}

// BatchResult is the answer to one user_actions/add request. Accepted and
// Duplicates are only known with PartialFailure; Valid only with ValidateOnly.
type BatchResult struct {
	Accepted, Duplicates, Valid int
	Failed                      []Failure
	RequestID                   string // X-Request-Id of the platform's answer
}

// Failure is an action the platform refused. Index is into the slice given
// to the call that returned it.
type Failure struct {
	Index int
	Err   *APIError
}

// AddSummary is what UserActions.Add did: the requests that went through,
// the actions newly stored (Accepted), those the set already held
// (Duplicates: a resend or a retry), and those refused one by one.
type AddSummary struct {
	Requests, Accepted, Duplicates int
	Failed                         []Failure
}

// ActionSet is a data source (SPEC §6.1/§6.2).
type ActionSet struct {
	ID             int64  `json:"user_action_set_id,omitempty"`
	Type           string `json:"type"`
	Name           string `json:"name"`
	Description    string `json:"description,omitempty"`
	WechatAppID    string `json:"wechat_app_id,omitempty"`
	ActivateStatus bool   `json:"activate_status,omitempty"`
	CreatedTime    string `json:"created_time,omitempty"`
}

// ActionSetFilter narrows ActionSets.Get; zero fields do not filter.
type ActionSetFilter struct {
	ID          int64
	WechatAppID string
}

// StoredAction is an action as GET /ext/v1/user_actions/get returns it.
type StoredAction struct {
	UserAction
	ActionParam    json.RawMessage `json:"action_param"`
	Identified     bool            `json:"identified"`
	AttributedAdID *int64          `json:"attributed_ad_id"`
	ReceivedTime   string          `json:"received_time"`
}

// PageInfo is the paging block of list answers.
type PageInfo struct {
	Page        int `json:"page"`
	PageSize    int `json:"page_size"`
	TotalNumber int `json:"total_number"`
	TotalPage   int `json:"total_page"`
}

// ActionList is a page of stored actions, newest first.
type ActionList struct {
	List     []StoredAction `json:"list"`
	PageInfo PageInfo       `json:"page_info"`
}

// ReportQuery asks user_action_set_reports/get (SPEC §6.4). Dates are
// YYYY-MM-DD in GMT+8; Granularity DAILY or HOURLY (server default HOURLY);
// Aggregation "", DOMAIN or ACTION_TYPE.
type ReportQuery struct {
	SetID              int64
	StartDate, EndDate string
	Granularity        string
	Aggregation        string
}

// ReportRow is one period (and key) of a data-source report.
type ReportRow struct {
	Date                  string `json:"date"`
	Hour                  *int   `json:"hour,omitempty"`
	Domain                string `json:"domain,omitempty"`
	ActionType            string `json:"action_type,omitempty"`
	CustomAction          string `json:"custom_action,omitempty"`
	RawActionCount        int64  `json:"raw_action_count"`
	IdentifiedActionCount int64  `json:"identified_action_count"`
	IdentifiedUserCount   *int64 `json:"identified_user_count,omitempty"`
}

// AdReportQuery asks /ext/v1/ad_reports/get (SPEC §7).
type AdReportQuery struct {
	StartDate, EndDate string
	Granularity        string // DAILY (default) or HOURLY
}

// AdReportRow is attributed conversions of one ad in one period.
type AdReportRow struct {
	Date        string `json:"date"`
	Hour        *int   `json:"hour,omitempty"`
	AdID        int64  `json:"ad_id"`
	CampaignID  int64  `json:"campaign_id"`
	ActionType  string `json:"action_type"`
	Conversions int64  `json:"conversions"`
	Value       int64  `json:"value"`
}

// Filter is one v1.1 filtering condition (operator EQUALS, one value).
type Filter struct {
	Field    string   `json:"field"`
	Operator string   `json:"operator"`
	Values   []string `json:"values"`
}

// TemplateQuery asks /v1.1/adcreative_templates/get (SPEC §8). AccountID
// defaults to WithAccountID's.
type TemplateQuery struct {
	AccountID int64
	Filtering []Filter
	Page      int
	PageSize  int
	Fields    []string
}

// TemplateList is a page of creative templates, each as the server sent it.
type TemplateList struct {
	List     []json.RawMessage `json:"list"`
	PageInfo PageInfo          `json:"page_info"`
}

// Violation is one rule a creative breaks (SPEC §7).
type Violation struct {
	Element string `json:"element"`
	Rule    string `json:"rule"`
	Message string `json:"message"`
}

// CallRecord is one line of the call log: one HTTP attempt.
type CallRecord struct {
	Time       time.Time       `json:"time"`
	Method     string          `json:"method"`
	Route      string          `json:"route"`
	RequestID  string          `json:"request_id,omitempty"`
	HTTPStatus int             `json:"http_status"`
	Errcode    int             `json:"errcode"`
	Errmsg     string          `json:"errmsg,omitempty"`
	DurationMS float64         `json:"duration_ms"`
	Attempt    int             `json:"attempt"`
	Request    json.RawMessage `json:"request,omitempty"`
	Response   json.RawMessage `json:"response,omitempty"`
}

// AppSpec describes an app for Admin.CreateApp. A nil IPWhitelist means
// loopback only; AppID and Secret fix the credentials when set.
type AppSpec struct {
	AccountID   int64    `json:"account_id"`
	Name        string   `json:"name"`
	IPWhitelist []string `json:"ip_whitelist,omitempty"`
	AppID       string   `json:"appid,omitempty"`
	Secret      string   `json:"secret,omitempty"`
}

// AppCredentials is what Admin.CreateApp returns.
type AppCredentials struct {
	AppID     string `json:"appid"`
	Secret    string `json:"secret"`
	AccountID int64  `json:"account_id"`
}

// AdEvent is what ad delivery saw (SPEC §5): a CLICK or a FOLLOW.
type AdEvent struct {
	Type   string `json:"type"`
	AppID  string `json:"appid"`
	OpenID string `json:"openid,omitempty"` // required for a FOLLOW; a CLICK needs it or UserID
	// UserID holds the hashed device or phone ids ad delivery saw, as in a
	// v3.0 action's user_id: "hash_oaid", "hash_imei", "hash_idfa",
	// "hash_android_id", "hash_phone" (32 hex), "md5_sha256_imei",
	// "md5_sha256_idfa", "md5_sha256_oaid", "sha256_phone" (64 hex) or
	// "caid". A v3.0 action carrying the same kind and value is identified
	// and attributed by it.
	UserID     map[string]string `json:"user_id,omitempty"`
	AdID       int64             `json:"ad_id,omitempty"`
	CampaignID int64             `json:"campaign_id,omitempty"`
	ClickID    string            `json:"click_id,omitempty"`
	Time       int64             `json:"time,omitempty"`
}
