package sqlite

import (
	"bytes"
	"compress/flate"
	"encoding/json"
	"reflect"
	"strings"
	"testing"

	"github.com/wxads/wxads"
)

func detailRecord(actions int) wxads.RequestRecord {
	body := `{"actions":[` + strings.TrimSuffix(strings.Repeat(`{"user_action_set_id":1,"url":"https://shop.example.com/o",`+
		`"action_time":1764400000,"action_type":"COMPLETE_ORDER","outer_action_id":"order-000123",`+
		`"user_id":{"wechat_app_id":"wx0123456789abcdef","wechat_openid":"o5Dxc0Xy3R4nT7pQ1mZk9sLw2Ab8"},`+
		`"action_param":{"source":"Biz","claim_type":0,"value":4000}},`, actions), ",") + `]}`
	r := wxads.RequestRecord{Body: body}
	for i := range actions {
		r.Actions = append(r.Actions, wxads.ActionVerdict{Index: i, Verdict: "stored", SetID: 1, OuterActionID: "order-000123",
			Identified: true, Identification: "the openid follows wx0123456789abcdef", IdentificationCN: "该 openid 已关注 wx0123456789abcdef",
			Attribution: "no CLICK of this user in the 7 days before action_time", AttributionCN: "action_time 前 7 天内无该用户的点击"})
	}
	return r
}

// TestDetailRoundTrip: small details are kept as plain JSON, large ones in
// the raw-body form, and both (and details written by earlier versions,
// always deflated JSON) read back the same.
func TestDetailRoundTrip(t *testing.T) {
	big := wxads.RequestRecord{Body: strings.Repeat(`{"k":"\"v\""}`, 400)} // a large body, no verdicts
	for n, rec := range map[int]wxads.RequestRecord{0: detailRecord(0), 1: detailRecord(1), 50: detailRecord(50), -1: big} {
		var c detailCodec
		enc, err := c.encode(&rec)
		if err != nil {
			t.Fatal(err)
		}
		if plain := enc[0] == '{'; plain != (n == 0 || n == 1) || !plain && enc[0] != rawBodyDetail {
			t.Errorf("%d actions: first byte %#x (%d bytes)", n, enc[0], len(enc))
		}
		old := deflated(t, &rec) // the only format before plain details
		for _, b := range [][]byte{enc, old} {
			var got wxads.RequestRecord
			if err := decodeDetail(b, &got); err != nil {
				t.Fatalf("%d actions: %v", n, err)
			}
			if !reflect.DeepEqual(rec, got) {
				t.Errorf("%d actions: read back differs:\n got %+v\nwant %+v", n, got, rec)
			}
		}
	}
}

// TestDetailCorrupt: a damaged raw-body detail is an error, not a panic.
func TestDetailCorrupt(t *testing.T) {
	var c detailCodec
	rec := detailRecord(50)
	enc, err := c.encode(&rec)
	if err != nil {
		t.Fatal(err)
	}
	for _, b := range [][]byte{{rawBodyDetail}, {rawBodyDetail, 0}, enc[:len(enc)/2]} {
		var got wxads.RequestRecord
		if err := decodeDetail(b, &got); err == nil {
			t.Errorf("decodeDetail(% x…) = nil, want an error", b[:min(len(b), 4)])
		}
	}
}

// BenchmarkDetailEncode: what the inspector spends per record before it
// takes the writer (issue 14: 26 % of server CPU at 64 clients × 1 action
// went to a new DEFLATE writer and Huffman tables per record).
func BenchmarkDetailEncode(b *testing.B) {
	for _, n := range []int{1, 50} {
		rec := detailRecord(n)
		b.Run(map[int]string{1: "batch1", 50: "batch50"}[n], func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				var c detailCodec
				if _, err := c.encode(&rec); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func deflated(t *testing.T, r *wxads.RequestRecord) []byte {
	var buf bytes.Buffer
	w, _ := flate.NewWriter(&buf, flate.BestSpeed)
	if err := json.NewEncoder(w).Encode(detail{Body: r.Body, Actions: r.Actions}); err != nil {
		t.Fatal(err)
	}
	w.Close()
	return buf.Bytes()
}
