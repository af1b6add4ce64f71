package ingest

import (
	"strconv"

	"github.com/wxads/wxads"
)

// field names the members of an action that carry a rule, in the order in
// which their errors are reported: an action's first error is the first
// field of this list that has one, whatever order the members were sent in.
type field uint8

const (
	fSetID field = iota
	fURL
	fTime
	fType
	fCustom
	fUserID
	fAppID
	fOpenID
	fUserKind // a v3.0 user_id member; its path names the member
	fTrace
	fClickID
	fOuterID
	fParam
	fProduct // v3.0 product_inform
	fChannel // v3.0 channel
	numFields
)

var fieldPaths = [numFields]string{
	"user_action_set_id", "url", "action_time", "action_type", "custom_action",
	"user_id", "user_id.wechat_app_id", "user_id.wechat_openid", "user_id",
	"trace", "trace.click_id", "outer_action_id", "action_param", "product_inform", "channel",
}

// required marks the fields an action must have; custom_action is required
// only for CUSTOM actions and is checked apart.
var required = [numFields]bool{
	fSetID: true, fURL: true, fType: true, fUserID: true,
	fAppID: true, fOpenID: true, fParam: true,
}

var actionTypes = []string{
	wxads.ActionCompleteOrder, wxads.ActionReservation, wxads.ActionRegister, wxads.ActionCustom,
}

// actionDecoder validates one action object at a time; its buffers are
// reused across the actions of a batch.
type actionDecoder struct {
	s     *scanner
	now   int64
	shape *Shape
	kinds IDKinds       // v3.0 user ids seen
	a     *wxads.Action // where decode writes, an element of the batch
	seen  [numFields]bool
	// errs holds each field's problem with Param relative to "actions[i].".
	errs [numFields]*wxads.Error
	out  []byte // arena the normalized action_params are appended to
	keys []span // action_param keys as written to out, for duplicate checks
	// keyBits is a Bloom filter of keys: see duplicate.
	keyBits uint64
}

// decode reads the action at the scanner's position into *d.a; index is
// its place in the actions array. It returns the action's first error or nil.
func (d *actionDecoder) decode(index int) *wxads.Error {
	s := d.s
	d.reset()
	if s.peek() != '{' {
		s.skip()
		return wxads.Errorf(wxads.CodeWrongType, "actions["+strconv.Itoa(index)+"]", "object")
	}
	s.pos++
	for first := true; ; first = false {
		key, ok := s.member(first)
		if !ok {
			break
		}
		d.member(key)
	}
	return d.finish(index)
}

// reset prepares for the next action; d.a must point to a zero Action.
func (d *actionDecoder) reset() {
	d.a.ActionTime = d.now
	d.seen = [numFields]bool{}
	d.errs = [numFields]*wxads.Error{}
	d.kinds = 0
}

// member reads the value of the action's member key.
func (d *actionDecoder) member(key []byte) {
	switch string(key) {
	case "user_action_set_id":
		if d.shape.v3 {
			d.s.skip() // the body's top-level one applies
			return
		}
		d.setID()
	case "url":
		d.url()
	case "action_time":
		d.actionTime()
	case "action_type":
		d.actionType()
	case "custom_action":
		d.customAction()
	case "user_id":
		d.object(fUserID, fAppID, fOpenID)
	case "trace":
		d.object(fTrace, fClickID, fClickID)
	case "outer_action_id":
		d.outerActionID()
	case "action_param":
		d.actionParam()
	case "product_inform":
		if d.shape.v3 {
			d.productInform()
			return
		}
		d.s.skip()
	case "channel":
		if d.shape.v3 {
			d.a.Channel, _ = d.bounded(fChannel, maxChannelBytes)
			return
		}
		d.s.skip()
	default:
		d.s.skip()
	}
}

// finish returns the action's first error, its path made absolute.
func (d *actionDecoder) finish(index int) *wxads.Error {
	err := d.firstError()
	if err == nil && d.shape.v3 {
		err = d.v3Finish()
	}
	if err != nil {
		err.Param = "actions[" + strconv.Itoa(index) + "]." + err.Param
	}
	return err
}

func (d *actionDecoder) firstError() *wxads.Error {
	custom := d.a.ActionType == wxads.ActionCustom
	if !custom {
		d.a.CustomAction = ""
	}
	for f := range numFields {
		if f == fCustom && !custom {
			continue
		}
		if d.errs[f] != nil {
			return d.errs[f]
		}
		if !d.seen[f] && (d.shape.required[f] || f == fCustom) {
			return wxads.Errorf(wxads.CodeRequired, fieldPaths[f])
		}
	}
	return nil
}

// set records the outcome of reading field f: present, with err or not.
func (d *actionDecoder) set(f field, err *wxads.Error) {
	d.seen[f], d.errs[f] = true, err
}

// clear forgets an earlier occurrence of f: a repeated member replaces it.
func (d *actionDecoder) clear(f field) {
	d.seen[f], d.errs[f] = false, nil
}

func (d *actionDecoder) fail(f field, code int, values ...string) {
	d.set(f, wxads.Errorf(code, fieldPaths[f], values...))
}

// text reads a string member. null counts as absent; another kind records
// 18002. ok tells whether a string was read.
func (d *actionDecoder) text(f field) (v string, ok bool) {
	d.clear(f)
	switch d.s.peek() {
	case '"':
		v = d.s.strText()
		d.set(f, nil)
		return v, true
	case 'n':
		d.s.literal("null")
	default:
		d.s.skip()
		d.fail(f, wxads.CodeWrongType, "string")
	}
	return "", false
}

// bounded reads a required free-form string of 1–max bytes: "" is 31001.
func (d *actionDecoder) bounded(f field, max int) (string, bool) {
	v, ok := d.text(f)
	switch {
	case !ok:
		return "", false
	case len(v) == 0:
		d.fail(f, wxads.CodeEmptyString)
		return "", false
	case len(v) > max:
		d.fail(f, wxads.CodeTooLong)
		return "", false
	}
	return v, true
}
