package server

import (
	"bytes"
	"math/rand/v2"
	"net/http/httptest"
	"testing"

	"github.com/wxads/wxads"
)

// reportRowJSON is a report row as encoding/json wrote it before reportList:
// the reference the hand-written encoder must match byte for byte.
type reportRowJSON struct {
	Date         string  `json:"date"`
	Hour         *int    `json:"hour,omitempty"`
	Domain       *string `json:"domain,omitempty"`
	ActionType   *string `json:"action_type,omitempty"`
	CustomAction *string `json:"custom_action,omitempty"`
	Raw          int64   `json:"raw_action_count"`
	Identified   int64   `json:"identified_action_count"`
	Users        *int64  `json:"identified_user_count,omitempty"`
}

// TestReportDataMatchesEncodingJSON: for every granularity and aggregation,
// rows over several days (with strings that need escaping, HTML characters,
// invalid UTF-8 and counts up to MaxInt64), writeDataJSON(reportData) writes
// the bytes writeData wrote with encoding/json, in both envelopes.
func TestReportDataMatchesEncodingJSON(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	strs := []string{"", "shop.example.com", "COMPLETE_ORDER", "a\"b", `back\slash`, "<&>", "tab\there", "中文",
		"\xff\xfe", "ctl\x01", "\u2028"}
	start := int64(1795363200) // a GMT+8 midnight
	for _, hourly := range []bool{true, false} {
		for _, agg := range []string{wxads.AggNone, wxads.AggDomain, wxads.AggActionType} {
			var rows []wxads.ReportRow
			step := int64(86400)
			if hourly {
				step = 3600
			}
			for i := range 200 {
				rows = append(rows, wxads.ReportRow{Period: start + int64(i/3)*step, Domain: strs[rng.IntN(len(strs))],
					ActionType: strs[rng.IntN(len(strs))], CustomAction: strs[rng.IntN(len(strs))],
					Raw: rng.Int64(), Identified: rng.Int64N(1000), Users: rng.Int64N(1 << 40)})
			}
			rows = append(rows, wxads.ReportRow{Period: start - 86400*400, Raw: 1<<63 - 1})
			for _, a := range []api{apiWeChat, apiTencent} {
				want, got := httptest.NewRecorder(), httptest.NewRecorder()
				if err := writeData(want, a, reference(rows, hourly, agg)); err != nil {
					t.Fatal(err)
				}
				if err := writeDataJSON(got, a, reportData(rows, hourly, agg)); err != nil {
					t.Fatal(err)
				}
				if !bytes.Equal(got.Body.Bytes(), want.Body.Bytes()) || got.Code != want.Code ||
					got.Header().Get("Content-Type") != want.Header().Get("Content-Type") {
					t.Fatalf("hourly=%v agg=%q api %d:\n got %d %s\nwant %d %s", hourly, agg, a, got.Code, got.Body, want.Code, want.Body)
				}
			}
		}
	}
}

// reference is the data encoding/json wrote before reportData.
func reference(rows []wxads.ReportRow, hourly bool, agg string) map[string]any {
	list := make([]reportRowJSON, len(rows))
	for i := range rows {
		row, out := &rows[i], &list[i]
		date, hour := periodParts(row.Period)
		out.Date, out.Raw, out.Identified = date, row.Raw, row.Identified
		if hourly {
			out.Hour = &hour
		}
		switch agg {
		case wxads.AggDomain:
			out.Domain = &row.Domain
		case wxads.AggActionType:
			out.ActionType, out.CustomAction = &row.ActionType, &row.CustomAction
		default:
			out.Users = &row.Users
		}
	}
	return map[string]any{"list": list}
}

// BenchmarkReportJSON: a 30-day HOURLY ACTION_TYPE report's 4 320 rows,
// written by reportData and by the encoding/json path it replaced.
//
//	go test ./server/ -run '^$' -bench ReportJSON -benchmem
func BenchmarkReportJSON(b *testing.B) {
	types := []string{"COMPLETE_ORDER", "RESERVATION", "REGISTER", "CUSTOM", "CUSTOM", "CUSTOM"}
	customs := []string{"", "", "", "add_to_cart", "view_content", "share"}
	var rows []wxads.ReportRow
	for h := range 720 {
		for i := range types {
			rows = append(rows, wxads.ReportRow{Period: 1795406400 + int64(h)*3600, ActionType: types[i],
				CustomAction: customs[i], Raw: 1234, Identified: 567})
		}
	}
	b.Run("reportData", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if err := writeDataJSON(httptest.NewRecorder(), apiWeChat, reportData(rows, true, wxads.AggActionType)); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("encoding-json", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if err := writeData(httptest.NewRecorder(), apiWeChat, reference(rows, true, wxads.AggActionType)); err != nil {
				b.Fatal(err)
			}
		}
	})
}
