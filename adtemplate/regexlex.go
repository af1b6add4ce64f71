package adtemplate

import (
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"
)

// The catalog's patterns are JavaScript regular expressions without flags
// (the seed's `\u4e00` escapes and `(?!https?)` lookahead are JavaScript
// syntax). lex turns one into tokens that carry RE2 text with JavaScript's
// meaning; pattern.go assembles them and deals with what RE2 cannot express.

type tokKind uint8

const (
	tAtom    tokKind = iota // literal, escape, class or dot
	tOpen                   // "(" of any kind
	tClose                  // ")"
	tAlt                    // "|"
	tQuant                  // quantifier, possessive "+" dropped
	tBegin                  // "^"
	tBackref                // \1 or \k<name>
)

type groupKind uint8

const (
	gCapture groupKind = iota
	gNonCapture
	gAhead     // (?=
	gNotAhead  // (?!
	gBehind    // (?<=
	gNotBehind // (?<!
)

type token struct {
	kind    tokKind
	text    string // RE2 syntax
	group   groupKind
	inexact bool // the RE2 text accepts more than the JavaScript did
}

// jsSpace is the content of a class matching JavaScript's \s, which unlike
// RE2's also covers \v, no-break and ideographic spaces.
const jsSpace = `\t\n\v\f\r \x{a0}\x{1680}\x{2000}-\x{200a}\x{2028}\x{2029}\x{202f}\x{205f}\x{3000}\x{feff}`

var (
	repeatRE = regexp.MustCompile(`^\{\d+(,\d*)?\}`)
	flagsRE  = regexp.MustCompile(`^\(\?[im]*(-[im]+)?[:)]`)
)

func lex(src string) ([]token, error) {
	if !utf8.ValidString(src) {
		return nil, errors.New("pattern is not valid UTF-8")
	}
	var toks []token
	for i := 0; i < len(src); {
		c, size := utf8.DecodeRuneInString(src[i:])
		t, n := token{kind: tAtom}, size
		var err error
		switch c {
		case '\\':
			t, n, err = lexEscape(src[i:], false)
		case '[':
			t, n, err = lexClass(src[i:])
		case '(':
			t, n, err = lexGroup(src[i:])
		case ')':
			t.kind, t.text = tClose, ")"
		case '|':
			t.kind, t.text = tAlt, "|"
		case '^':
			t.kind, t.text = tBegin, "^"
		case '$':
			t.text = "$"
		case '.': // JavaScript's dot stops at every line terminator
			t.text = `[^\n\r\x{2028}\x{2029}]`
		case '*', '+', '?', '{':
			q := string(c)
			if c == '{' {
				q = repeatRE.FindString(src[i:])
			}
			if q == "" { // JavaScript reads a brace that opens no repeat as a literal
				t.text = `\{`
				break
			}
			t, n = lexQuant(src[i:], q)
		default:
			t.text = regexp.QuoteMeta(string(c))
		}
		if err != nil {
			return nil, err
		}
		toks = append(toks, t)
		i += n
	}
	return toks, nil
}

// lexQuant reads quantifier q at the start of s and a lazy or possessive
// suffix. RE2 has no possessive quantifiers: the greedy one accepts a
// superset, so the token is marked inexact.
func lexQuant(s, q string) (token, int) {
	t := token{kind: tQuant, text: q}
	n := len(q)
	if n < len(s) {
		switch s[n] {
		case '?':
			t.text += "?"
			n++
		case '+':
			t.inexact = true
			n++
		}
	}
	return t, n
}

func lexGroup(s string) (token, int, error) {
	t := token{kind: tOpen, text: "(", group: gCapture}
	switch {
	case !strings.HasPrefix(s, "(?"):
		return t, 1, nil
	case strings.HasPrefix(s, "(?:"):
		t.text, t.group = "(?:", gNonCapture
	case strings.HasPrefix(s, "(?="):
		t.group = gAhead
	case strings.HasPrefix(s, "(?!"):
		t.group = gNotAhead
	case strings.HasPrefix(s, "(?<="):
		t.group = gBehind
		return t, 4, nil
	case strings.HasPrefix(s, "(?<!"):
		t.group = gNotBehind
		return t, 4, nil
	case strings.HasPrefix(s, "(?>"): // atomic group: plain group, superset
		t.text, t.group, t.inexact = "(?:", gNonCapture, true
	case flagsRE.MatchString(s): // (?i) or (?i: — RE2 reads these as JavaScript's modifiers mean them
		f := flagsRE.FindString(s)
		if strings.HasSuffix(f, ")") {
			return token{kind: tAtom, text: f}, len(f), nil
		}
		t.text, t.group = f, gNonCapture
		return t, len(f), nil
	case strings.HasPrefix(s, "(?<"), strings.HasPrefix(s, "(?P<"):
		end := strings.IndexByte(s, '>')
		if end < 0 {
			return t, 0, errors.New("unterminated group name")
		}
		name := s[strings.IndexByte(s, '<')+1 : end]
		t.text = "(?P<" + name + ">"
		return t, end + 1, nil
	default:
		return t, 0, fmt.Errorf("unsupported group syntax %q", s[:min(len(s), 4)])
	}
	return t, 3, nil
}

