package ingest

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/wxads/wxads"
)

// benchBody is a realistic batch of n actions shaped like the seed's
// example, each action_param with 8 keys including a double and an array.
func benchBody(n int) []byte {
	var b strings.Builder
	b.WriteString(`{"actions":[`)
	for i := range n {
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, `{"user_action_set_id":1107360918,`+
			`"url":"https://shop.example.com/product/detail?id=%d&from=timeline",`+
			`"action_time":%d,"action_type":"COMPLETE_ORDER",`+
			`"user_id":{"wechat_app_id":"wx1a2b3c4d5e6f7a8b","wechat_openid":"oX7bq5xTQ0kZcW9fN2mYp3L%05d"},`+
			`"trace":{"click_id":"wx0ct5ocbcw2nsbw%04d"},"outer_action_id":"order_20231114_%06d",`+
			`"action_param":{"product_name":"无线蓝牙耳机 Pro","product_id":"%d","source":"Biz",`+
			`"wechat_app_id":"wx1a2b3c4d5e6f7a8b","claim_type":1,"value":%d,"price":299.905,`+
			`"tags":["audio","bluetooth","sale"]}}`,
			10000+i, testNow-60-i, i, i, i, 10000+i, 29900+i)
	}
	b.WriteString(`]}`)
	return []byte(b.String())
}

func benchDecode(b *testing.B, decode func([]byte, int64) (Batch, error)) {
	body := benchBody(MaxActions)
	if got, err := decode(body, testNow); err != nil || len(got.Actions) != MaxActions {
		b.Fatalf("%v, %d actions, errors %v", err, len(got.Actions), got.Errors)
	}
	b.SetBytes(int64(len(body)))
	b.ReportAllocs()
	for b.Loop() {
		decode(body, testNow)
	}
	b.ReportMetric(float64(MaxActions*b.N)/b.Elapsed().Seconds(), "actions/s")
}

// BenchmarkDecode measures the production single-pass decoder.
func BenchmarkDecode(b *testing.B) { benchDecode(b, Decode) }

// BenchmarkStdlibRaw is the alternative that keeps the platform's
// semantics with encoding/json: every member as a json.RawMessage (a
// mistyped member must become one action's error, not fail the body), then
// the same field rules over each raw value.
func BenchmarkStdlibRaw(b *testing.B) { benchDecode(b, decodeStdlibRaw) }

// BenchmarkStdlibTyped is a lower bound for encoding/json: typed members and
// only action_param as a json.RawMessage, run through the same
// action_param code; it cannot report 18002 per action.
func BenchmarkStdlibTyped(b *testing.B) { benchDecode(b, decodeStdlibTyped) }

// stdlibRawAction holds every member an action may have, undecoded.
type stdlibRawAction struct {
	SetID         json.RawMessage `json:"user_action_set_id"`
	URL           json.RawMessage `json:"url"`
	ActionTime    json.RawMessage `json:"action_time"`
	ActionType    json.RawMessage `json:"action_type"`
	CustomAction  json.RawMessage `json:"custom_action"`
	UserID        json.RawMessage `json:"user_id"`
	Trace         json.RawMessage `json:"trace"`
	OuterActionID json.RawMessage `json:"outer_action_id"`
	ActionParam   json.RawMessage `json:"action_param"`
}

func decodeStdlibRaw(body []byte, now int64) (Batch, error) {
	return decodeStdlib(body, now, func(d *actionDecoder, s *scanner, r *stdlibRawAction) {
		for _, m := range [...]struct {
			key string
			raw json.RawMessage
		}{
			{"user_action_set_id", r.SetID}, {"url", r.URL}, {"action_time", r.ActionTime},
			{"action_type", r.ActionType}, {"custom_action", r.CustomAction}, {"user_id", r.UserID},
			{"trace", r.Trace}, {"outer_action_id", r.OuterActionID}, {"action_param", r.ActionParam},
		} {
			if m.raw != nil {
				*s = scanner{data: m.raw, buf: s.buf}
				d.member([]byte(m.key))
			}
		}
	})
}

// decodeStdlib unmarshals body into actions of type T with encoding/json,
// then has fill check each with d, whose scanner is s.
func decodeStdlib[T any](body []byte, now int64, fill func(d *actionDecoder, s *scanner, r *T)) (Batch, error) {
	var in struct{ Actions []T }
	if err := json.Unmarshal(body, &in); err != nil {
		return Batch{}, wxads.Errorf(wxads.CodeBadJSON, "")
	}
	var s scanner
	d := actionDecoder{s: &s, now: now, a: new(wxads.Action)}
	var out Batch
	for i := range in.Actions {
		*d.a = wxads.Action{}
		d.reset()
		fill(&d, &s, &in.Actions[i])
		if err := d.finish(i); err != nil {
			out.Errors = append(out.Errors, IndexError{i, err})
			continue
		}
		out.Actions = append(out.Actions, *d.a)
		out.Indexes = append(out.Indexes, i)
	}
	return out, nil
}

type stdlibTypedAction struct {
	SetID        json.RawMessage `json:"user_action_set_id"`
	URL          string          `json:"url"`
	ActionTime   int64           `json:"action_time"`
	ActionType   string          `json:"action_type"`
	CustomAction string          `json:"custom_action"`
	UserID       struct {
		AppID  string `json:"wechat_app_id"`
		OpenID string `json:"wechat_openid"`
	} `json:"user_id"`
	Trace struct {
		ClickID string `json:"click_id"`
	} `json:"trace"`
	OuterActionID string          `json:"outer_action_id"`
	ActionParam   json.RawMessage `json:"action_param"`
}

func decodeStdlibTyped(body []byte, now int64) (Batch, error) {
	return decodeStdlib(body, now, func(d *actionDecoder, s *scanner, r *stdlibTypedAction) {
		for f := range d.seen {
			d.seen[f] = true // the typed members are taken as they come
		}
		*s = scanner{data: r.ActionParam, buf: s.buf}
		d.actionParam()
		a := d.a
		a.URL, a.ActionTime, a.ActionType, a.CustomAction = r.URL, r.ActionTime, r.ActionType, r.CustomAction
		a.AppID, a.OpenID, a.ClickID, a.OuterActionID = r.UserID.AppID, r.UserID.OpenID, r.Trace.ClickID, r.OuterActionID
		a.Domain, _ = hostOf(r.URL)
	})
}
