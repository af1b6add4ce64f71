package wxads

import "context"

// Retention of the request inspector (SPEC §7): per advertiser, the last
// RequestKeepCount calls or RequestKeepSeconds, whichever is smaller.
const (
	RequestKeepCount   = 10000
	RequestKeepSeconds = 7 * 86400
	// RequestBodyCap bounds the body kept with a call.
	RequestBodyCap = 64 << 10
	// DiagnosticsKeepSeconds is how long the upload diagnostics rollup is kept.
	DiagnosticsKeepSeconds = 90 * 86400
)

// Verdicts of one uploaded action.
const (
	VerdictStored    = "stored"    // new, committed
	VerdictDuplicate = "duplicate" // the set already held its outer_action_id
	VerdictValid     = "valid"     // validate_only: would be stored
	VerdictRefused   = "refused"   // the action itself is invalid (Errcode, Path)
	VerdictRejected  = "rejected"  // valid, but not stored: the atomic batch failed
)

// RequestRecord is one call as the inspector keeps it: who made it, what it
// sent (redacted and capped) and what it got, explained.
type RequestRecord struct {
	ID          int64 // set by the store
	AccountID   int64
	AppID       string // the calling app, "" when unknown
	TimeMS      int64  // Unix milliseconds, platform clock
	Method      string
	Route       string // the route's path pattern, e.g. /marketing/user_actions/add
	RequestID   string
	HTTPStatus  int
	Errcode     int
	Errmsg      string
	Explanation string // what went wrong, in words, from the value where it tells more
	ExplainCN   string // the same in Chinese
	Hint        string // how to fix it (errcode registry)
	DurationMS  float64
	Query       string          // raw query, access_token and secret redacted
	Body        string          // at most RequestBodyCap bytes, secrets redacted
	BodyBytes   int             // size of the body as received
	ActionCount int             // actions in an upload body, 0 otherwise
	DryRun      bool            // validate_only: nothing was to be stored
	Actions     []ActionVerdict // uploads only; nil when none
}

// ActionVerdict is what became of one action of an upload, and why.
type ActionVerdict struct {
	Index         int    `json:"index"`
	Verdict       string `json:"verdict"`
	SetID         int64  `json:"user_action_set_id,omitempty"`
	OuterActionID string `json:"outer_action_id,omitempty"`
	Errcode       int    `json:"errcode,omitempty"`
	Errmsg        string `json:"errmsg,omitempty"`
	Path          string `json:"path,omitempty"`
	Explanation   string `json:"explanation,omitempty"`
	ExplainCN     string `json:"explanation_cn,omitempty"`

	Identified       bool   `json:"identified"`
	Identification   string `json:"identification,omitempty"` // why (not)
	IdentificationCN string `json:"identification_cn,omitempty"`
	// Attribution: the ad event credited, or why none was.
	AdID          int64  `json:"ad_id,omitempty"`
	CampaignID    int64  `json:"campaign_id,omitempty"`
	EventType     string `json:"event_type,omitempty"`
	EventTime     int64  `json:"event_time,omitempty"`
	Attribution   string `json:"attribution,omitempty"`
	AttributionCN string `json:"attribution_cn,omitempty"`

	// Facts are what a stored action's Identification and Attribution are
	// written from, look-up results included. The inspector stores these
	// instead of the text and the server writes the text when the record
	// is read, so no reader sees Facts: writing two languages of text for
	// every stored action, then encoding and compressing it, was most of
	// the inspector's cost (issue 14: 14–29 % of throughput at 16 × 50).
	Facts *VerdictFacts `json:"facts,omitempty"`
}

// VerdictFacts are the inputs of a stored action's explanations, as they
// were when it arrived (short JSON names: one per stored action).
type VerdictFacts struct {
	AppID          string `json:"app,omitempty"`
	OpenID         string `json:"oid,omitempty"`
	UnionID        string `json:"uid,omitempty"`
	IdentifiedBy   string `json:"by,omitempty"`  // Action.IdentifiedBy
	FollowerOpenID string `json:"fol,omitempty"` // Action.FollowerOpenID
	Devices        string `json:"dev,omitempty"` // its device id kinds, "hash_oaid, hash_imei"
	ClickID        string `json:"clk,omitempty"`
	Follow         bool   `json:"fw,omitempty"` // claim_type FOLLOW: attributed by FOLLOW events
	ActionTime     int64  `json:"at"`
	Owner          int8   `json:"own,omitempty"`  // an unidentified action's app: FactOwn…
	Nearest        int8   `json:"near,omitempty"` // an identified, unattributed action's look-up: FactNear…
	NearestAdID    int64  `json:"nad,omitempty"`
	NearestTime    int64  `json:"nt,omitempty"`
}

// ByFollower is Action.ByFollower for the action these facts describe,
// identified or not as its verdict says.
func (f *VerdictFacts) ByFollower(identified bool) bool {
	return identified && byFollower(f.IdentifiedBy)
}

// UserOpenID is Action.UserOpenID for the action these facts describe.
func (f *VerdictFacts) UserOpenID() string { return userOpenID(f.FollowerOpenID, f.OpenID) }

// VerdictFacts.Owner: whether the app of an unidentified action is the
// advertiser's.
const (
	FactOwnMine    = 0
	FactOwnOther   = 1 // another advertiser's, or no app
	FactOwnUnknown = 2 // the look-up failed
)

// VerdictFacts.Nearest: the nearest ad event of an identified, unattributed
// action.
const (
	FactNearNotApplicable = 0
	FactNearBusy          = 1 // not looked up: the inspector's budget was spent
	FactNearNone          = 2
	FactNearFailed        = 3
	FactNearFound         = 4 // NearestAdID at NearestTime
)

