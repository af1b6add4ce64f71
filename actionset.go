package wxads

import "context"

// Data source types (SPEC §6.1).
var ActionSetTypes = []string{"WECHAT", "WEB", "ANDROID", "IOS", "WECHAT_MINI_PROGRAM", "WECHAT_MINI_GAME"}

// ActionSet is a data source ("user action set").
type ActionSet struct {
	ID             int64
	AccountID      int64
	Type           string
	Name           string
	Description    string
	WechatAppID    string
	CreatorAppID   string // the app whose token created it
	ActivateStatus bool
	CreatedTime    int64
	// Fields of the v3.0 model (SPEC §11), zero for sets made on the WeChat side.
	MobileAppID           int64
	EnableConversionClaim bool
}

// ActionSetFilter narrows ListActionSets; zero fields do not filter.
type ActionSetFilter struct {
	ID          int64
	WechatAppID string
}

// ActionSetStore holds data sources.
type ActionSetStore interface {
	// CreateActionSet assigns s.ID; ErrConflict when the advertiser already
	// has a set of that name, ErrTooFrequent when s.CreatorAppID already
	// created perMinute sets in the 60 s before s.CreatedTime.
	CreateActionSet(ctx context.Context, s *ActionSet, perMinute int) error
	// ActionSets lists an advertiser's sets, oldest first.
	ActionSets(ctx context.Context, accountID int64, f ActionSetFilter) ([]*ActionSet, error)
	// ActionSetOwner returns the account owning a set; ErrNotFound if none.
	ActionSetOwner(ctx context.Context, setID int64) (int64, error)
}
