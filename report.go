package wxads

import "context"

// Report granularities and aggregations (SPEC §6.4).
const (
	Daily  = "DAILY"
	Hourly = "HOURLY"

	AggNone       = ""
	AggDomain     = "DOMAIN"
	AggActionType = "ACTION_TYPE"
)

// ReportQuery asks for a data-source report. Start and End are GMT+8 dates
// (inclusive) as Unix seconds of their midnights.
type ReportQuery struct {
	SetID       int64
	Start, End  int64
	Granularity string
	Aggregation string
}

// ReportRow is one row of user_action_set_reports/get. Hour is -1 for DAILY.
type ReportRow struct {
	Period       int64 // Unix seconds of the GMT+8 day or hour start
	Domain       string
	ActionType   string
	CustomAction string
	Raw          int64
	Identified   int64
	Users        int64 // distinct identified users; only without aggregation
}

// ReportStore answers reports from rollups maintained at ingest.
type ReportStore interface {
	Report(ctx context.Context, q ReportQuery) ([]ReportRow, error)
}
