package ingest

import (
	"math"
	"strconv"

	"github.com/wxads/wxads"
)

// Kinds of action_param values.
const (
	kindNone = iota
	kindString
	kindBool
	kindNumber
)

// paramValue reads the value of an ordinary action_param key: a scalar or a
// homogeneous array of scalars. The error's Param is relative to the key.
func (d *actionDecoder) paramValue() *wxads.Error {
	s := d.s
	switch s.peek() {
	case '[':
		return d.array()
	case '{', 'n':
		s.skip()
		return errParamType("")
	}
	var code int
	var bound string
	d.out, code, bound = scalar(d.out, s, false)
	if code != 0 {
		return wxads.Errorf(code, "", bound)
	}
	return nil
}

// errParamType is 18002 for a value action_param cannot hold.
func errParamType(sub string) *wxads.Error {
	return wxads.Errorf(wxads.CodeWrongType, sub, "an integer, double, boolean or string, or an array of one of them")
}

// array reads an array value in two passes: the first checks that the
// elements are scalars of one kind and whether numbers are all integers, the
// second writes them normalized, as doubles when any number is not an
// integer. An empty array is allowed.
func (d *actionDecoder) array() *wxads.Error {
	s := d.s
	start := s.pos
	s.pos++
	kind, ints, n := kindNone, true, 0
	var err *wxads.Error
	for first := true; s.element(first); first = false {
		k := kindNone
		switch c := s.peek(); c {
		case '"':
			k = kindString
			s.str()
		case 't', 'f':
			k = kindBool
			s.skip()
		case '{', '[', 'n':
			s.skip()
		default:
			k = kindNumber
			if _, isInt := s.number(); !isInt {
				ints = false
			}
		}
		switch {
		case err != nil:
		case k == kindNone:
			err = errParamType("[" + strconv.Itoa(n) + "]")
		case kind != kindNone && k != kind:
			err = wxads.Errorf(wxads.CodeWrongType, "", "an array of one type")
		}
		kind = k
		n++
	}
	if err != nil || s.bad {
		return err
	}
	sub := scanner{data: s.data[:s.pos], pos: start + 1, buf: s.buf}
	d.out = append(d.out, '[')
	for i := 0; sub.element(i == 0); i++ {
		if i > 0 {
			d.out = append(d.out, ',')
		}
		var code int
		var bound string
		if d.out, code, bound = scalar(d.out, &sub, !ints); code != 0 {
			return wxads.Errorf(code, "["+strconv.Itoa(i)+"]", bound)
		}
	}
	s.buf = sub.buf
	d.out = append(d.out, ']')
	return nil
}

// scalar appends the normalized string, boolean or number at s's position.
// A number is an int64 unless it has a fraction or exponent or double is
// set. code and bound report a number out of range.
func scalar(out []byte, s *scanner, double bool) ([]byte, int, string) {
	switch s.peek() {
	case '"':
		b, changed := s.str()
		return appendString(out, b, changed), 0, ""
	case 't':
		s.literal("true")
		return append(out, "true"...), 0, ""
	case 'f':
		s.literal("false")
		return append(out, "false"...), 0, ""
	}
	text, isInt := s.number()
	if isInt && !double {
		n, code := parseInt(text)
		switch code {
		case wxads.CodeTooBig:
			return out, code, wxads.LessThan(math.MaxInt64)
		case wxads.CodeTooSmall:
			return out, code, wxads.GreaterThan(math.MinInt64)
		}
		return strconv.AppendInt(out, n, 10), 0, ""
	}
	out, code := appendDouble(out, text)
	if code != 0 {
		return out, code, maxDouble // |x| ≤ 1e11: 18003 either side of zero
	}
	return out, 0, ""
}