// RequestQuery selects an advertiser's calls, newest first.
type RequestQuery struct {
	AccountID int64
	Errcode   *int   // nil: any
	Route     string // "": any; else the route's path pattern
	Method    string // "": any
	Offset    int
	Limit     int
}

// DiagnosticsQuery selects the upload diagnostics of an advertiser.
type DiagnosticsQuery struct {
	AccountID  int64
	SetID      int64 // 0: every set
	Start, End int64 // GMT+8 midnights, inclusive dates
}

// UploadDiagnostic is one data source's uploads on one GMT+8 day (by the
// time the platform received them). SetID 0 holds bodies refused as a whole
// (no action could be read).
type UploadDiagnostic struct {
	SetID      int64
	Day        int64 // GMT+8 midnight
	Accepted   int64 // stored as new
	Duplicates int64
	Refused    map[int]int64 // invalid actions (or whole bodies) by errcode
	Rejected   int64         // valid actions not stored because their atomic batch failed
	Identified int64         // of Accepted
	Attributed int64         // of Accepted
}

// IdentificationRate is Identified / Accepted, 0 when nothing was accepted.
func (d UploadDiagnostic) IdentificationRate() float64 {
	if d.Accepted == 0 {
		return 0
	}
	return float64(d.Identified) / float64(d.Accepted)
}

// DiagnosticKey is one cell of the diagnostics rollup.
type DiagnosticKey struct {
	SetID   int64
	Day     int64
	Kind    string // "accepted", "duplicate", "refused", "rejected", "identified", "attributed"
	Errcode int    // refusals only
}

// Diagnostics returns the rollup increments a call contributes. Every
// backend adds them in the transaction that stores the record.
func (r *RequestRecord) Diagnostics() map[DiagnosticKey]int64 {
	if r.Route != UploadRoute || r.DryRun {
		return nil
	}
	day := DayOf(r.TimeMS / 1000)
	out := map[DiagnosticKey]int64{}
	if len(r.Actions) == 0 && r.Errcode != 0 {
		out[DiagnosticKey{Day: day, Kind: "refused", Errcode: r.Errcode}]++
		return out
	}
	for _, a := range r.Actions {
		k := DiagnosticKey{SetID: a.SetID, Day: day}
		switch a.Verdict {
		case VerdictStored:
			out[DiagnosticKey{a.SetID, day, "accepted", 0}]++
			if a.Identified {
				out[DiagnosticKey{a.SetID, day, "identified", 0}]++
			}
			if a.AdID != 0 {
				out[DiagnosticKey{a.SetID, day, "attributed", 0}]++
			}
			continue
		case VerdictDuplicate:
			k.Kind = "duplicate"
		case VerdictRefused:
			k.Kind, k.Errcode = "refused", a.Errcode
		case VerdictRejected:
			k.Kind = "rejected"
		default:
			continue
		}
		out[k]++
	}
	return out
}

// DiagnosticCell is one stored rollup cell and its count.
type DiagnosticCell struct {
	DiagnosticKey
	N int64
}

// FoldDiagnostics turns rollup cells sorted by day and set into one row per
// day and set.
func FoldDiagnostics(cells []DiagnosticCell) []UploadDiagnostic {
	var out []UploadDiagnostic
	for _, c := range cells {
		if len(out) == 0 || out[len(out)-1].Day != c.Day || out[len(out)-1].SetID != c.SetID {
			out = append(out, UploadDiagnostic{SetID: c.SetID, Day: c.Day, Refused: map[int]int64{}})
		}
		d := &out[len(out)-1]
		switch c.Kind {
		case "accepted":
			d.Accepted += c.N
		case "duplicate":
			d.Duplicates += c.N
		case "refused":
			d.Refused[c.Errcode] += c.N
		case "rejected":
			d.Rejected += c.N
		case "identified":
			d.Identified += c.N
		case "attributed":
			d.Attributed += c.N
		}
	}
	return out
}

// UploadRoute is the route whose calls carry action verdicts.
const UploadRoute = "/marketing/user_actions/add"

// AdEventProbe asks which ad event of a kind is nearest an action, to
// explain an attribution that did not happen.
type AdEventProbe struct {
	AppID   string
	Type    string // EventClick or EventFollow
	ClickID string // when set, match by click id (CLICK only), else by OpenID
	OpenID  string
	At      int64 // action_time
}

// InspectorStore keeps the request inspector's records (SPEC §7). Records
// are written off the request path, in batches, in the backend's own
// transactions; several nodes sharing a database share them.
type InspectorStore interface {
	// AddRequests stores records, setting their IDs, and adds their
	// Diagnostics to the rollup, in one transaction.
	AddRequests(ctx context.Context, recs []RequestRecord) error
	// Requests returns an advertiser's records matching q, newest first,
	// and how many match in all.
	Requests(ctx context.Context, q RequestQuery) ([]RequestRecord, int, error)
	// PruneRequests deletes records older than before (Unix ms) and all but
	// the newest keep of each advertiser, and rollup days before
	// diagBefore (a GMT+8 midnight). It returns how many records went.
	PruneRequests(ctx context.Context, before int64, keep int, diagBefore int64) (int64, error)
	// UploadDiagnostics returns the rollup rows of q by day, then set.
	UploadDiagnostics(ctx context.Context, q DiagnosticsQuery) ([]UploadDiagnostic, error)
	// NearestAdEvent returns the latest event matching p at or before p.At
	// whatever its age, else the earliest after it; ErrNotFound when none.
	NearestAdEvent(ctx context.Context, p AdEventProbe) (AdEvent, error)
}
