package main

import (
	"fmt"
	"io"
	"time"

	"github.com/schollz/progressbar/v3"
)

// progress shows how far a long upload is.
type progress interface {
	Add(n int)
	Finish()
}

// newProgress draws a bar with rate and ETA on a terminal, and writes a
// plain line every interval otherwise (logs, CI, a pipe), so neither gets
// the other's noise.
func newProgress(io IOStreams, total int, now func() time.Time) progress {
	if io.TTY {
		return &barProgress{progressbar.NewOptions(total,
			progressbar.OptionSetWriter(io.ErrOut),
			progressbar.OptionSetDescription(bi("sending", "发送中")),
			progressbar.OptionSetItsString("actions"),
			progressbar.OptionShowCount(),
			progressbar.OptionShowIts(),
			progressbar.OptionSetPredictTime(true),
			progressbar.OptionSetWidth(30),
			progressbar.OptionThrottle(100*time.Millisecond),
			progressbar.OptionOnCompletion(func() { fmt.Fprintln(io.ErrOut) }),
		)}
	}
	start := now()
	return &lineProgress{w: io.ErrOut, total: total, now: now, start: start, last: start, interval: 2 * time.Second}
}

type barProgress struct{ bar *progressbar.ProgressBar }

func (p *barProgress) Add(n int) { p.bar.Add(n) }
func (p *barProgress) Finish()   { p.bar.Finish() }

// lineProgress writes "sent 500/1750 (28%), 420 actions/s, ETA 3s".
type lineProgress struct {
	w               io.Writer
	total, done     int
	now             func() time.Time
	start, last     time.Time
	interval        time.Duration
	printedAnything bool
}

func (p *lineProgress) Add(n int) {
	p.done += n
	if t := p.now(); t.Sub(p.last) >= p.interval && p.done < p.total {
		p.last = t
		p.print(t)
	}
}

// Finish writes a last line only when earlier ones were written: a quick
// upload needs no progress report at all.
func (p *lineProgress) Finish() {
	if p.printedAnything {
		p.print(p.now())
	}
}

func (p *lineProgress) print(t time.Time) {
	p.printedAnything = true
	elapsed := t.Sub(p.start).Seconds()
	rate := 0.0
	if elapsed > 0 {
		rate = float64(p.done) / elapsed
	}
	eta := "?"
	if rate > 0 {
		eta = time.Duration(float64(p.total-p.done) / rate * float64(time.Second)).Round(time.Second).String()
	}
	fmt.Fprintf(p.w, "%s %d/%d (%d%%), %.0f actions/s, ETA %s\n", bi("sent", "已发送"), p.done, p.total,
		p.done*100/max(p.total, 1), rate, eta)
}
