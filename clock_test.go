package wxads_test

import (
	"testing"
	"time"

	"github.com/wxads/wxads"
)

func TestFakeClock(t *testing.T) {
	at := time.Date(2026, 1, 2, 3, 4, 5, 0, wxads.CST)
	frozen := &wxads.FakeClock{Frozen: true}
	frozen.Set(at)
	time.Sleep(5 * time.Millisecond)
	if !frozen.Now().Equal(at) {
		t.Fatalf("frozen clock moved: %v", frozen.Now())
	}
	frozen.Advance(90 * time.Second)
	if got := frozen.Now().Sub(at); got != 90*time.Second {
		t.Fatalf("advance: %v", got)
	}
	ticking := &wxads.FakeClock{}
	ticking.Set(at)
	time.Sleep(5 * time.Millisecond)
	if d := ticking.Now().Sub(at); d < 5*time.Millisecond || d > time.Second {
		t.Fatalf("ticking clock moved %v", d)
	}
}

func TestPeriods(t *testing.T) {
	for _, c := range []struct {
		at         string
		hour, date string
	}{
		{"2026-11-23 23:59:59", "2026-11-23 23:00:00", "2026-11-23"},
		{"2026-11-24 00:00:00", "2026-11-24 00:00:00", "2026-11-24"},
		{"1970-01-01 07:30:00", "1970-01-01 07:00:00", "1970-01-01"},
	} {
		tm, _ := time.ParseInLocation(wxads.TimeLayout, c.at, wxads.CST)
		h := time.Unix(wxads.HourOf(tm.Unix()), 0).In(wxads.CST).Format(wxads.TimeLayout)
		d := time.Unix(wxads.DayOf(tm.Unix()), 0).In(wxads.CST).Format(wxads.TimeLayout)
		if h != c.hour || d != c.date+" 00:00:00" {
			t.Errorf("%s: hour %s day %s", c.at, h, d)
		}
	}
}
