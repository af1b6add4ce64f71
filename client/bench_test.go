package client

import (
	"fmt"
	"testing"
	"time"
)

func benchActions(n int) []UserAction {
	out := make([]UserAction, n)
	for i := range out {
		out[i] = UserAction{UserActionSetID: 1, URL: fmt.Sprintf("https://shop.example.com/order/%d", i),
			ActionTime: time.Now().Unix(), ActionType: "COMPLETE_ORDER",
			UserID:      UserID{WechatAppID: "wx0123456789abcdef", WechatOpenID: "o0123456789012345678901234567"},
			ActionParam: map[string]any{"source": "Biz", "claim_type": 0, "value": 100 + i, "sku": "A-1"}}
	}
	return out
}

// The client-side cost of Add before the network: outer ids, encoding into
// request bodies, offline validation (go test -bench Prepare ./client).
func BenchmarkPrepare1000(b *testing.B) {
	actions := benchActions(1000)
	now := time.Now()
	b.ReportAllocs()
	for b.Loop() {
		chunks, err := split(fillOuterIDs(actions))
		if err != nil {
			b.Fatal(err)
		}
		if err := validateChunks(chunks, now); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkOuterActionID(b *testing.B) {
	a := benchActions(1)[0]
	b.ReportAllocs()
	for b.Loop() {
		OuterActionID(a)
	}
}
