package ingest

import (
	"encoding/binary"
	"math/bits"
	"unicode/utf8"
)

// stringEnd returns the index of the first quote, backslash or control
// byte at or after i, and whether a byte before it is not ASCII. It tests
// eight bytes at a time: in each mask below, a byte's high bit is set where
// the byte is special, or above such a byte by borrow, so the lowest set
// bit is exact.
func stringEnd(d []byte, i int) (end int, nonASCII bool) {
	const ones, highs = 0x0101010101010101, 0x8080808080808080
	var seen uint64
	for ; i+8 <= len(d); i += 8 {
		w := binary.LittleEndian.Uint64(d[i:])
		q, bs := w^(ones*'"'), w^(ones*'\\')
		if m := ((w-ones*0x20)&^w | (q-ones)&^q | (bs-ones)&^bs) & highs; m != 0 {
			low := bits.TrailingZeros64(m)
			seen |= w & (1<<low - 1)
			return i + low/8, seen&highs != 0
		}
		seen |= w
	}
	for ; i < len(d); i++ {
		if c := d[i]; c < 0x20 || c == '"' || c == '\\' {
			break
		}
		seen |= uint64(d[i])
	}
	return i, seen&highs != 0
}

// str reads the string at the current position (a '"'). It returns the
// decoded bytes and whether they differ from the raw text (escapes or
// invalid UTF-8, which becomes U+FFFD as in encoding/json).
func (s *scanner) str() (val []byte, changed bool) {
	start := s.pos + 1
	i, nonASCII := stringEnd(s.data, start)
	switch {
	case i >= len(s.data) || s.data[i] < 0x20:
		s.fail()
		return nil, false
	case s.data[i] == '"':
		s.pos = i + 1
		if raw := s.data[start:i]; !nonASCII || utf8.Valid(raw) {
			return raw, false
		}
	}
	return s.unescape(start), true
}

// strText is str for a value kept as a Go string.
func (s *scanner) strText() string {
	b, changed := s.str()
	if changed || len(s.text) != len(s.data) {
		return string(b)
	}
	end := s.pos - 1 // the closing quote
	return s.text[end-len(b) : end]
}

// unescape decodes the string starting at start (after the quote) into
// s.buf, the slow path of str.
func (s *scanner) unescape(start int) []byte {
	b := s.buf[:0]
	for i := start; i < len(s.data); {
		c := s.data[i]
		switch {
		case c == '"':
			s.pos = i + 1
			s.buf = b
			return b
		case c < 0x20:
			s.fail()
			return nil
		case c == '\\':
			if i+1 >= len(s.data) {
				s.fail()
				return nil
			}
			i += 2
			switch e := s.data[i-1]; e {
			case '"', '\\', '/':
				b = append(b, e)
			case 'b':
				b = append(b, '\b')
			case 'f':
				b = append(b, '\f')
			case 'n':
				b = append(b, '\n')
			case 'r':
				b = append(b, '\r')
			case 't':
				b = append(b, '\t')
			case 'u':
				var r rune
				if r, i = s.escapedRune(i); r < 0 {
					s.fail()
					return nil
				}
				b = utf8.AppendRune(b, r)
			default:
				s.fail()
				return nil
			}
		case c < utf8.RuneSelf:
			b = append(b, c)
			i++
		default:
			r, n := utf8.DecodeRune(s.data[i:])
			b = utf8.AppendRune(b, r) // RuneError for invalid bytes
			i += n
		}
	}
	s.fail()
	return nil
}

// escapedRune decodes the four hex digits at i (after "\u"), joining a
// surrogate pair when a second escape follows; a lone surrogate is U+FFFD.
// It returns -1 on bad hex.
func (s *scanner) escapedRune(i int) (rune, int) {
	r := hex4(s.data, i)
	if r < 0 {
		return -1, i
	}
	i += 4
	if r < 0xD800 || r > 0xDFFF {
		return r, i
	}
	if r < 0xDC00 && i+1 < len(s.data) && s.data[i] == '\\' && s.data[i+1] == 'u' {
		if r2 := hex4(s.data, i+2); r2 >= 0xDC00 && r2 <= 0xDFFF {
			return 0x10000 + (r-0xD800)<<10 + (r2 - 0xDC00), i + 6
		}
	}
	return utf8.RuneError, i
}

func hex4(b []byte, i int) rune {
	if i+4 > len(b) {
		return -1
	}
	var r rune
	for _, c := range b[i : i+4] {
		switch {
		case '0' <= c && c <= '9':
			c -= '0'
		case 'a' <= c && c <= 'f':
			c -= 'a' - 10
		case 'A' <= c && c <= 'F':
			c -= 'A' - 10
		default:
			return -1
		}
		r = r<<4 | rune(c)
	}
	return r
}

// appendString appends a string str returned: as it was sent unless it
// changed in decoding, in which case it is quoted again.
func appendString(dst, s []byte, changed bool) []byte {
	if changed {
		return appendQuoted(dst, s)
	}
	dst = append(dst, '"')
	dst = append(dst, s...)
	return append(dst, '"')
}

// appendQuoted appends s (decoded, valid UTF-8) as a JSON string in the one
// form Param uses: only '"', '\\' and control characters are escaped.
func appendQuoted(dst, s []byte) []byte {
	dst = append(dst, '"')
	start := 0
	for i, c := range s {
		if c >= 0x20 && c != '"' && c != '\\' {
			continue
		}
		dst = append(dst, s[start:i]...)
		switch c {
		case '"', '\\':
			dst = append(dst, '\\', c)
		case '\n':
			dst = append(dst, '\\', 'n')
		case '\r':
			dst = append(dst, '\\', 'r')
		case '\t':
			dst = append(dst, '\\', 't')
		default:
			const hex = "0123456789abcdef"
			dst = append(dst, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xF])
		}
		start = i + 1
	}
	dst = append(dst, s[start:]...)
	return append(dst, '"')
}