// lexEscape translates the escape at the start of s; inClass selects the
// meaning inside a character class. Anything JavaScript treats as an
// identity escape becomes the literal character.
func lexEscape(s string, inClass bool) (token, int, error) {
	t := token{kind: tAtom}
	if len(s) < 2 {
		return t, 0, errors.New("trailing backslash")
	}
	c, size := utf8.DecodeRuneInString(s[1:])
	n := 1 + size
	switch {
	case strings.ContainsRune("dDwWfnrtv", c):
		t.text = `\` + string(c)
	case c == 's':
		t.text = wrapClass(jsSpace, inClass, false)
	case c == 'S' && !inClass:
		t.text = wrapClass(jsSpace, false, true)
	case c == 'S': // RE2's \S also takes the Unicode spaces JavaScript excludes
		t.text, t.inexact = `\S`, true
	case c == 'b' && inClass:
		t.text = `\x{8}`
	case (c == 'b' || c == 'B') && !inClass:
		t.text = `\` + string(c)
	case c >= '1' && c <= '9' && !inClass:
		digits := len(s[1:]) - len(strings.TrimLeft(s[1:], "0123456789"))
		t.kind, t.text, t.inexact = tBackref, `(?s:.*)`, true
		n = 1 + digits
	case c == 'k' && !inClass && strings.HasPrefix(s[2:], "<") && strings.Contains(s, ">"):
		t.kind, t.text, t.inexact = tBackref, `(?s:.*)`, true
		n = strings.IndexByte(s, '>') + 1
	case c >= '0' && c <= '7': // octal (JavaScript Annex B), \0 included
		digits := 1
		for digits < 3 && 1+digits < len(s) && s[1+digits] >= '0' && s[1+digits] <= '7' {
			digits++
		}
		v, _ := strconv.ParseUint(s[1:1+digits], 8, 32)
		for v > 0o377 { // at most \377: drop the last digit
			digits--
			v, _ = strconv.ParseUint(s[1:1+digits], 8, 32)
		}
		t.text, n = codePoint(rune(v)), 1+digits
	case c == 'c' && len(s) > 2 && isASCIILetter(s[2]):
		t.text, n = codePoint(rune(s[2]%32)), 3
	case c == 'c': // no control letter follows: a backslash and a c
		t.text = `\\c`
	case c == 'x' && isHex(s[2:], 2):
		v, _ := strconv.ParseUint(s[2:4], 16, 32)
		t.text, n = codePoint(rune(v)), 4
	case c == 'u':
		r, used := unicodeEscape(s)
		if used == 0 {
			t.text = "u"
			break
		}
		t.text, n = codePoint(r), used
	case (c == 'p' || c == 'P') && strings.HasPrefix(s[2:], "{") && strings.Contains(s, "}"):
		n = strings.IndexByte(s, '}') + 1 // RE2 judges the class name
		t.text = s[:n]
	default:
		t.text = literal(c, inClass)
	}
	return t, n, nil
}

// unicodeEscape reads \uXXXX (joining a surrogate pair) or \u{X…} at the
// start of s and returns the code point and the bytes used, 0 if none.
func unicodeEscape(s string) (rune, int) {
	if strings.HasPrefix(s, `\u{`) {
		end := strings.IndexByte(s, '}')
		if v, err := strconv.ParseUint(s[3:max(end, 3)], 16, 32); end > 3 && err == nil && v <= utf8.MaxRune {
			return rune(v), end + 1
		}
		return 0, 0
	}
	if !isHex(s[2:], 4) {
		return 0, 0
	}
	v, _ := strconv.ParseUint(s[2:6], 16, 32)
	if v >= 0xd800 && v < 0xdc00 && strings.HasPrefix(s[6:], `\u`) && isHex(s[8:], 4) {
		if lo, _ := strconv.ParseUint(s[8:12], 16, 32); lo >= 0xdc00 && lo < 0xe000 {
			return rune(0x10000 + (v-0xd800)<<10 + (lo - 0xdc00)), 12
		}
	}
	return rune(v), 6
}
