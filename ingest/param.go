package ingest

import (
	"bytes"
	"strconv"

	"github.com/wxads/wxads"
)

// span is a range of actionDecoder.out.
type span struct{ start, end int }

// manyKeys is the key count past which duplicate checks use a map rather
// than comparing with every earlier key.
const manyKeys = 16

// actionParam reads action_param, appending its normalized form to d.out
// (see docs/ingest.md): keys in the order sent, each value normalized.
// Errors, first found wins: the object over MaxParamBytes (serialized as
// normalized; as sent when it holds an error); then, key by
// key, a bad key or value; then a missing source or claim_type.
func (d *actionDecoder) actionParam() {
	d.clear(fParam)
	d.a.Param, d.a.ClaimType, d.a.Value = nil, 0, 0
	s := d.s
	if !d.open(fParam) {
		return
	}
	start, mark := s.pos, len(d.out)
	s.pos++
	d.out = append(d.out, '{')
	d.keys, d.keyBits = d.keys[:0], 0
	var (
		err               *wxads.Error
		source, claimType bool
		seen              map[string]struct{}
	)
	for first := true; ; first = false {
		key, ok := s.member(first)
		if !ok {
			break
		}
		if err != nil {
			s.skip()
			continue
		}
		if !first {
			d.out = append(d.out, ',')
		}
		k := span{start: len(d.out)}
		d.out = appendString(d.out, key, s.keyChanged)
		k.end = len(d.out)
		d.out = append(d.out, ':')
		switch {
		case len(key) == 0:
			err = wxads.Errorf(wxads.CodeTooShort, `action_param.""`)
		case len(key) > maxKeyBytes:
			err = wxads.Errorf(wxads.CodeTooLong, "action_param."+string(key[:maxKeyBytes])+"…")
		case d.duplicate(k, &seen):
			err = wxads.Errorf(wxads.CodeBadFormat, "action_param."+string(key))
		}
		if err != nil {
			s.skip()
			continue
		}
		if s.keyChanged {
			key = bytes.Clone(key) // it is in scratch space the value may reuse
		}
		switch string(key) {
		case "source":
			source = true
			err = d.source()
		case "claim_type":
			claimType = true
			err = d.claimType()
		case "value":
			err = d.value()
		default:
			err = d.paramValue()
		}
		if err != nil {
			err.Param = "action_param." + string(key) + err.Param
		}
	}
	switch {
	// The limit is on the object serialized as normalized (escapes and
	// whitespace as sent do not count); when a value is invalid, and so not
	// normalized, the size as sent still comes first.
	case err == nil && len(d.out)-mark+1 > MaxParamBytes, err != nil && s.pos-start > MaxParamBytes:
		err = wxads.Errorf(wxads.CodeTooLong, "action_param")
	case err != nil:
	case d.shape.v3: // v3.0 has no source or claim_type rule
	case !source:
		err = wxads.Errorf(wxads.CodeRequired, "action_param.source")
	case !claimType:
		err = wxads.Errorf(wxads.CodeRequired, "action_param.claim_type")
	}
	if err != nil {
		d.out = d.out[:mark]
		d.set(fParam, err)
		return
	}
	d.out = append(d.out, '}')
	d.a.Param = d.out[mark:len(d.out):len(d.out)]
	d.set(fParam, nil)
}

// duplicate reports whether key k, just written to d.out, was written
// before in this action_param. The quoted form is canonical, so comparing it
// compares the decoded keys.
func (d *actionDecoder) duplicate(k span, seen *map[string]struct{}) bool {
	key := d.out[k.start:k.end]
	if len(d.keys) < manyKeys {
		// A bit per (length, last byte) spares comparing keys that differ there.
		bit := uint64(1) << ((len(key)*7 + int(key[len(key)-2])) & 63)
		if d.keyBits&bit == 0 {
			d.keyBits |= bit
			d.keys = append(d.keys, k)
			return false
		}
		for _, p := range d.keys {
			if string(d.out[p.start:p.end]) == string(key) {
				return true
			}
		}
		d.keys = append(d.keys, k)
		return false
	}
	if *seen == nil {
		*seen = make(map[string]struct{}, 2*manyKeys)
		for _, p := range d.keys {
			(*seen)[string(d.out[p.start:p.end])] = struct{}{}
		}
	}
	if _, dup := (*seen)[string(key)]; dup {
		return true
	}
	(*seen)[string(key)] = struct{}{}
	return false
}

// source must be the string Biz or Web.
func (d *actionDecoder) source() *wxads.Error {
	s := d.s
	switch s.peek() {
	case 'n':
		s.literal("null")
		return wxads.Errorf(wxads.CodeWrongType, "", "string")
	case '"':
		if b, _ := s.str(); string(b) == "Biz" || string(b) == "Web" {
			d.out = appendQuoted(d.out, b)
			return nil
		}
	default:
		s.skip()
	}
	return wxads.Errorf(wxads.CodeNotInEnum, "", "Biz, Web")
}

// claimType must be 0 or 1, as a number or a string; it is written as a number.
func (d *actionDecoder) claimType() *wxads.Error {
	s := d.s
	var text []byte
	switch c := s.peek(); {
	case c == 'n':
		s.literal("null")
		return wxads.Errorf(wxads.CodeWrongType, "", "integer")
	case c == '"':
		text, _ = s.str()
	case c == '-' || '0' <= c && c <= '9':
		text, _ = s.number()
	default:
		s.skip()
	}
	switch string(text) {
	case "0":
		d.a.ClaimType = wxads.ClaimClick
	case "1":
		d.a.ClaimType = wxads.ClaimFollow
	default:
		return wxads.Errorf(wxads.CodeNotInEnum, "", "0, 1")
	}
	d.out = strconv.AppendInt(d.out, int64(d.a.ClaimType), 10)
	return nil
}

// MaxValue is the largest action_param.value in fen (SPEC §6.3: the
// platform's numeric limit, 1e11). It bounds every sum of values too: int64
// holds 92 million actions at the limit before saturating.
const MaxValue = 100_000_000_000

// value is the amount in fen: an integer from 0 to MaxValue.
func (d *actionDecoder) value() *wxads.Error {
	s := d.s
	c := s.peek()
	if c != '-' && (c < '0' || c > '9') {
		s.skip()
		return wxads.Errorf(wxads.CodeWrongType, "", "integer")
	}
	text, isInt := s.number()
	if !isInt {
		return wxads.Errorf(wxads.CodeWrongType, "", "integer")
	}
	n, code := parseInt(text)
	switch {
	case code == wxads.CodeTooBig, code == 0 && n > MaxValue:
		return wxads.Errorf(wxads.CodeTooBig, "", wxads.LessThan(MaxValue))
	case code != 0 || n < 0:
		return wxads.Errorf(wxads.CodeTooSmall, "", wxads.GreaterThan(0))
	}
	d.a.Value = n
	d.out = strconv.AppendInt(d.out, n, 10)
	return nil
}
