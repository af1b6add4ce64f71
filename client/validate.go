package client

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/wxads/wxads"
	"github.com/wxads/wxads/errcode"
	"github.com/wxads/wxads/ingest"
)

// MaxBatch is the most actions one user_actions/add request may carry.
const MaxBatch = ingest.MaxActions

// OuterActionID derives a dedup key from everything the action says except
// its outer_action_id: the hex SHA-256 of its JSON encoding (members in a
// fixed order, action_param keys sorted), 64 characters of [0-9a-f]. The
// same action sent twice gets the same key, so the platform counts it once;
// two real conversions that differ in nothing (no action_time, same user,
// same value) also get the same key — give them an action_time or your own
// outer_action_id.
func OuterActionID(a UserAction) string {
	a.OuterActionID = ""
	return contentKey(a)
}

// contentKey is the hex SHA-256 of v's JSON encoding: the dedup key of an
// action with its outer_action_id cleared, on either API (V3OuterActionID).
func contentKey(v any) string {
	b, err := json.Marshal(v) // encoding/json sorts map keys: canonical
	if err != nil {
		// Unencodable action_param (a channel, NaN): the server would refuse
		// it too; key on its text so the function stays total.
		b = fmt.Appendf(nil, "%#v", v)
	}
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

// ValidationError lists refused actions: found offline by the platform's own
// rules (package ingest) before anything was sent, or refused one by one by
// the platform (only what the server alone can judge, e.g. 31011 for a set
// that is not yours). Indexes are into the caller's slice; -1 is the batch
// as a whole. It unwraps to the first failure's *APIError.
type ValidationError struct {
	Failed  []Failure
	Offline bool // true: found before sending, nothing was sent
}

func (e *ValidationError) Error() string {
	if len(e.Failed) == 0 {
		return "wxads: invalid actions"
	}
	s := "wxads: the platform refused actions[" + strconv.Itoa(e.Failed[0].Index) + "]: " + e.Failed[0].Err.Error()
	if e.Offline {
		s = "wxads: nothing sent: " + e.Failed[0].Err.Error()
	}
	if n := len(e.Failed) - 1; n > 0 {
		s += fmt.Sprintf(" (and %d more invalid action(s))", n)
	}
	return s
}

func (e *ValidationError) Unwrap() error {
	if len(e.Failed) == 0 {
		return nil
	}
	return e.Failed[0].Err
}

// Validate checks actions offline with the server's own decoder: the same
// codes and parameter paths as the platform, with indexes into actions.
// It cannot know what only the server knows (whether a set id is yours).
// action_time bounds are checked against the local clock.
func Validate(actions []UserAction) error {
	return validateAt(actions, time.Now())
}

func validateAt(actions []UserAction, now time.Time) error {
	chunks, err := split(actions)
	if err != nil {
		return err
	}
	return validateChunks(chunks, now)
}

// maxBody keeps a request under the platform's 1 MiB body limit (45002).
const maxBody = 1<<20 - 1024

// chunk is one request's worth of actions: actions[start:start+n] as body.
type chunk struct {
	start, n int
	body     []byte
}

// split encodes actions into request bodies of at most MaxBatch actions and
// maxBody bytes, in order.
func split(actions []UserAction) ([]chunk, error) {
	return splitBodies(`{"actions":[`, len(actions), func(i int) ([]byte, error) { return json.Marshal(actions[i]) })
}

// splitBodies is split for n actions encoded by enc, each body starting
// with head (the members before the actions array, and its opening).
func splitBodies(head string, n int, enc func(i int) ([]byte, error)) ([]chunk, error) {
	var chunks []chunk
	cur := chunk{body: []byte(head)}
	for i := range n {
		b, err := enc(i)
		if err != nil {
			return nil, fmt.Errorf("wxads: encoding actions[%d]: %w", i, err)
		}
		if cur.n == MaxBatch || (cur.n > 0 && len(cur.body)+len(b)+2 > maxBody) {
			chunks = append(chunks, cur.close())
			cur = chunk{start: i, body: []byte(head)}
		}
		if cur.n > 0 {
			cur.body = append(cur.body, ',')
		}
		cur.body = append(cur.body, b...)
		cur.n++
	}
	if cur.n > 0 || len(chunks) == 0 {
		chunks = append(chunks, cur.close())
	}
	return chunks, nil
}

func (c chunk) close() chunk {
	c.body = append(c.body, "]}"...)
	return c
}

// validateChunks runs the platform's decoder over every body to be sent.
func validateChunks(chunks []chunk, now time.Time) error {
	return validateShape(chunks, now, ingest.WeChat)
}

// validateShape is validateChunks for the API shape sh (ingest.V3 for
// /v3.0/user_actions/add).
func validateShape(chunks []chunk, now time.Time, sh *ingest.Shape) error {
	var failed []Failure
	for _, c := range chunks {
		batch, err := ingest.DecodeShape(c.body, now.Unix(), sh)
		if err != nil {
			var de *wxads.Error
			if !errors.As(err, &de) {
				return err
			}
			failed = append(failed, Failure{Index: -1, Err: fromDomain(de, c.start)})
			continue
		}
		for _, ie := range batch.Errors {
			failed = append(failed, Failure{Index: c.start + ie.Index, Err: fromDomain(ie.Err, c.start)})
		}
	}
	if len(failed) > 0 {
		return &ValidationError{Failed: failed, Offline: true}
	}
	return nil
}

// fromDomain renders an ingest error as the platform would send it, with
// the action index shifted by offset.
func fromDomain(e *wxads.Error, offset int) *APIError {
	args := e.Args()
	if len(args) > 0 {
		args[0] = reindex(args[0], offset)
	}
	en, cn := errcode.Format(e.Code, args...)
	if e.Message != "" {
		en = e.Message
	}
	if e.MessageCN != "" {
		cn = e.MessageCN
	}
	return &APIError{Code: e.Code, Message: en, MessageCN: cn, Param: reindex(e.Param, offset), Route: "offline validation"}
}

// fillOuterIDs returns a copy of actions with every empty OuterActionID
// filled; the caller's slice is not modified.
func fillOuterIDs(actions []UserAction) []UserAction {
	out := make([]UserAction, len(actions))
	for i, a := range actions {
		if a.OuterActionID == "" {
			a.OuterActionID = OuterActionID(a)
		}
		out[i] = a
	}
	return out
}
