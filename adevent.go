package wxads

import "context"

// Ad event types (SPEC §5).
const (
	EventClick  = "CLICK"
	EventFollow = "FOLLOW"
)

// DefaultAttributionWindow is how far back (inclusive) an ad event may
// precede the action it is credited with.
const DefaultAttributionWindow = 7 * 24 * 3600

// AdEvent is what ad delivery saw: a click on or a follow through an ad.
type AdEvent struct {
	Type       string
	AppID      string
	OpenID     string
	AdID       int64
	CampaignID int64
	ClickID    string
	Time       int64
	// UserIDs are the hashed device or phone ids delivery saw (kinds of
	// DeviceIDKinds, hex lower-case); a v3.0 action carrying one of them
	// is identified by it (SPEC §11). OpenID may be "" when there are some.
	UserIDs []UserID
}

// AdReportQuery asks for attributed conversions of an advertiser.
type AdReportQuery struct {
	AccountID   int64
	Start, End  int64 // GMT+8 midnights, inclusive dates
	Granularity string
}

// AdReportRow is one row of ext/v1/ad_reports/get.
type AdReportRow struct {
	Period      int64
	AdID        int64
	CampaignID  int64
	ActionType  string
	Conversions int64
	Value       int64
}

// AdEventStore stores ad events and answers the ad conversion report.
type AdEventStore interface {
	// AddAdEvents stores events atomically; FOLLOWs register followers.
	AddAdEvents(ctx context.Context, events []AdEvent, now int64) error
	AdReport(ctx context.Context, q AdReportQuery) ([]AdReportRow, error)
	// ListAdEvents pages appid's events in the order they were stored
	// (limit and offset as AccountStore's lists), with the total.
	ListAdEvents(ctx context.Context, appid string, offset, limit int) ([]AdEvent, int, error)
}
