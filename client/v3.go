package client

import (
	"context"
	"encoding/json"
	"errors"
	"net/url"
	"slices"
	"strconv"
)

// V3 calls the Tencent Marketing API v3.0 conversion routes (SPEC §11) with
// the client's token: an OAuth access token (WithTokenSource(oauth)) or the
// app's own. Every attempt carries the global parameters access_token,
// timestamp and a fresh nonce, so a retry is never refused as a replay; the
// answer's code is an *APIError with the same hints and sentinels as the
// WeChat side. Sets, actions and reports are the WeChat side's: a set made
// here is listed by ActionSets.Get, an outer_action_id counts once whichever
// API sent it.
type V3 struct {
	c *Client
	// AccountID is the advertiser every call names (account_id); it starts
	// as WithAccountID's. It must be the token's advertiser (else 31011).
	AccountID int64

	ActionSets  *V3ActionSetsService
	UserActions *V3UserActionsService
	Reports     *V3ReportsService
}

// V3 returns the v3.0 API of c. It is cheap: call it where needed, or keep
// one (it is safe for concurrent use once AccountID is set).
func (c *Client) V3() *V3 {
	v := &V3{c: c, AccountID: c.t.cfg.accountID}
	v.ActionSets = &V3ActionSetsService{v}
	v.UserActions = &V3UserActionsService{v}
	v.Reports = &V3ReportsService{v}
	return v
}

// errNoAccount is what a v3.0 call without an advertiser gets.
var errNoAccount = errors.New("wxads: /v3.0 calls need an account_id: give client.WithAccountID or set V3.AccountID / 需要 account_id")

// call builds a v3.0 call: token, fresh timestamp and nonce per attempt,
// account_id in the query of a GET (a POST carries it in its body).
func (v *V3) call(method, route string, q url.Values, body []byte) (*call, error) {
	if v.AccountID <= 0 {
		return nil, errNoAccount
	}
	if q == nil {
		q = url.Values{}
	}
	if method == "GET" {
		q.Set("account_id", strconv.FormatInt(v.AccountID, 10))
	}
	return &call{method: method, path: "/v3.0/" + route, query: q, body: body, token: true, v11: true}, nil
}

// V3ActionSet is a data source in the v3.0 model. Add sends Type, Name,
// Description, WechatAppID, MobileAppID and EnableConversionClaim; the
// other fields are what Get returns.
type V3ActionSet struct {
	ID                    int64            `json:"user_action_set_id,omitempty"`
	Type                  string           `json:"type"` // WEB, ANDROID, IOS, OFFLINE, WECHAT, WECHAT_MINI_PROGRAM, WECHAT_MINI_GAME, HARMONY
	Name                  string           `json:"name"`
	Description           string           `json:"description,omitempty"`
	WechatAppID           string           `json:"wechat_app_id,omitempty"`
	MobileAppID           int64            `json:"mobile_app_id,omitempty"`
	EnableConversionClaim bool             `json:"enable_conversion_claim,omitempty"`
	ActivateStatus        bool             `json:"activate_status,omitempty"`
	CreatedTime           string           `json:"created_time,omitempty"` // yyyy-MM-dd HH:mm:ss, GMT+8
	AppIDStr              string           `json:"app_id_str,omitempty"`
	AccessWay             string           `json:"access_way,omitempty"`
	Usages                []string         `json:"usages,omitempty"`
	Permission            *V3SetPermission `json:"permission,omitempty"` // with IncludePermission
}

// V3SetPermission is what the advertiser may do with a set.
type V3SetPermission struct {
	CanCreateAudience       bool `json:"can_create_audience"`
	CanExactConversionClaim bool `json:"can_exact_conversion_claim"`
	CanAsServing            bool `json:"can_as_serving"`
}

// V3ActionSetFilter narrows V3 ActionSets.Get; zero fields do not filter.
type V3ActionSetFilter struct {
	ID                int64
	Types             []string
	MobileAppID       int64
	WechatAppID       string
	IncludePermission bool
}

// V3ActionSetsService creates and lists data sources on /v3.0.
type V3ActionSetsService struct{ v *V3 }

// Add creates a data source (POST /v3.0/user_action_sets/add) and returns
// its id. As on the WeChat side a network failure is not retried (a retry
// could meet 31013 for its own set).
func (s *V3ActionSetsService) Add(ctx context.Context, set V3ActionSet) (int64, error) {
	body, err := json.Marshal(struct {
		AccountID int64 `json:"account_id"`
		V3ActionSet
	}{s.v.AccountID, V3ActionSet{Type: set.Type, Name: set.Name, Description: set.Description,
		WechatAppID: set.WechatAppID, MobileAppID: set.MobileAppID, EnableConversionClaim: set.EnableConversionClaim}})
	if err != nil {
		return 0, err
	}
	c, err := s.v.call("POST", "user_action_sets/add", nil, body)
	if err != nil {
		return 0, err
	}
	c.once = true
	var out struct {
		ID int64 `json:"user_action_set_id"`
	}
	if err := s.v.c.t.do(ctx, c, &out); err != nil {
		return 0, err
	}
	return out.ID, nil
}

// Get lists the advertiser's data sources (GET /v3.0/user_action_sets/get),
// whichever API made them.
func (s *V3ActionSetsService) Get(ctx context.Context, f V3ActionSetFilter) ([]V3ActionSet, error) {
	q := url.Values{}
	if f.ID != 0 {
		q.Set("user_action_set_id", strconv.FormatInt(f.ID, 10))
	}
	if len(f.Types) > 0 {
		b, _ := json.Marshal(f.Types)
		q.Set("type", string(b))
	}
	if f.MobileAppID != 0 {
		q.Set("mobile_app_id", strconv.FormatInt(f.MobileAppID, 10))
	}
	if f.WechatAppID != "" {
		q.Set("wechat_app_id", f.WechatAppID)
	}
	if f.IncludePermission {
		q.Set("include_permission", "true")
	}
	c, err := s.v.call("GET", "user_action_sets/get", q, nil)
	if err != nil {
		return nil, err
	}
	var out struct {
		List []V3ActionSet `json:"list"`
	}
	if err := s.v.c.t.do(ctx, c, &out); err != nil {
		return nil, err
	}
	if f.MobileAppID != 0 {
		// The filter holds whether or not the server applies it.
		out.List = slices.DeleteFunc(out.List, func(a V3ActionSet) bool { return a.MobileAppID != f.MobileAppID })
	}
	return out.List, nil
}

// V3ReportsService reads data-source reports on /v3.0.
type V3ReportsService struct{ v *V3 }

// Get is GET /v3.0/user_action_set_reports/get: the rows of Reports.Get,
// the same whichever API asks.
func (s *V3ReportsService) Get(ctx context.Context, q ReportQuery) ([]ReportRow, error) {
	c, err := s.v.call("GET", "user_action_set_reports/get", q.values(), nil)
	if err != nil {
		return nil, err
	}
	var out struct {
		List []ReportRow `json:"list"`
	}
	if err := s.v.c.t.do(ctx, c, &out); err != nil {
		return nil, err
	}
	return out.List, nil
}
