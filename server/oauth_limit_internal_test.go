package server

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/wxads/wxads"
)

// The node's own counter: a key counts in its latest window only, and a
// new window starts from zero.
func TestMemCounterWindows(t *testing.T) {
	var c memCounter
	ctx := context.Background()
	for want := int64(1); want <= 3; want++ {
		n, _ := c.Add(ctx, 100, time.Second, 1, "a", "b")
		if n[0] != want || n[1] != want {
			t.Fatalf("window 100, add %d: %v", want, n)
		}
	}
	if n, _ := c.Add(ctx, 100, time.Second, 0, "a", "c"); n[0] != 3 || n[1] != 0 {
		t.Fatalf("read: %v", n)
	}
	if n, _ := c.Add(ctx, 101, time.Second, 1, "a"); n[0] != 1 {
		t.Fatalf("next window: %v", n)
	}
	if len(c.m) != 2 { // a read does not store a key
		t.Fatalf("keys %v", c.m)
	}
}

// The day window starts at midnight GMT+8, whatever the zone of the time.
func TestOAuthDayStart(t *testing.T) {
	for _, tc := range []struct{ at, day string }{
		{"2026-11-23T15:59:59Z", "2026-11-23"}, // 23:59:59 GMT+8
		{"2026-11-23T16:00:00Z", "2026-11-24"}, // midnight GMT+8
		{"2026-11-23T00:00:00+08:00", "2026-11-23"},
	} {
		at, _ := time.Parse(time.RFC3339, tc.at)
		got := time.Unix(dayStart(at), 0).In(wxads.CST)
		if got.Format(wxads.DateLayout) != tc.day || got.Hour() != 0 || got.Minute() != 0 || got.Second() != 0 {
			t.Errorf("dayStart(%s) = %s, want %s 00:00:00 GMT+8", tc.at, got, tc.day)
		}
	}
}

// Each refusal carries the registry's text in both languages and the limit.
func TestOAuthLimitMessages(t *testing.T) {
	for _, code := range []int{wxads.CodeOAuthAppQPS, wxads.CodeOAuthAppDaily, wxads.CodeOAuthAccountQPS, wxads.CodeOAuthAccountDaily} {
		e := limitError(code, 42, "second", "每秒")
		if e.Code != code || !strings.Contains(e.Message, "over the limit") && !strings.Contains(e.Message, "quota is used up") ||
			!strings.Contains(e.Message, "Limit: 42 calls per second.") || !strings.Contains(e.MessageCN, "次数超过限制") ||
			!strings.Contains(e.MessageCN, "42") {
			t.Errorf("%d: %q / %q", code, e.Message, e.MessageCN)
		}
	}
}
