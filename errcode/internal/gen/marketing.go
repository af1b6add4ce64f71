package main

import (
	"fmt"
	"strconv"
	"strings"
)

// The Marketing API table of seed 000 starts after this heading and runs to
// the end of the file. It is tab-separated (code, English, Chinese), repeats
// its header after each page break, and wraps some cells onto a line whose
// code cell is empty.
const (
	marketingHeading = "## 返回码"
	marketingHeader  = "返回码\t提示消息\t描述"
	marketingArea    = "Marketing API"
	marketingSource  = "seed000"
)

// parseMarketing parses seed 000's return-code table. A wrapped English cell
// is joined with one space, a wrapped Chinese cell with none.
func parseMarketing(text string) ([]row, error) {
	lines := strings.Split(text, "\n")
	start := -1
	for i, l := range lines {
		if strings.TrimSpace(l) == marketingHeading {
			start = i + 1
			break
		}
	}
	if start < 0 {
		return nil, fmt.Errorf("heading %q not found", marketingHeading)
	}

	var rows []row
	for i := start; i < len(lines); i++ {
		line := strings.TrimRight(lines[i], "\r")
		if strings.TrimSpace(line) == "" || line == marketingHeader {
			continue
		}
		f := strings.Split(line, "\t")
		if len(f) != 3 {
			return nil, fmt.Errorf("line %d: want 3 tab-separated cells, got %d: %q", i+1, len(f), line)
		}
		en, cn := strings.TrimSpace(f[1]), strings.TrimSpace(f[2])
		if f[0] == "" { // the previous row's cells continue here
			if len(rows) == 0 {
				return nil, fmt.Errorf("line %d: continuation before the first row: %q", i+1, line)
			}
			r := &rows[len(rows)-1]
			r.en = strings.TrimSpace(r.en + " " + en)
			r.cn += cn
			continue
		}
		code, err := strconv.Atoi(f[0])
		if err != nil {
			return nil, fmt.Errorf("line %d: code %q is not an integer", i+1, f[0])
		}
		rows = append(rows, row{code: code, area: marketingArea, en: en, cn: cn, source: marketingSource})
	}

	for _, r := range rows {
		if r.en == "" || hasHan(r.en) {
			return nil, fmt.Errorf("code %d: English message %q is empty or holds Chinese", r.code, r.en)
		}
		if !hasHan(r.cn) {
			return nil, fmt.Errorf("code %d: Chinese message %q holds no Chinese", r.code, r.cn)
		}
	}
	if len(rows) == 0 {
		return nil, fmt.Errorf("no rows after %q", marketingHeading)
	}
	return rows, nil
}
