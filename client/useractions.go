package client

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"strconv"
)

// UserActionsService uploads and lists conversions (SPEC §6.3, §7).
type UserActionsService struct{ c *Client }

// Add sends any number of actions:
//
//  1. every empty OuterActionID is filled with OuterActionID(action) (the
//     caller's slice is not modified), so sending the same actions again —
//     a retry, a resend of the same file — never counts them twice;
//  2. all of them are validated offline with the platform's own rules; if
//     any is invalid nothing is sent and the error is a *ValidationError
//     (Offline) listing each invalid action by its index in actions;
//  3. they go in order in requests of at most 50 actions (and under 1 MiB),
//     each with partial_failure=true, retried per the RetryPolicy.
//
// Actions the platform refuses one by one (what only it can judge, such as
// 31011 for a set id that is not yours) do not stop the upload: they are
// collected in the summary's Failed and returned at the end as a
// *ValidationError. A request refused as a whole (token, quota, retries
// exhausted, context) stops Add: the error is a *SendError naming the
// indexes of that request, and the summary counts what was sent before it.
func (s *UserActionsService) Add(ctx context.Context, actions ...UserAction) (*AddSummary, error) {
	chunks, err := split(fillOuterIDs(actions))
	if err != nil {
		return &AddSummary{}, err
	}
	if err := validateChunks(chunks, s.c.t.cfg.now()); err != nil {
		return &AddSummary{}, err
	}
	return sendChunks(chunks, func(body []byte) (*BatchResult, error) {
		return s.send(ctx, body, AddOptions{PartialFailure: true}, false)
	})
}

// sendChunks sends validated chunks in order with send and sums the answers
// (UserActions.Add on either API): a whole request refused stops it with a
// *SendError, actions refused one by one end it with a *ValidationError.
func sendChunks(chunks []chunk, send func(body []byte) (*BatchResult, error)) (*AddSummary, error) {
	sum := &AddSummary{}
	for _, ch := range chunks {
		res, err := send(ch.body)
		if err != nil {
			return sum, &SendError{First: ch.start, Last: ch.start + ch.n - 1, Summary: *sum, Err: err}
		}
		sum.Requests++
		sum.Accepted += res.Accepted
		sum.Duplicates += res.Duplicates
		for _, f := range res.Failed {
			f.Index += ch.start
			f.Err.Param = reindex(f.Err.Param, ch.start)
			sum.Failed = append(sum.Failed, f)
		}
	}
	if len(sum.Failed) > 0 {
		return sum, &ValidationError{Failed: sum.Failed}
	}
	return sum, nil
}

// SendError is a user_actions/add request refused as a whole, or never
// answered, in UserActions.Add. Actions before First were sent (Summary);
// actions from First on were not, or their fate is unknown after a network
// error (sending them again is safe: their outer_action_id dedups them).
type SendError struct {
	First, Last int // indexes in the caller's slice of the failed request
	Summary     AddSummary
	Err         error
}

func (e *SendError) Error() string {
	return fmt.Sprintf("wxads: request with actions[%d]–actions[%d] failed after %d request(s) (%d actions) went through: %v",
		e.First, e.Last, e.Summary.Requests, e.Summary.Accepted+e.Summary.Duplicates+len(e.Summary.Failed), e.Err)
}

func (e *SendError) Unwrap() error { return e.Err }

// AddBatch sends exactly one request of 1–50 actions as given: outer ids are
// not filled and nothing is validated offline. Without PartialFailure the
// batch is atomic and a refusal is an *APIError whose Param names the
// action (also in the result's Failed). A network failure is retried only
// when every action has an OuterActionID (else a retry could count twice).
func (s *UserActionsService) AddBatch(ctx context.Context, actions []UserAction, opts AddOptions) (*BatchResult, error) {
	body, err := json.Marshal(map[string]any{"actions": actions})
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

// finishBatch completes AddBatch's answer (either API): an atomic refusal
// names its action in Failed; an atomic success accepted all n.
func finishBatch(res *BatchResult, err error, n int, opts AddOptions) (*BatchResult, error) {
	if err != nil {
		var ae *APIError
		if errors.As(err, &ae) {
			if i, ok := actionIndex(ae.Param); ok {
				res.Failed = []Failure{{Index: i, Err: ae}}
			}
		}
		return res, err
	}
	if !opts.PartialFailure && !opts.ValidateOnly {
		res.Accepted = n
	}
	return res, nil
}

// send posts one body; the result is never nil.
func (s *UserActionsService) send(ctx context.Context, body []byte, opts AddOptions, once bool) (*BatchResult, error) {
	c := marketing("POST", "/marketing/user_actions/add", opts.query(), body)
	c.once = once
	return s.c.t.doBatch(ctx, c)
}

// query is the flags as the upload's query parameters (both APIs).
func (opts AddOptions) query() url.Values {
	q := url.Values{}
	if opts.PartialFailure {
		q.Set("partial_failure", "true")
	}
	if opts.ValidateOnly {
		q.Set("validate_only", "true")
	}
	return q
}

// doBatch runs one user_actions/add call (either API; both answer the
// same data); the result is never nil.
func (t *transport) doBatch(ctx context.Context, c *call) (*BatchResult, error) {
	var out struct {
		Accepted   int `json:"accepted"`
		Duplicates int `json:"duplicates"`
		Valid      int `json:"valid"`
		Failed     []struct {
			Index   int    `json:"index"`
			Errcode int    `json:"errcode"`
			Errmsg  string `json:"errmsg"`
		} `json:"failed"`
	}
	res := &BatchResult{}
	if err := t.do(ctx, c, &out); err != nil {
		return res, err
	}
	res.Accepted, res.Duplicates, res.Valid = out.Accepted, out.Duplicates, out.Valid
	res.RequestID = c.requestID
	for _, f := range out.Failed {
		e := newAPIError(f.Errcode, f.Errmsg, "")
		e.Route = c.path
		res.Failed = append(res.Failed, Failure{Index: f.Index, Err: e})
	}
	return res, nil
}

// List returns stored actions of a set, newest first, as normalized by the
// platform, with identification and attribution (GET /ext/v1/user_actions/get).
func (s *UserActionsService) List(ctx context.Context, setID int64, page, pageSize int) (*ActionList, error) {
	q := url.Values{}
	q.Set("user_action_set_id", strconv.FormatInt(setID, 10))
	if page != 0 {
		q.Set("page", strconv.Itoa(page))
	}
	if pageSize != 0 {
		q.Set("page_size", strconv.Itoa(pageSize))
	}
	out := new(ActionList)
	if err := s.c.t.do(ctx, marketing("GET", "/ext/v1/user_actions/get", q, nil), out); err != nil {
		return nil, err
	}
	return out, nil
}
