package main

import (
	"fmt"
	"io"
	"strings"

	"github.com/wxads/wxads/client"
)

// chartWidth is the longest bar, in terminal cells.
const chartWidth = 40

// eighths are the partial blocks, so a bar's length is exact to 1/8 cell.
var eighths = []string{"", "▏", "▎", "▍", "▌", "▋", "▊", "▉"}

// bar draws n of max as a horizontal bar of at most width cells.
func bar(n, max int64, width int, full string) string {
	if max <= 0 || n <= 0 {
		return ""
	}
	e := int((n*int64(width)*8 + max/2) / max) // eighths of a cell, rounded
	if e == 0 {
		e = 1 // a non-zero count stays visible
	}
	if full != "█" { // a shaded bar has no partial glyphs: whole cells
		return strings.Repeat(full, max1((e+4)/8))
	}
	return strings.Repeat(full, e/8) + eighths[e%8]
}

func max1(n int) int { return max(n, 1) }

// chart draws raw vs identified per row: two bars on one scale, raw solid
// and identified shaded, so the gap between them is the unidentified share.
func (o *ReportOptions) chart(w io.Writer, rows []client.ReportRow) error {
	fmt.Fprintf(w, "user_action_set_id %d, %s – %s (GMT+8), %s\n", o.SetID, o.From, o.To, o.Granularity)
	if len(rows) == 0 {
		fmt.Fprintln(w, bi("no actions in this period", "该时间段内没有行为数据"))
		return nil
	}
	fmt.Fprintf(w, "█ %s   ▒ %s\n\n", bi("raw", "原始"), bi("identified", "已识别"))
	labels := make([]string, len(rows))
	var top int64
	width := 0
	for i, r := range rows {
		l := r.Date
		if r.Hour != nil {
			l += fmt.Sprintf(" %02d:00", *r.Hour)
		}
		switch o.Aggregation {
		case "DOMAIN":
			l += " " + r.Domain
		case "ACTION_TYPE":
			l += " " + r.ActionType
			if r.CustomAction != "" {
				l += ":" + r.CustomAction
			}
		}
		labels[i] = l
		width = max(width, len(l))
		top = max(top, r.RawActionCount, r.IdentifiedActionCount)
	}
	for i, r := range rows {
		fmt.Fprintf(w, "%-*s %s %d\n", width, labels[i], bar(r.RawActionCount, top, chartWidth, "█"), r.RawActionCount)
		fmt.Fprintf(w, "%-*s %s %d (%s)\n", width, "", bar(r.IdentifiedActionCount, top, chartWidth, "▒"),
			r.IdentifiedActionCount, percent(r.IdentifiedActionCount, r.RawActionCount))
	}
	return nil
}
