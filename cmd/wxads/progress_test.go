package main

import (
	"bytes"
	"strings"
	"testing"
	"time"
)

// Off a terminal: a plain line per interval with the rate and time left,
// and nothing at all for an upload quicker than one interval.
func TestLineProgress(t *testing.T) {
	now := time.Date(2026, 11, 20, 10, 0, 0, 0, time.UTC)
	clock := func() time.Time { return now }
	var out bytes.Buffer
	p := newProgress(IOStreams{ErrOut: &out}, 1000, clock)
	p.Add(100)
	now = now.Add(time.Second)
	p.Add(100)
	if out.Len() != 0 {
		t.Fatalf("a line before the interval: %q", out.String())
	}
	now = now.Add(time.Second)
	p.Add(300) // 500 in 2 s: 250/s, 500 left: 2 s
	now = now.Add(4 * time.Second)
	p.Add(500)
	p.Finish()
	want := "sent / 已发送 500/1000 (50%), 250 actions/s, ETA 2s\n" +
		"sent / 已发送 1000/1000 (100%), 167 actions/s, ETA 0s\n"
	if out.String() != want {
		t.Errorf("got:\n%s\nwant:\n%s", out.String(), want)
	}

	out.Reset()
	quick := newProgress(IOStreams{ErrOut: &out}, 10, clock)
	quick.Add(10)
	quick.Finish()
	if out.Len() != 0 {
		t.Errorf("a quick upload printed %q", out.String())
	}
}

// On a terminal: schollz/progressbar with the count, rate and ETA.
func TestBarProgress(t *testing.T) {
	var out bytes.Buffer
	p := newProgress(IOStreams{ErrOut: &out, TTY: true}, 200, time.Now)
	p.Add(200)
	p.Finish()
	for _, want := range []string{"sending / 发送中", "100%", "(200/200", "actions/s"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("bar lacks %q: %q", want, out.String())
		}
	}
}
