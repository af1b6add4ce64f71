package adtemplate

import (
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"
)

type classItem struct {
	text   string
	single bool // one character, so it can end a range
	hyphen bool // an unescaped "-"
}

// lexClass translates the class at the start of s. JavaScript reads "-" next
// to a class escape ([\w-.]) as a literal, and "[" inside a class as a
// literal; RE2 needs both escaped.
func lexClass(s string) (token, int, error) {
	t := token{kind: tAtom}
	i := 1
	negate := strings.HasPrefix(s[1:], "^")
	if negate {
		i++
	}
	if strings.HasPrefix(s[i:], "]") { // JavaScript: [] matches nothing, [^] anything
		t.text = `[^\x00-\x{10ffff}]`
		if negate {
			t.text = `(?s:.)`
		}
		return t, i + 1, nil
	}
	var items []classItem
	for {
		if i >= len(s) {
			return t, 0, errors.New("missing ] at the end of a character class")
		}
		c, size := utf8.DecodeRuneInString(s[i:])
		switch c {
		case ']':
			return token{kind: tAtom, text: classText(items, negate), inexact: t.inexact}, i + 1, nil
		case '\\':
			et, n, err := lexEscape(s[i:], true)
			if err != nil {
				return t, 0, err
			}
			items = append(items, classItem{text: et.text, single: !classSets[et.text] && !strings.HasPrefix(et.text, `\p`) && !strings.HasPrefix(et.text, `\P`)})
			t.inexact = t.inexact || et.inexact
			size = n
		case '-':
			items = append(items, classItem{text: `\-`, single: true, hyphen: true})
		default:
			items = append(items, classItem{text: literal(c, true), single: true})
		}
		i += size
	}
}

// classSets are the escapes that stand for more than one character.
var classSets = map[string]bool{`\d`: true, `\D`: true, `\w`: true, `\W`: true, `\S`: true, jsSpace: true}

func classText(items []classItem, negate bool) string {
	var b strings.Builder
	b.WriteByte('[')
	if negate {
		b.WriteByte('^')
	}
	for k := 0; k < len(items); {
		if k+2 < len(items) && items[k+1].hyphen && items[k].single && items[k+2].single {
			b.WriteString(items[k].text + "-" + items[k+2].text)
			k += 3
			continue
		}
		b.WriteString(items[k].text)
		k++
	}
	b.WriteByte(']')
	return b.String()
}

func codePoint(r rune) string { return fmt.Sprintf(`\x{%x}`, r) }

// literal writes c so that RE2 reads it as itself, in or out of a class.
func literal(c rune, inClass bool) string {
	switch {
	case c < utf8.RuneSelf && !isASCIILetter(byte(c)) && !(c >= '0' && c <= '9') && c > ' ':
		return `\` + string(c) // RE2 accepts any escaped ASCII punctuation
	case inClass:
		return string(c)
	}
	return regexp.QuoteMeta(string(c))
}

func wrapClass(content string, inClass, negate bool) string {
	switch {
	case inClass:
		return content
	case negate:
		return "[^" + content + "]"
	}
	return "[" + content + "]"
}

func isASCIILetter(b byte) bool { return b|0x20 >= 'a' && b|0x20 <= 'z' }

func isHex(s string, n int) bool {
	if len(s) < n {
		return false
	}
	_, err := strconv.ParseUint(s[:n], 16, 32)
	return err == nil
}
