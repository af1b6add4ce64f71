package main

import (
	"encoding/json"
	"os"
	"testing"
)

// TestMain lets a test run this binary as a `wxads` child process: with
// WXADS_TEST_CHILD_ARGS set (a JSON array of arguments) the test binary runs
// the command instead of the tests. Crash tests kill such a child.
func TestMain(m *testing.M) {
	if raw := os.Getenv("WXADS_TEST_CHILD_ARGS"); raw != "" {
		var args []string
		if err := json.Unmarshal([]byte(raw), &args); err != nil {
			os.Exit(3)
		}
		os.Exit(run(args, os.Stdout, os.Stderr))
	}
	os.Exit(m.Run())
}
