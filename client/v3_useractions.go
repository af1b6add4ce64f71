package client

import (
	"context"
	"encoding/json"
	"errors"
	"strconv"

	"github.com/wxads/wxads/ingest"
)

// V3UserAction is one conversion as POST /v3.0/user_actions/add takes it
// (SPEC §11; the Tencent v3.0 model's UserAction). The set is named once
// per request, not per action. action_time is required on this API.
type V3UserAction struct {
	ActionTime    int64          `json:"action_time,omitempty"`
	ActionType    string         `json:"action_type"` // the v3.0 enum (ingest.V3ActionTypes)
	CustomAction  string         `json:"custom_action,omitempty"`
	UserID        V3UserID       `json:"user_id"`
	Trace         *Trace         `json:"trace,omitempty"`
	OuterActionID string         `json:"outer_action_id,omitempty"`
	ActionParam   map[string]any `json:"action_param,omitempty"`
	URL           string         `json:"url,omitempty"`
	ProductInform *ProductInform `json:"product_inform,omitempty"`
	Channel       string         `json:"channel,omitempty"` // e.g. CHANNEL_NATURAL, ≤ 64 bytes
}

// V3UserID names the user of a v3.0 action: any of the hashed device or
// phone ids (lowercase hex of the raw value: MD5 32 digits, SHA-256 64),
// the WeChat ids, a CAID. A WECHAT* set needs WechatAppID with
// WechatOpenID or WechatUnionID.
type V3UserID struct {
	HashIMEI      string `json:"hash_imei,omitempty"`
	HashIDFA      string `json:"hash_idfa,omitempty"`
	HashAndroidID string `json:"hash_android_id,omitempty"`
	HashOAID      string `json:"hash_oaid,omitempty"`
	HashPhone     string `json:"hash_phone,omitempty"`
	MD5SHA256IMEI string `json:"md5_sha256_imei,omitempty"`
	MD5SHA256IDFA string `json:"md5_sha256_idfa,omitempty"`
	MD5SHA256OAID string `json:"md5_sha256_oaid,omitempty"`
	SHA256Phone   string `json:"sha256_phone,omitempty"`
	WechatOpenID  string `json:"wechat_openid,omitempty"`
	WechatUnionID string `json:"wechat_unionid,omitempty"`
	WechatAppID   string `json:"wechat_app_id,omitempty"`
	CAID          string `json:"caid,omitempty"`
	// CAIDVersion is sent as a string, as the platform checks it (1–32
	// bytes); the Tencent SDK's model declares it an integer.
	CAIDVersion string `json:"caid_version,omitempty"`
}

// ProductInform is the product an action is about (v3.0 model).
type ProductInform struct {
	ContentType      string   `json:"content_type,omitempty"`
	ProductCatalogID string   `json:"product_catalog_id,omitempty"`
	ProductID        []string `json:"product_id,omitempty"`
	CategoryPath     []string `json:"category_path,omitempty"`
}

// V3OuterActionID is OuterActionID for a v3.0 action: the hex SHA-256 of
// its JSON encoding without outer_action_id. It differs from the WeChat
// action's key for the same conversion (the shapes differ): to dedup one
// conversion sent through both APIs, give it your own outer_action_id.
func V3OuterActionID(a V3UserAction) string {
	a.OuterActionID = ""
	return contentKey(a)
}

// V3UserActionsService uploads conversions on /v3.0.
type V3UserActionsService struct{ v *V3 }

// Add sends any number of actions to set setID as UserActions.Add does on
// the WeChat side: empty OuterActionIDs filled with V3OuterActionID (the
// caller's slice is not modified), everything validated offline with the
// platform's v3.0 rules (nothing sent if any is invalid: *ValidationError,
// Offline), then in order in requests of at most 50 actions with
// partial_failure=true, retried per the RetryPolicy with a fresh nonce on
// every attempt. The errors are those of UserActions.Add.
func (s *V3UserActionsService) Add(ctx context.Context, setID int64, actions ...V3UserAction) (*AddSummary, error) {
	filled := make([]V3UserAction, len(actions))
	for i, a := range actions {
		if a.OuterActionID == "" {
			a.OuterActionID = V3OuterActionID(a)
		}
		filled[i] = a
	}
	chunks, err := s.split(setID, filled)
	if err != nil {
		return &AddSummary{}, err
	}
	if err := validateShape(chunks, s.v.c.t.cfg.now(), ingest.V3); err != nil {
		return &AddSummary{}, err
	}
	return sendChunks(chunks, func(body []byte) (*BatchResult, error) {
		return s.send(ctx, body, AddOptions{PartialFailure: true}, false)
	})
}

// AddBatch sends exactly one request of 1–50 actions as given: no outer ids
// filled, nothing validated offline (the server's answer is the test). The
// flags and results are UserActions.AddBatch's.
func (s *V3UserActionsService) AddBatch(ctx context.Context, setID int64, actions []V3UserAction, opts AddOptions) (*BatchResult, error) {
	if s.v.AccountID <= 0 {
		return nil, errNoAccount
	}
	body, err := json.Marshal(struct {
		AccountID int64          `json:"account_id"`
		SetID     int64          `json:"user_action_set_id"`
		Actions   []V3UserAction `json:"actions"`
	}{s.v.AccountID, setID, actions})
	if err != nil {
		return nil, err
	}
	once := false
	for _, a := range actions {
		if a.OuterActionID == "" {
			once = true
		}
	}
	res, err := s.send(ctx, body, opts, once)
	return finishBatch(res, err, len(actions), opts)
}

// Validate checks actions offline with the platform's v3.0 rules, at the
// client's clock; indexes are into actions. What only the server knows
// (whether the set is yours, a WECHAT set's id rules) is not checked.
func (s *V3UserActionsService) Validate(setID int64, actions []V3UserAction) error {
	chunks, err := s.split(setID, actions)
	if err != nil {
		return err
	}
	return validateShape(chunks, s.v.c.t.cfg.now(), ingest.V3)
}

// split encodes request bodies {account_id, user_action_set_id, actions}.
func (s *V3UserActionsService) split(setID int64, actions []V3UserAction) ([]chunk, error) {
	if s.v.AccountID <= 0 {
		return nil, errNoAccount
	}
	if setID <= 0 {
		return nil, errors.New("wxads: user_action_set_id must be a positive id / user_action_set_id 必须为正整数")
	}
	head := `{"account_id":` + strconv.FormatInt(s.v.AccountID, 10) +
		`,"user_action_set_id":` + strconv.FormatInt(setID, 10) + `,"actions":[`
	return splitBodies(head, len(actions), func(i int) ([]byte, error) { return json.Marshal(actions[i]) })
}

// send posts one body; the result is never nil.
func (s *V3UserActionsService) send(ctx context.Context, body []byte, opts AddOptions, once bool) (*BatchResult, error) {
	c, err := s.v.call("POST", "user_actions/add", opts.query(), body)
	if err != nil {
		return &BatchResult{}, err
	}
	c.once = once
	return s.v.c.t.doBatch(ctx, c)
}
