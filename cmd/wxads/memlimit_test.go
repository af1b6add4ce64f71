package main

import (
	"io"
	"math"
	"runtime/debug"
	"testing"
)

func TestMemoryLimit(t *testing.T) {
	m := NewMain(io.Discard, io.Discard)
	if err := m.ParseFlags([]string{"--memory-limit", "-1"}); err == nil {
		t.Error("--memory-limit -1 was accepted")
	}
	if err := m.ParseFlags(nil); err != nil || m.Config.MemoryLimitMiB != DefaultMemoryLimitMiB {
		t.Fatalf("default --memory-limit: %d, %v", m.Config.MemoryLimitMiB, err)
	}
	prev := debug.SetMemoryLimit(-1)
	defer debug.SetMemoryLimit(prev)
	t.Setenv("GOMEMLIMIT", "")
	applyMemoryLimit(300)
	if got := debug.SetMemoryLimit(-1); got != 300<<20 {
		t.Errorf("limit %d, want %d", got, 300<<20)
	}
	debug.SetMemoryLimit(math.MaxInt64)
	t.Setenv("GOMEMLIMIT", "1GiB") // the operator's own choice wins
	applyMemoryLimit(300)
	if got := debug.SetMemoryLimit(-1); got != math.MaxInt64 {
		t.Errorf("GOMEMLIMIT set, yet the limit became %d", got)
	}
}
