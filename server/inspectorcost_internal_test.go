package server

import (
	"strings"
	"testing"

	"github.com/wxads/wxads"
)

// A queued upload record keeps its body's whole buffer and the decoded
// actions alive; the inspector's memory bound must count both, or a flood of
// large batches holds several times the bound (it counted len(body) only).
func TestInspectorRecordCost(t *testing.T) {
	body := make([]byte, 1<<20, 2<<20)
	kept := make([]wxads.Action, 50)
	for i := range kept {
		kept[i].Param = []byte(`{"note":"` + strings.Repeat("x", 20000) + `"}`)
	}
	rec := &record{body: body, upload: &uploadNote{indexes: make([]int, 50), kept: kept}}
	if got, min := rec.cost(), int64(2<<20+50*20000); got < min {
		t.Errorf("cost %d bytes, want at least %d (buffer capacity plus the decoded action_param)", got, min)
	}
	if got := (&record{}).cost(); got <= 0 {
		t.Errorf("an empty record costs %d", got)
	}
}
