package ingest

import "unicode/utf8"

// str reads the string at the current position (a '"'). It returns the
// decoded bytes and whether they differ from the raw text (escapes or
// invalid UTF-8, which becomes U+FFFD as in encoding/json).
func (s *scanner) str() (val []byte, changed bool) {
	start := s.pos + 1
	ascii := true
	for i := start; i < len(s.data); i++ {
		switch c := s.data[i]; {
		case c == '"':
			s.pos = i + 1
			raw := s.data[start:i]
			if ascii || utf8.Valid(raw) {
				return raw, false
			}
			return s.unescape(start), true
		case c == '\\':
			return s.unescape(start), true
		case c < 0x20:
			s.fail()
			return nil, false
		case c >= utf8.RuneSelf:
			ascii = false
		}
	}
	s.fail()
	return nil, false
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
