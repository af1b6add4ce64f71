package main

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
)

func TestReportFormats(t *testing.T) {
	c := newCLI(t)
	set := fmt.Sprint(c.srv.SetID)
	c.must(t, 1, "", "send", "--set", set, "testdata/send.jsonl")
	c.must(t, 1, "", "send", "--set", set, "testdata/send.csv")
	span := []string{"report", "--set", set, "--from", "2026-11-17", "--to", "2026-11-20"}
	golden(t, "report_formats", c.transcript(t,
		span,
		append(span, "--format", "csv"),
		append(span, "--format", "chart"),
		append(span, "--aggregation", "ACTION_TYPE"),
		append(span, "--aggregation", "domain", "--format", "chart"),
		[]string{"report", "--set", set, "--from", "2026-11-19", "--to", "2026-11-19", "--granularity", "hourly"},
		[]string{"report", "--set", set, "--from", "2026-11-01", "--to", "2026-11-02"},
		[]string{"report", "--set", "999999", "--to", "2026-11-20"},
		[]string{"report", "--set", set, "--from", "2026-11-20", "--to", "2026-11-21"},
	))

	r := c.must(t, 0, "", append(span, "--format", "json")...)
	var rows []struct {
		Date       string `json:"date"`
		Raw        int64  `json:"raw_action_count"`
		Identified int64  `json:"identified_action_count"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &rows); err != nil {
		t.Fatalf("--format json: %v\n%s", err, r.stdout)
	}
	var raw, ident int64
	for _, row := range rows {
		raw, ident = raw+row.Raw, ident+row.Identified
	}
	// jsonl: 4 stored, 3 of followers; csv: 4 valid, 3 of followers.
	if raw != 8 || ident != 6 {
		t.Errorf("json rows sum to raw %d identified %d, want 8 and 6: %s", raw, ident, r.stdout)
	}

	// --to defaults to today on the clock, --from to six days before.
	r = c.must(t, 0, "", "report", "--set", set)
	if !strings.Contains(r.stdout, "2026-11-14 – 2026-11-20") {
		t.Errorf("default span:\n%s", r.stdout)
	}
}

func TestBar(t *testing.T) {
	for _, c := range []struct {
		n, max int64
		want   string
	}{
		{0, 10, ""}, {10, 10, "██████████"}, {5, 10, "█████"}, {1, 16, "▋"}, {1, 1000, "▏"}, {3, 16, "█▉"},
	} {
		if got := bar(c.n, c.max, 10, "█"); got != c.want {
			t.Errorf("bar(%d, %d) = %q, want %q", c.n, c.max, got, c.want)
		}
	}
	if got := bar(1, 1000, 10, "▒"); got != "▒" {
		t.Errorf("shaded minimum = %q", got)
	}
}
