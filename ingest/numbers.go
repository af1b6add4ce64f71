package ingest

import "github.com/wxads/wxads"

// maxDouble is the largest magnitude a double in action_param may have (1e11).
const maxDouble = "100000000000"

// parseInt converts the text of a JSON integer to int64. code is 0, or
// CodeTooBig / CodeTooSmall when the value is beyond int64.
func parseInt(text []byte) (n int64, code int) {
	neg := len(text) > 0 && text[0] == '-'
	if neg {
		text = text[1:]
	}
	limit := uint64(1<<63 - 1)
	if neg {
		limit++
	}
	var u uint64
	for _, c := range text {
		d := uint64(c - '0')
		if u > (limit-d)/10 {
			if neg {
				return 0, wxads.CodeTooSmall
			}
			return 0, wxads.CodeTooBig
		}
		u = u*10 + d
	}
	if neg {
		return -int64(u-1) - 1, 0 // no overflow at -1<<63
	}
	return int64(u), 0
}

// decimal is the text of a JSON number split into its parts: the value is
// 0.D × 10^point, where D is intPart followed by frac.
type decimal struct {
	neg           bool
	intPart, frac []byte
	point         int
}

func splitNumber(text []byte) decimal {
	var d decimal
	if len(text) > 0 && text[0] == '-' {
		d.neg, text = true, text[1:]
	}
	i := digits(text, 0)
	d.intPart = text[:i]
	if i < len(text) && text[i] == '.' {
		j := digits(text, i+1)
		d.frac, i = text[i+1:j], j
	}
	exp := 0
	if i < len(text) { // 'e' or 'E'
		i++
		eneg := text[i] == '-'
		if text[i] == '+' || text[i] == '-' {
			i++
		}
		for _, c := range text[i:] {
			if exp < 1e9 { // saturate: beyond this every nonzero value is out of range
				exp = exp*10 + int(c-'0')
			}
		}
		if eneg {
			exp = -exp
		}
	}
	d.point = len(d.intPart) + exp
	return d
}

// digit returns digit k of D, '0' beyond either end.
func (d *decimal) digit(k int) byte {
	switch {
	case k < 0:
		return '0'
	case k < len(d.intPart):
		return d.intPart[k]
	case k-len(d.intPart) < len(d.frac):
		return d.frac[k-len(d.intPart)]
	}
	return '0'
}

// appendDouble appends the normalized text of a JSON number taken as a
// double: truncated toward zero to 3 decimals on the decimal text itself,
// trailing fraction zeros dropped but one digit kept so that it stays a
// double, no sign on zero. code is CodeTooBig when |x| > 1e11, whatever the sign.
func appendDouble(dst, text []byte) (out []byte, code int) {
	d := splitNumber(text)
	n := len(d.intPart) + len(d.frac)
	lz := 0
	for lz < n && d.digit(lz) == '0' {
		lz++
	}
	if lz == n {
		return append(dst, "0.0"...), 0
	}
	if width := d.point - lz; width > len(maxDouble) || width == len(maxDouble) && !d.isPowerOfTen(lz) {
		return dst, wxads.CodeTooBig // the rule is on the magnitude: |x| ≤ 1e11 (SPEC §6.3)
	}
	start := len(dst)
	if d.neg {
		dst = append(dst, '-')
	}
	zero := true
	if d.point <= lz {
		dst = append(dst, '0')
	}
	for k := lz; k < d.point; k++ {
		dst = append(dst, d.digit(k))
		zero = false
	}
	dst = append(dst, '.')
	last := len(dst) + 1 // keep at least one fraction digit
	for k := d.point; k < d.point+3; k++ {
		c := d.digit(k)
		dst = append(dst, c)
		if c != '0' {
			zero, last = false, len(dst)
		}
	}
	if zero {
		return append(dst[:start], "0.0"...), 0
	}
	return dst[:last], 0
}

// isPowerOfTen reports whether D, from its first significant digit lz, is a
// 1 followed only by zeros.
func (d *decimal) isPowerOfTen(lz int) bool {
	if d.digit(lz) != '1' {
		return false
	}
	for k := lz + 1; k < len(d.intPart)+len(d.frac); k++ {
		if d.digit(k) != '0' {
			return false
		}
	}
	return true
}
