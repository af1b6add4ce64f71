package ingest

// maxDepth bounds nesting while skipping values, as encoding/json does, so
// that a hostile body cannot grow the stack without limit.
const maxDepth = 10000

// scanner is a single-pass JSON reader over a byte slice. A syntax error is
// sticky: bad is set, the position jumps to the end and every later read
// returns a zero value, so callers check bad once where it matters.
type scanner struct {
	data  []byte
	pos   int
	bad   bool
	depth int
	buf   []byte // scratch for strings with escapes
	// text is data as a string, or "": strings that decode to their raw
	// text are cut from it rather than allocated one by one.
	text string
	// keyChanged tells whether the last key member read changed in
	// decoding (see str).
	keyChanged bool
}

// fail records a syntax error and ends the scan.
func (s *scanner) fail() {
	s.bad = true
	s.pos = len(s.data)
}

// peek skips whitespace and returns the next byte without consuming it,
// or 0 at the end of input.
func (s *scanner) peek() byte {
	if s.pos < len(s.data) && s.data[s.pos] > ' ' { // JSON whitespace is all below '!'
		return s.data[s.pos]
	}
	for s.pos < len(s.data) {
		switch c := s.data[s.pos]; c {
		case ' ', '\t', '\n', '\r':
			s.pos++
		default:
			return c
		}
	}
	return 0
}

// end reports whether only whitespace is left; anything else is a syntax error.
func (s *scanner) end() bool {
	if s.peek(); s.pos < len(s.data) { // a NUL byte peeks as 0 too
		s.fail()
	}
	return !s.bad
}

// member reads the key and colon of the next member of the object whose
// '{' was consumed. first tells whether no member was read yet. It returns
// false after consuming the closing '}' or on a syntax error. The key may
// alias scratch space: use it before the next read.
func (s *scanner) member(first bool) (key []byte, ok bool) {
	c := s.peek()
	if c == '}' {
		s.pos++
		return nil, false
	}
	if !first {
		if c != ',' {
			s.fail()
			return nil, false
		}
		s.pos++
		c = s.peek()
	}
	if c != '"' {
		s.fail()
		return nil, false
	}
	key, s.keyChanged = s.str()
	if s.peek() != ':' {
		s.fail()
		return nil, false
	}
	s.pos++
	return key, !s.bad
}

// element prepares the next element of the array whose '[' was consumed. It
// returns false after consuming the closing ']' or on a syntax error.
func (s *scanner) element(first bool) bool {
	c := s.peek()
	if c == ']' {
		s.pos++
		return false
	}
	if !first {
		if c != ',' {
			s.fail()
			return false
		}
		s.pos++
		s.peek()
	}
	return !s.bad
}

// number reads the number at the current position and returns its text and
// whether it is an integer (no fraction, no exponent).
func (s *scanner) number() (text []byte, isInt bool) {
	d, i := s.data, s.pos
	start := i
	if i < len(d) && d[i] == '-' {
		i++
	}
	switch {
	case i < len(d) && d[i] == '0':
		i++
	case i < len(d) && '1' <= d[i] && d[i] <= '9':
		i = digits(d, i)
	default:
		s.fail()
		return nil, false
	}
	isInt = true
	if i < len(d) && d[i] == '.' {
		isInt = false
		if i = digits(d, i+1); d[i-1] == '.' {
			s.fail()
			return nil, false
		}
	}
	if i < len(d) && (d[i] == 'e' || d[i] == 'E') {
		isInt = false
		i++
		if i < len(d) && (d[i] == '+' || d[i] == '-') {
			i++
		}
		j := digits(d, i)
		if j == i {
			s.fail()
			return nil, false
		}
		i = j
	}
	s.pos = i
	return d[start:i], isInt
}

// digits returns the index of the first non-digit at or after i.
func digits(d []byte, i int) int {
	for i < len(d) && '0' <= d[i] && d[i] <= '9' {
		i++
	}
	return i
}

// literal consumes the literal word (true, false or null) the current
// position must hold.
func (s *scanner) literal(word string) {
	if len(s.data)-s.pos < len(word) || string(s.data[s.pos:s.pos+len(word)]) != word {
		s.fail()
		return
	}
	s.pos += len(word)
}

// skip consumes one value of any kind, checking its syntax.
func (s *scanner) skip() {
	switch c := s.peek(); c {
	case '{', '[':
		if s.depth++; s.depth > maxDepth {
			s.fail()
			return
		}
		s.pos++
		if c == '{' {
			for first := true; ; first = false {
				if _, ok := s.member(first); !ok {
					break
				}
				s.skip()
			}
		} else {
			for first := true; s.element(first); first = false {
				s.skip()
			}
		}
		s.depth--
	case '"':
		s.str()
	case 't':
		s.literal("true")
	case 'f':
		s.literal("false")
	case 'n':
		s.literal("null")
	default:
		s.number()
	}
}
