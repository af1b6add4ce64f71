// Package ingest decodes and validates the body of
// POST /marketing/user_actions/add into normalized wxads.Actions (SPEC §6.3).
// It is shared by the server's handler and the SDK's offline validation.
//
// The decoder is a single pass over the bytes (see docs/ingest.md for the
// measurements that chose it over encoding/json).
package ingest

import (
	"strconv"

	"github.com/wxads/wxads"
)

// Limits of a user_actions/add body.
const (
	MaxActions      = 50
	MaxURLBytes     = 2048
	MaxParamBytes   = 204800
	MaxFutureSkew   = 10         // seconds action_time may lie ahead of the platform clock
	MaxActionAge    = 30 * 86400 // seconds action_time may lie behind it
	maxCustomBytes  = 64
	maxAppIDBytes   = 64
	maxOpenIDBytes  = 128
	maxClickBytes   = 64
	maxOuterIDLen   = 255
	maxKeyBytes     = 64
	maxChannelBytes = 64
)

// Batch is a decoded body. Actions and Indexes are parallel: Indexes[k] is
// the position of Actions[k] in the request's actions array, so a handler
// can pass Actions to the store as they are and still report by index.
type Batch struct {
	Actions []wxads.Action
	Indexes []int
	Errors  []IndexError // one per invalid action, lowest index first
	// Kinds[k] are the user ids Actions[k] carried; V3 shape only.
	Kinds []IDKinds
}

// IndexError is the first problem found in the action at Index.
type IndexError struct {
	Index int
	Err   *wxads.Error // Param is the full path, e.g. "actions[3].url"
}

func (e IndexError) Error() string { return e.Err.Error() }

// Decode parses and validates a whole user_actions/add body. now is the
// platform clock (Unix seconds) used for the action_time default and bounds.
// A problem with the body as a whole is returned as a *wxads.Error; problems
// of single actions are in Batch.Errors.
func Decode(body []byte, now int64) (Batch, error) {
	// One copy of the body backs every string field that has no escapes.
	return DecodeShape(body, now, WeChat)
}

// decoder holds the state of one Decode call.
type decoder struct {
	s      scanner
	action actionDecoder
}

// actionsState is what the body's actions member turned out to be.
type actionsState int

const (
	actionsMissing actionsState = iota
	actionsNotArray
	actionsArray
)

func (d *decoder) body() (Batch, *wxads.Error) {
	s := &d.s
	var (
		b     Batch
		state actionsState
		count int
	)
	if s.peek() != '{' {
		return b, wxads.Errorf(wxads.CodeBadJSON, "")
	}
	s.pos++
	for first := true; ; first = false {
		key, ok := s.member(first)
		if !ok {
			break
		}
		if string(key) != "actions" {
			s.skip()
			continue
		}
		// A repeated member replaces the earlier one, as in encoding/json.
		b, count = Batch{}, 0
		switch s.peek() {
		case 'n':
			s.literal("null")
			state = actionsMissing
		case '[':
			state = actionsArray
			count = d.actions(&b)
		default:
			s.skip()
			state = actionsNotArray
		}
	}
	if !s.end() {
		return Batch{}, wxads.Errorf(wxads.CodeBadJSON, "")
	}
	switch {
	case state == actionsMissing:
		return Batch{}, wxads.Errorf(wxads.CodeRequired, "actions")
	case state == actionsNotArray:
		return Batch{}, wxads.Errorf(wxads.CodeWrongType, "actions", "array")
	case count == 0:
		return Batch{}, wxads.Errorf(wxads.CodeTooFew, "actions", "1")
	case count > MaxActions:
		return Batch{}, wxads.Errorf(wxads.CodeTooMany, "actions", strconv.Itoa(MaxActions))
	}
	return b, nil
}

// actions reads the array at the scanner's '[' into b and returns its length.
// Elements past MaxActions are only checked for syntax: the batch fails anyway.
func (d *decoder) actions(b *Batch) int {
	s := &d.s
	s.pos++
	n := 0
	c := min(len(s.data)/256+1, MaxActions) // a typical action is 300–500 bytes
	b.Actions = make([]wxads.Action, 0, c)
	b.Indexes = make([]int, 0, c)
	d.action.out = make([]byte, 0, len(s.data)/2) // action_params are a good part of the body
	for first := true; s.element(first); first = false {
		if n >= MaxActions {
			s.skip()
			n++
			continue
		}
		b.Actions = append(b.Actions, wxads.Action{})
		d.action.a = &b.Actions[len(b.Actions)-1] // decoded in place, not copied
		if err := d.action.decode(n); err != nil {
			b.Errors = append(b.Errors, IndexError{Index: n, Err: err})
			b.Actions = b.Actions[:len(b.Actions)-1]
		} else {
			b.Indexes = append(b.Indexes, n)
			if d.action.shape.v3 {
				b.Kinds = append(b.Kinds, d.action.kinds)
			}
		}
		n++
	}
	return n
}
