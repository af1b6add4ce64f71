package wxads

import (
	"sync"
	"time"
)

// CST is the platform's zone: GMT+8, no DST, for every date, hour and
// "yyyy-MM-dd HH:mm:ss" string.
var CST = time.FixedZone("GMT+8", 8*3600)

// TimeLayout is the platform's date-time text format.
const TimeLayout = "2006-01-02 15:04:05"

// DateLayout is the platform's date format.
const DateLayout = "2006-01-02"

// Clock tells the platform time.
type Clock interface {
	Now() time.Time
}

// SystemClock is the wall clock.
type SystemClock struct{}

func (SystemClock) Now() time.Time { return time.Now() }

// FakeClock is a settable clock for tests. By default it keeps ticking from
// the value it was last set to (SPEC §2, --fake-clock); a Frozen one stands
// still between Set and Advance, so in-process tests can probe exact
// boundaries without racing the wall clock.
type FakeClock struct {
	Frozen bool

	mu    sync.Mutex
	base  time.Time // the value last set
	setAt time.Time // wall time when it was set
}

func (c *FakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.base.IsZero() {
		c.base, c.setAt = time.Now(), time.Now()
	}
	if c.Frozen {
		return c.base
	}
	return c.base.Add(time.Since(c.setAt))
}

// Set makes Now return t at this instant.
func (c *FakeClock) Set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.base, c.setAt = t, time.Now()
}

// Advance moves the clock forward (or back, for negative d).
func (c *FakeClock) Advance(d time.Duration) {
	c.Set(c.Now().Add(d))
}

// DayStart returns the start of the GMT+8 day holding t.
func DayStart(t time.Time) time.Time {
	y, m, d := t.In(CST).Date()
	return time.Date(y, m, d, 0, 0, 0, 0, CST)
}

// HourOf returns the Unix second starting the hour that holds t (GMT+8 is a
// whole number of hours from UTC, so hours align).
func HourOf(t int64) int64 { return floorDiv(t, 3600) * 3600 }

// DayOf returns the Unix second of the GMT+8 midnight starting t's day.
func DayOf(t int64) int64 {
	const off = 8 * 3600
	return floorDiv(t+off, 86400)*86400 - off
}

func floorDiv(a, b int64) int64 {
	q := a / b
	if a%b != 0 && (a < 0) != (b < 0) {
		q--
	}
	return q
}
