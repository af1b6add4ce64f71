package main

import (
	"os"
	"runtime/debug"
)

// DefaultMemoryLimitMiB is --memory-limit. A node at rest holds about 65 MB;
// a flood of 1 MiB uploads holds what the byte budget admits (16 MiB of
// bodies, about six times that decoded) plus the inspector's bounded queue.
// Without a limit the collector lets garbage double the heap past that: 500
// clients posting 1 MiB batches peaked at 527 MB RSS; with 256 MiB, 337 MB.
const DefaultMemoryLimitMiB = 256

// applyMemoryLimit sets the runtime's soft memory limit unless GOMEMLIMIT
// already chose one. It is a target for the collector, not a cap: live data
// above it slows the node (more collections) instead of failing it.
func applyMemoryLimit(mib int) {
	if mib <= 0 || os.Getenv("GOMEMLIMIT") != "" {
		return
	}
	debug.SetMemoryLimit(int64(mib) << 20)
}
