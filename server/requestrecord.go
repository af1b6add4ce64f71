package server

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/wxads/wxads"
	"github.com/wxads/wxads/ingest"
)

// record is what one request leaves behind for its log line and the
// inspector. logRequests puts it in the context; authentication, writeError
// and the upload handler fill it, all in the request's goroutine. Nothing on
// the request path formats, redacts or explains: that is the inspector's
// background work.
type record struct {
	start     time.Time
	end       time.Time
	at        time.Time // platform clock
	method    string
	route     string
	requestID string
	status    int
	errcode   int
	errmsg    string
	errmsgCN  string
	errParam  string // the parameter path the error names
	accountID int64
	appID     string
	actions   int // actions in an upload body
	query     string
	body      []byte // as read, capped at the body limit
	upload    *uploadNote
	skip      bool  // the inspector's own reads are not recorded
	internal  bool  // answered -1 for an unexpected error (metrics)
	queued    int64 // bytes counted against the inspector's memory bound
}

type recordKey struct{}

// recordFrom returns the request's record; nil outside logRequests, and
// every method below accepts a nil record.
func recordFrom(ctx context.Context) *record {
	r, _ := ctx.Value(recordKey{}).(*record)
	return r
}

// fail notes the errcode and errmsg the response carries (writeError).
func (rec *record) fail(e *wxads.Error, en, cn string) {
	if rec != nil {
		rec.errcode, rec.errParam, rec.errmsg, rec.errmsgCN = e.Code, e.Param, en, cn
		rec.internal = e.Cause != nil
	}
}

// setCaller attributes the request to an app and its advertiser once the
// access token is known to be theirs.
func (rec *record) setCaller(appid string, account int64) {
	if rec != nil {
		rec.appID, rec.accountID = appid, account
	}
}

// uploadNote is what user_actions/add decided, for the action verdicts.
// kept shares its array with the slice given to Ingest, which marks each
// action identified, attributed or duplicate in place; the inspector reads
// it only after the handler returned, and only when the response was a
// success (so Ingest had returned).
type uploadNote struct {
	indexes []int // body index of each decoded action
	failed  []ingest.IndexError
	kept    []wxads.Action
	dryRun  bool
}

// noteBody keeps the upload handler's own copy of the body by reference
// (it is never modified after it is read): the upload route is not teed.
func noteBody(r *http.Request, body []byte) {
	if rec := recordFrom(r.Context()); rec != nil {
		rec.body = body
	}
}

// noteUpload records an upload's decoded batch for the inspector.
func noteUpload(r *http.Request, batch ingest.Batch, failed []ingest.IndexError, kept []wxads.Action, dryRun bool) {
	rec := recordFrom(r.Context())
	if rec == nil {
		return
	}
	rec.actions = len(batch.Indexes) + len(batch.Errors)
	rec.upload = &uploadNote{indexes: batch.Indexes, failed: failed, kept: kept, dryRun: dryRun}
}

// inspectable routes are the ones a token or an appid ties to an advertiser.
func inspectable(path string) bool {
	return strings.HasPrefix(path, "/marketing/") || strings.HasPrefix(path, "/ext/") ||
		strings.HasPrefix(path, "/v1.1/") || strings.HasPrefix(path, "/v3.0/") || strings.HasPrefix(path, "/cgi-bin/")
}

// teeBody keeps a copy of what the handler reads, up to max bytes.
type teeBody struct {
	io.ReadCloser
	rec *record
	max int
}

func (t *teeBody) Read(p []byte) (int, error) {
	n, err := t.ReadCloser.Read(p)
	if room := t.max - len(t.rec.body); n > 0 && room > 0 {
		t.rec.body = append(t.rec.body, p[:min(n, room)]...)
	}
	return n, err
}

// tokenAppID is the appid a token request names, for its log line and to
// attribute it to the app's advertiser.
func tokenAppID(rec *record, r *http.Request) string {
	switch rec.route {
	case "/cgi-bin/token":
		return r.URL.Query().Get("appid")
	case "/cgi-bin/stable_token":
		var v struct {
			AppID string `json:"appid"`
		}
		if json.Unmarshal(rec.body, &v) == nil {
			return v.AppID
		}
	}
	return ""
}

// skipInspector keeps the inspector's own reads out of it: polling the log
// must not fill it.
func (rec *record) skipInspector() {
	if rec != nil {
		rec.skip = true
	}
}
