package main

import (
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
)

const globalSource = "seed001"

// globalAreas are the product areas seed 001 names. An area not listed here
// stops the parse: it is more likely a misplaced cell than a new product.
var globalAreas = []string{
	"OA Platform", "Developer Platform", "Work WeChat", "WeCom", "Coupons",
	"Red Packets", "WeChat Wifi", "Customer Service", "Enterprise",
}

var codeCell = regexp.MustCompile(`^-?[0-9]+$`)

// parseGlobal parses seed 001. Each line is one table cell followed by " |";
// a line holding only "|" is an empty cell. A record is a code, a Chinese
// cell, an English cell (empty for 60125) and then either an empty cell
// (the record has no area) or its product area, after which the next
// record follows directly. One area is scraped as "WeCom/td>".
func parseGlobal(text string) ([]row, error) {
	lines := strings.Split(strings.TrimSuffix(text, "\n"), "\n")
	cell := func(i int) (string, error) {
		if i >= len(lines) {
			return "", fmt.Errorf("line %d: file ends inside a record", i+1)
		}
		l := strings.TrimRight(lines[i], "\r")
		if l != "|" && !strings.HasSuffix(l, " |") {
			return "", fmt.Errorf("line %d: not a table cell: %q", i+1, l)
		}
		return strings.TrimSpace(strings.TrimSuffix(l, "|")), nil
	}

	var rows []row
	for i := 0; i < len(lines); {
		at := i + 1
		var c [4]string
		n := 4
		for k := range c {
			if k == 3 && i+k == len(lines) { // the last record may end without an area cell
				n = 3
				break
			}
			v, err := cell(i + k)
			if err != nil {
				return nil, err
			}
			c[k] = v
		}
		code, err := strconv.Atoi(c[0])
		if err != nil || !codeCell.MatchString(c[0]) {
			return nil, fmt.Errorf("line %d: want a code, got %q", at, c[0])
		}
		r := row{code: code, cn: c[1], en: c[2], source: globalSource}
		if !hasHan(r.cn) {
			return nil, fmt.Errorf("line %d: code %d: Chinese cell %q holds no Chinese", at+1, code, r.cn)
		}
		if hasHan(r.en) || codeCell.MatchString(r.en) || slices.Contains(globalAreas, r.en) {
			return nil, fmt.Errorf("line %d: code %d: %q is not an English message", at+2, code, r.en)
		}
		if area := normalizeArea(c[3]); area != "" {
			if !slices.Contains(globalAreas, area) {
				return nil, fmt.Errorf("line %d: code %d: unknown product area %q", at+3, code, c[3])
			}
			r.area = area
		}
		rows = append(rows, r)
		i += n
	}
	if len(rows) == 0 {
		return nil, fmt.Errorf("no records")
	}
	return rows, nil
}

// normalizeArea drops the remains of an HTML tag the scrape left on an area.
func normalizeArea(s string) string {
	s = strings.TrimSuffix(s, "/td>")
	return strings.TrimSpace(strings.TrimSuffix(s, "<"))
}
