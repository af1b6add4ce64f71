package rollup

import (
	"reflect"
	"testing"

	"github.com/wxads/wxads"
)

// TestDeltas: each action counts once in each cube at each granularity,
// in its GMT+8 hour and day; a type row carries no domain and a domain row
// no type; Sorted orders keys by set, period, then the dimension.
func TestDeltas(t *testing.T) {
	const day = 1795363200 // 2026-11-23 00:00 GMT+8
	d := NewDeltas()
	for _, a := range []wxads.Action{
		{SetID: 2, ActionTime: day + 3600 + 5, ActionType: "REGISTER", Domain: "b.example", Identified: true},
		{SetID: 2, ActionTime: day + 3600 + 9, ActionType: "REGISTER", Domain: "a.example"},
		{SetID: 2, ActionTime: day + 7200, ActionType: "CUSTOM", CustomAction: "share", Domain: "a.example", Identified: true},
		{SetID: 1, ActionTime: day - 1, ActionType: "REGISTER", Domain: ""}, // the day before, 23:59:59
	} {
		d.Add(&a)
	}
	want := map[Key]*Counts{
		{Set: 2, Period: day + 3600, ActionType: "REGISTER"}:                {Raw: 2, Identified: 1},
		{Set: 2, Period: day + 7200, ActionType: "CUSTOM", Custom: "share"}: {Raw: 1, Identified: 1},
		{Set: 1, Period: day - 3600, ActionType: "REGISTER"}:                {Raw: 1},
	}
	if !reflect.DeepEqual(d.Types[Hourly], want) {
		t.Errorf("hourly types %v", d.Types[Hourly])
	}
	want = map[Key]*Counts{
		{Set: 2, Period: day, ActionType: "REGISTER"}:                {Raw: 2, Identified: 1},
		{Set: 2, Period: day, ActionType: "CUSTOM", Custom: "share"}: {Raw: 1, Identified: 1},
		{Set: 1, Period: day - 86400, ActionType: "REGISTER"}:        {Raw: 1},
	}
	if !reflect.DeepEqual(d.Types[Daily], want) {
		t.Errorf("daily types %v", d.Types[Daily])
	}
	want = map[Key]*Counts{
		{Set: 2, Period: day, Domain: "a.example"}: {Raw: 2, Identified: 1},
		{Set: 2, Period: day, Domain: "b.example"}: {Raw: 1, Identified: 1},
		{Set: 1, Period: day - 86400}:              {Raw: 1},
	}
	if !reflect.DeepEqual(d.Domains[Daily], want) {
		t.Errorf("daily domains %v", d.Domains[Daily])
	}
	got := Sorted(d.Domains[Hourly])
	wantKeys := []Key{{Set: 1, Period: day - 3600}, {Set: 2, Period: day + 3600, Domain: "a.example"},
		{Set: 2, Period: day + 3600, Domain: "b.example"}, {Set: 2, Period: day + 7200, Domain: "a.example"}}
	if !reflect.DeepEqual(got, wantKeys) {
		t.Errorf("sorted hourly domains %v, want %v", got, wantKeys)
	}
}
