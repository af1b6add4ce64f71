package wxads

import "context"

// Action types (SPEC §6.3).
const (
	ActionCompleteOrder = "COMPLETE_ORDER"
	ActionReservation   = "RESERVATION"
	ActionRegister      = "REGISTER"
	ActionCustom        = "CUSTOM"
)

// Claim types of action_param.claim_type.
const (
	ClaimClick  = 0
	ClaimFollow = 1
)

// Action is one validated, normalized conversion as it is stored.
type Action struct {
	SetID         int64
	URL           string
	Domain        string // host of URL, lower-case, no port
	ActionTime    int64  // Unix seconds
	ActionType    string
	CustomAction  string // "" unless ActionType is CUSTOM
	AppID         string // user_id.wechat_app_id
	OpenID        string // user_id.wechat_openid
	ClickID       string // trace.click_id, "" when absent
	OuterActionID string // dedup key within the set, "" when absent
	// Param is action_param re-encoded as compact JSON after normalization:
	// keys in the order sent, claim_type a number, doubles truncated to 3 decimals.
	Param     []byte
	ClaimType int
	Value     int64 // action_param.value in fen, 0 when absent
	// v3.0 only (SPEC §11): the user ids other than wechat_app_id and
	// wechat_openid, in UserIDKinds order; product_inform as compact JSON
	// as sent (nil when absent); channel.
	UserIDs       []UserID
	ProductInform []byte
	Channel       string

	// Set at ingest by the store.
	Identified bool
	// IdentifiedBy is the id that identified the action ("" when its openid
	// did, or it is unidentified), as UserID.String(): its wechat_unionid
	// held by a follower, or one of UserIDs that an ad event of the
	// advertiser carried.
	IdentifiedBy string
	// FollowerOpenID is, for an action identified by wechat_unionid, the
	// openid of the follower holding it: attribution and the report's user
	// are that follower's. Set at ingest, not stored.
	FollowerOpenID       string
	AttributedAdID       int64 // 0 when unattributed
	AttributedCampaignID int64
	AttributedEventTime  int64 // time of the credited ad event, 0 when unattributed
	ReceivedTime         int64 // Unix seconds
	// Duplicate is set by Ingest: the set already held the action's
	// outer_action_id (or an earlier action of the batch had it), so it was
	// not stored. The request inspector reports it per action.
	Duplicate bool
}

// IngestOptions are the user_actions/add extension flags.
type IngestOptions struct {
	PartialFailure bool
}

// IngestResult reports what a batch did.
type IngestResult struct {
	Accepted   int // newly stored
	Duplicates int // already held by the set (or repeated in the batch)
}

// StoredAction is an action read back with its store id.
type StoredAction struct {
	ID int64
	Action
}

// ActionStore stores conversions. Ingest is durable when it returns nil:
// the actions, their dedup keys and report rollups commit together.
type ActionStore interface {
	// Ingest stores actions of one advertiser's already-validated batch
	// atomically, deduplicating by (set, outer_action_id), identifying and
	// attributing each action at this moment.
	Ingest(ctx context.Context, accountID int64, actions []Action) (IngestResult, error)
	// ListActions returns a set's stored actions, newest first, and the total.
	ListActions(ctx context.Context, setID int64, offset, limit int) ([]StoredAction, int, error)
}
