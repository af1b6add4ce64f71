package adtemplate

import (
	"errors"
	"fmt"
	"regexp"
	"strings"
)

// Pattern is a catalog regex (JavaScript syntax, no flags) compiled for Go's
// RE2 engine. What RE2 lacks is handled deliberately:
//
//   - \uXXXX, \u{X}, \xHH, \cX and octal escapes become \x{…}; JavaScript's
//     \s and "." keep their JavaScript meaning; identity escapes (\a, \z, \Q)
//     become the literal letter, not RE2's meaning.
//   - A lookahead at the very start of an anchored pattern, as in the seed's
//     deep_link_url pattern `^((?!https?)…`, is exact: it is taken out and
//     checked as a separate anchored regex that must (or must not) match.
//   - Every other lookaround, backreference, atomic group and possessive
//     quantifier is relaxed: lookarounds are dropped, a backreference matches
//     anything, atomic groups and possessive quantifiers become ordinary ones.
//     The result accepts a superset of what the platform accepts, so the
//     validator never reports a violation the platform would not; Exact says
//     whether this happened.
//
// A pattern that still does not compile (for instance a repeat count above
// RE2's 1000) is an error: the catalog holding it is refused.
type Pattern struct {
	Source string // as written in the catalog
	Go     string // the RE2 translation, lookaheads taken out
	Exact  bool   // false when a construct was relaxed to a superset

	re     *regexp.Regexp
	guards []guard
}

// guard is a hoisted leading lookahead: re must match (or, negated, must not).
type guard struct {
	re     *regexp.Regexp
	negate bool
}

// CompilePattern translates and compiles a catalog pattern.
func CompilePattern(src string) (*Pattern, error) {
	toks, err := lex(src)
	if err != nil {
		return nil, fmt.Errorf("pattern %q: %w", src, err)
	}
	a, err := newAssembler(toks)
	if err != nil {
		return nil, fmt.Errorf("pattern %q: %w", src, err)
	}
	text, inexact := a.assemble(0, len(toks))
	p := &Pattern{Source: src, Go: text, Exact: !inexact}
	if p.re, err = regexp.Compile(text); err != nil {
		return nil, fmt.Errorf("pattern %q: as RE2 %q: %w", src, text, err)
	}
	for _, h := range a.hoisted {
		re, err := regexp.Compile(h.text)
		if err != nil {
			return nil, fmt.Errorf("pattern %q: lookahead as RE2 %q: %w", src, h.text, err)
		}
		p.guards = append(p.guards, guard{re: re, negate: h.negate})
	}
	return p, nil
}

// MatchString reports whether s matches, as JavaScript's RegExp.test would
// (an unanchored search; the catalog's patterns anchor themselves).
func (p *Pattern) MatchString(s string) bool {
	if !p.re.MatchString(s) {
		return false
	}
	for _, g := range p.guards {
		if g.re.MatchString(s) == g.negate {
			return false
		}
	}
	return true
}

func (p *Pattern) String() string { return p.Source }

type assembler struct {
	toks    []token
	closeAt map[int]int  // index of each "(" → index of its ")"
	alt     map[int]bool // index of "(" (-1: top level) → has a "|" directly inside
	hoisted []struct {
		text   string
		negate bool
	}
}

func newAssembler(toks []token) (*assembler, error) {
	a := &assembler{toks: toks, closeAt: map[int]int{}, alt: map[int]bool{}}
	stack := []int{-1}
	for i, t := range toks {
		switch t.kind {
		case tOpen:
			stack = append(stack, i)
		case tClose:
			if len(stack) == 1 {
				return nil, errors.New("unmatched )")
			}
			a.closeAt[stack[len(stack)-1]] = i
			stack = stack[:len(stack)-1]
		case tAlt:
			a.alt[stack[len(stack)-1]] = true
		}
	}
	if len(stack) > 1 {
		return nil, errors.New("missing )")
	}
	return a, nil
}

// assemble writes toks[from:to] as RE2, hoisting or dropping lookarounds.
func (a *assembler) assemble(from, to int) (string, bool) {
	var b strings.Builder
	inexact := false
	for i := from; i < to; i++ {
		t := a.toks[i]
		if t.kind == tOpen && t.group >= gAhead {
			end := a.closeAt[i]
			inner, innerInexact := a.assemble(i+1, end)
			if a.hoistable(i) && !innerInexact {
				a.hoisted = append(a.hoisted, struct {
					text   string
					negate bool
				}{"^(?:" + inner + ")", t.group == gNotAhead})
			} else {
				inexact = true
			}
			if end+1 < len(a.toks) && a.toks[end+1].kind == tQuant {
				end++
			}
			b.WriteString("(?:)") // keeps an alternative or group around it well-formed
			i = end
			continue
		}
		inexact = inexact || t.inexact
		b.WriteString(t.text)
	}
	return b.String(), inexact
}

// hoistable reports whether the lookaround opened at toks[i] always runs at
// the start of the input: the pattern begins with "^", only plain group
// openings and other leading lookaheads stand between, none of those repeats
// or has alternatives, and the pattern has no top-level alternative.
func (a *assembler) hoistable(i int) bool {
	g := a.toks[i].group
	if (g != gAhead && g != gNotAhead) || a.toks[0].kind != tBegin || a.alt[-1] || a.quantified(i) {
		return false
	}
	for j := 1; j < i; j++ {
		t := a.toks[j]
		switch {
		case t.kind != tOpen || a.quantified(j) || a.alt[j]:
			return false
		case (t.group == gAhead || t.group == gNotAhead) && a.closeAt[j] < i:
			j = a.closeAt[j] // an earlier leading lookahead is zero-width: skip it
		case t.group >= gAhead:
			return false // i is nested inside this lookaround
		case t.text != "(" && t.text != "(?:" && !strings.HasPrefix(t.text, "(?P<"):
			return false // a flag group would change what the hoisted regex means
		}
	}
	return true
}

func (a *assembler) quantified(open int) bool {
	end := a.closeAt[open]
	return end+1 < len(a.toks) && a.toks[end+1].kind == tQuant
}
