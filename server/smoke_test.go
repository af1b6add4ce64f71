package server_test

import (
	"testing"
)

func TestHarnessSmoke(t *testing.T) {
	h := newHarness(t)
	tn := h.newTenant()
	set := h.newSet(tn, "s1")
	if set == 0 {
		t.Fatal("no set id")
	}
	h.followers(tn.AppID, 3)
}
