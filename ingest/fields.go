package ingest

import (
	"github.com/wxads/wxads"
)

func (d *actionDecoder) setID() {
	d.clear(fSetID)
	s := d.s
	var n int64
	switch c := s.peek(); {
	case c == '"':
		b, _ := s.str()
		if len(b) == 0 {
			d.fail(fSetID, wxads.CodeEmptyString)
			return
		}
		if digits(b, 0) != len(b) {
			d.fail(fSetID, wxads.CodeBadFormat)
			return
		}
		n, _ = parseInt(b)
	case c == 'n':
		s.literal("null")
		return
	case c == '-' || '0' <= c && c <= '9':
		text, isInt := s.number()
		if !isInt {
			d.fail(fSetID, wxads.CodeWrongType, "integer")
			return
		}
		n, _ = parseInt(text)
	default:
		s.skip()
		d.fail(fSetID, wxads.CodeWrongType, "integer")
		return
	}
	if n <= 0 { // also an id beyond int64, which parseInt leaves 0
		d.fail(fSetID, wxads.CodeBadFormat)
		return
	}
	d.a.SetID = n
	d.set(fSetID, nil)
}

func (d *actionDecoder) actionTime() {
	d.clear(fTime)
	s := d.s
	if c := s.peek(); c == 'n' {
		s.literal("null")
		d.a.ActionTime = d.now
		return
	} else if c != '-' && (c < '0' || c > '9') {
		s.skip()
		d.fail(fTime, wxads.CodeWrongType, "integer")
		return
	}
	text, isInt := s.number()
	if !isInt {
		d.fail(fTime, wxads.CodeWrongType, "integer")
		return
	}
	t, code := parseInt(text)
	switch latest, earliest := d.now+MaxFutureSkew, d.now-MaxActionAge; {
	case code == wxads.CodeTooBig || code == 0 && t > latest:
		d.fail(fTime, wxads.CodeTooBig, wxads.LessThan(latest))
	case code == wxads.CodeTooSmall || t < earliest:
		d.fail(fTime, wxads.CodeTooSmall, wxads.GreaterThan(earliest))
	default:
		d.a.ActionTime = t
		d.set(fTime, nil)
	}
}

// actionType reads the enum; any other value, of any kind, is 18009.
func (d *actionDecoder) actionType() {
	d.clear(fType)
	d.a.ActionType = ""
	s := d.s
	switch s.peek() {
	case 'n':
		s.literal("null")
		return
	case '"':
		b, _ := s.str()
		for _, t := range d.shape.actionTypes {
			if string(b) == t {
				d.a.ActionType = t
				d.set(fType, nil)
				return
			}
		}
	default:
		s.skip()
	}
	d.fail(fType, wxads.CodeNotInEnum, d.shape.typeHint)
}

// customAction is read whatever action_type says; decode drops it unless
// the action is CUSTOM.
func (d *actionDecoder) customAction() {
	d.a.CustomAction, _ = d.bounded(fCustom, d.shape.maxCustom)
}

// object reads user_id or trace: f is the object, a and b its two members
// (wechat_app_id and wechat_openid, or click_id twice). Other members are
// ignored.
func (d *actionDecoder) object(f, a, b field) {
	d.clear(f)
	d.clear(a)
	d.clear(b)
	if f == fUserID {
		d.clear(fUserKind)
		d.kinds = 0
		d.a.UserIDs = nil
	}
	if f == fTrace {
		d.a.ClickID = ""
	}
	s := d.s
	if !d.open(f) {
		return
	}
	s.pos++
	d.set(f, nil)
	for first := true; ; first = false {
		key, ok := s.member(first)
		if !ok {
			return
		}
		switch {
		case f == fUserID && d.shape.v3:
			d.v3UserID(key)
		case f == fUserID && string(key) == "wechat_app_id":
			d.a.AppID, _ = d.bounded(fAppID, maxAppIDBytes)
		case f == fUserID && string(key) == "wechat_openid":
			d.a.OpenID, _ = d.bounded(fOpenID, maxOpenIDBytes)
		case f == fTrace && string(key) == "click_id":
			d.clickID()
		default:
			s.skip()
		}
	}
}

// open reports whether member f holds an object, at whose '{' it leaves
// the scanner. null counts as absent; another kind is 18002.
func (d *actionDecoder) open(f field) bool {
	switch d.s.peek() {
	case '{':
		return true
	case 'n':
		d.s.literal("null")
	default:
		d.s.skip()
		d.fail(f, wxads.CodeWrongType, "object")
	}
	return false
}

// clickID is optional: "" and null leave it unset.
func (d *actionDecoder) clickID() {
	v, ok := d.text(fClickID)
	switch {
	case !ok:
	case len(v) > maxClickBytes:
		d.fail(fClickID, wxads.CodeTooLong)
	default:
		d.a.ClickID = v
	}
}

// outerActionID is optional, but when sent it must be 1–255 characters of
// [A-Za-z0-9_]; "" is 18008 (too short), not absence.
func (d *actionDecoder) outerActionID() {
	d.a.OuterActionID = ""
	v, ok := d.text(fOuterID)
	switch {
	case !ok:
		return
	case len(v) == 0:
		d.fail(fOuterID, wxads.CodeTooShort)
		return
	case len(v) > maxOuterIDLen:
		d.fail(fOuterID, wxads.CodeTooLong)
		return
	}
	for _, c := range []byte(v) {
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '_') {
			d.fail(fOuterID, wxads.CodeBadChars)
			return
		}
	}
	d.a.OuterActionID = v
}
