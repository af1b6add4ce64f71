package errcode_test

import (
	"testing"

	"github.com/wxads/wxads"
	"github.com/wxads/wxads/errcode"
)

// The server's error writer takes its messages from the registry, so every
// code the server can emit must be in it.
func TestEmittedCodesKnown(t *testing.T) {
	for _, code := range wxads.EmittedCodes {
		if !errcode.Known(code) {
			t.Errorf("the server emits %d, which the registry lacks", code)
		}
		if en, _ := errcode.Message(code); en == "" {
			t.Errorf("code %d has no English message", code)
		}
	}
}
