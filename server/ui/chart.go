package ui

import (
	"fmt"
	"html/template"
	"strconv"
	"strings"
)

// series is one line of a chart: a value per label.
type series struct {
	Key    string // stable id, e.g. "raw"; the browser tests read it
	Name   string // legend text
	Values []int64
}

// Chart geometry in viewBox units; the SVG scales to its container.
const (
	chartW, chartH   = 1000, 280
	padL, padR       = 48, 28
	padT, padB       = 12, 40
	maxSeriesInChart = 8
)

// lineChart draws series over labels as server-side SVG: no script is
// needed to see it. Each point carries data-series/data-label/data-value
// and a <title>, so its number can be read by hovering or by a test.
func lineChart(title string, labels []string, ss []series) template.HTML {
	if len(ss) > maxSeriesInChart {
		ss = ss[:maxSeriesInChart]
	}
	var top int64
	for _, s := range ss {
		for _, v := range s.Values {
			top = max(top, v)
		}
	}
	top = niceCeil(top)
	plotW, plotH := float64(chartW-padL-padR), float64(chartH-padT-padB)
	x := func(i int) float64 {
		if len(labels) <= 1 {
			return padL + plotW/2
		}
		return padL + plotW*float64(i)/float64(len(labels)-1)
	}
	y := func(v int64) float64 { return padT + plotH - plotH*float64(v)/float64(top) }

	var b strings.Builder
	fmt.Fprintf(&b, `<svg class="chart" viewBox="0 0 %d %d" role="img" aria-label="%s" xmlns="http://www.w3.org/2000/svg">`,
		chartW, chartH, template.HTMLEscapeString(title))
	for i := 0; i <= 4; i++ { // grid and y labels
		v := top * int64(i) / 4
		fmt.Fprintf(&b, `<line class="grid" x1="%d" x2="%d" y1="%.1f" y2="%.1f"/><text class="ylab" x="%d" y="%.1f">%d</text>`,
			padL, chartW-padR, y(v), y(v), padL-6, y(v)+4, v)
	}
	step := max(1, len(labels)/8) // at most ~8 x labels, so they never overlap
	for i, l := range labels {
		if i%step == 0 || i == len(labels)-1 && len(labels) < 16 {
			fmt.Fprintf(&b, `<text class="xlab" x="%.1f" y="%d">%s</text>`, x(i), chartH-padB+18, template.HTMLEscapeString(shortLabel(l)))
		}
	}
	for si, s := range ss {
		var pts []string
		for i, v := range s.Values {
			pts = append(pts, fmt.Sprintf("%.1f,%.1f", x(i), y(v)))
		}
		fmt.Fprintf(&b, `<polyline class="line c%d" points="%s"/>`, si, strings.Join(pts, " "))
		for i, v := range s.Values {
			fmt.Fprintf(&b, `<circle class="pt c%d" cx="%.1f" cy="%.1f" r="3" data-series="%s" data-label="%s" data-value="%d"><title>%s %s: %d</title></circle>`,
				si, x(i), y(v), template.HTMLEscapeString(s.Key), template.HTMLEscapeString(labels[i]), v,
				template.HTMLEscapeString(labels[i]), template.HTMLEscapeString(s.Name), v)
		}
	}
	b.WriteString(`</svg><ul class="legend">`)
	for si, s := range ss {
		fmt.Fprintf(&b, `<li><span class="sw c%d"></span>%s</li>`, si, template.HTMLEscapeString(s.Name))
	}
	b.WriteString(`</ul>`)
	return template.HTML(b.String())
}

// niceCeil rounds up to 1, 2, 4, 5 or 8 times a power of ten (at least 4, so
// the four grid steps are whole numbers).
func niceCeil(v int64) int64 {
	if v <= 4 {
		return 4
	}
	for p := int64(1); ; p *= 10 {
		for _, m := range []int64{1, 2, 4, 5, 8} {
			if c := m * p; c >= v && c%4 == 0 {
				return c
			}
		}
	}
}

// shortLabel drops the year of "2026-11-29" and keeps "11-29 08h".
func shortLabel(l string) string {
	if len(l) >= 10 && l[4] == '-' && l[7] == '-' {
		return l[5:]
	}
	return l
}

func itoa(v int64) string { return strconv.FormatInt(v, 10) }
