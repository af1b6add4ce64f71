// Package errcode is the registry of platform return codes: every row of the
// Marketing API table (seed 000) and of WeChat's global table (seed 001),
// the literal errmsgs of seed 000's FAQ, and the Tencent v1.1 auth codes of
// the spec, each bilingual, with fixes for the codes people hit most.
//
// The tables are parsed from the seeds by ./internal/gen into marketing.tsv
// and global.tsv, which are checked in and embedded; extra.tsv is written by
// hand. The package imports only the standard library so that both the
// server and the client SDK can build on it.
package errcode

//go:generate go run ./internal/gen

import (
	"cmp"
	"embed"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"
)

// Entry is one meaning of a code. A code can have several, one per table
// row: the product areas of seed 001 reuse codes.
type Entry struct {
	Code      int    `json:"code"`
	Area      string `json:"area"`       // product area; "" where the table names none
	MessageCN string `json:"message_cn"` // may hold placeholders such as {Param}
	MessageEN string `json:"message_en"` // may hold placeholders such as {PARAM}
	Source    string `json:"source"`     // "seed000", "seed000-faq", "seed001" or "spec"
}

// Sources in registry order: a code's entries are listed, and its message
// chosen, in this order.
const (
	SourceMarketing = "seed000"     // seed 000's return-code table
	SourceFAQ       = "seed000-faq" // literal errmsgs of seed 000's FAQ
	SourceGlobal    = "seed001"     // seed 001, WeChat's global table
	SourceSpec      = "spec"        // SPEC §4: Tencent v1.1 auth codes
)

var sourceRank = map[string]int{SourceMarketing: 0, SourceFAQ: 1, SourceGlobal: 2, SourceSpec: 3}

//go:embed marketing.tsv global.tsv extra.tsv
var dataFS embed.FS

// dataFiles are the embedded files, all in the format ./internal/gen writes.
var dataFiles = []string{"marketing.tsv", "global.tsv", "extra.tsv"}

const header = "code\tarea\tmessage_cn\tmessage_en\tsource"

type registry struct {
	entries []Entry         // registry order
	byCode  map[int][]Entry // each in registry order
}

// load parses the embedded files. They are fixed at build time and the
// tests parse them, so a failure is a bug in the build, not a runtime error.
var load = sync.OnceValue(func() *registry {
	reg, err := parse()
	if err != nil {
		panic("errcode: " + err.Error())
	}
	return reg
})

func parse() (*registry, error) {
	var all []Entry
	for _, name := range dataFiles {
		b, err := dataFS.ReadFile(name)
		if err != nil {
			return nil, err
		}
		entries, err := parseTSV(string(b))
		if err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		all = append(all, entries...)
	}
	slices.SortStableFunc(all, func(a, b Entry) int {
		return cmp.Compare(sourceRank[a.Source], sourceRank[b.Source])
	})
	reg := &registry{entries: all, byCode: make(map[int][]Entry)}
	for _, e := range all {
		reg.byCode[e.Code] = append(reg.byCode[e.Code], e)
	}
	return reg, nil
}

func parseTSV(text string) ([]Entry, error) {
	lines := strings.Split(strings.TrimSuffix(text, "\n"), "\n")
	if lines[0] != header {
		return nil, fmt.Errorf("header %q, want %q", lines[0], header)
	}
	entries := make([]Entry, 0, len(lines)-1)
	for i, l := range lines[1:] {
		f := strings.Split(l, "\t")
		if len(f) != 5 {
			return nil, fmt.Errorf("line %d: %d fields, want 5", i+2, len(f))
		}
		code, err := strconv.Atoi(f[0])
		if err != nil {
			return nil, fmt.Errorf("line %d: %w", i+2, err)
		}
		if _, ok := sourceRank[f[4]]; !ok {
			return nil, fmt.Errorf("line %d: unknown source %q", i+2, f[4])
		}
		entries = append(entries, Entry{Code: code, Area: f[1], MessageCN: f[2], MessageEN: f[3], Source: f[4]})
	}
	return entries, nil
}

// Lookup returns every entry of code in registry order: seed 000's table,
// its FAQ, seed 001 (in the seed's order), the spec. It returns nil for an
// unknown code.
func Lookup(code int) []Entry {
	return slices.Clone(load().byCode[code])
}

// All returns every entry of the registry in registry order.
func All() []Entry {
	return slices.Clone(load().entries)
}

// Known reports whether the registry holds code.
func Known(code int) bool {
	return len(load().byCode[code]) > 0
}

// Message returns the English and Chinese message of code's first entry,
// the one the platform sends (SPEC §3): the Marketing table's row, else the
// FAQ's literal errmsg (48001 "api unauthorized"), else seed 001's first
// row. Placeholders are left in; see Format. Unknown codes give "", "".
func Message(code int) (en, cn string) {
	entries := load().byCode[code]
	if len(entries) == 0 {
		return "", ""
	}
	return entries[0].MessageEN, entries[0].MessageCN
}

// Search returns the entries whose English or Chinese message, or whose
// code's hint, contains text, ignoring case; in registry order. Blank text
// matches nothing.
func Search(text string) []Entry {
	text = strings.ToLower(strings.TrimSpace(text))
	if text == "" {
		return nil
	}
	var out []Entry
	for _, e := range load().entries {
		if strings.Contains(strings.ToLower(e.MessageEN), text) ||
			strings.Contains(strings.ToLower(e.MessageCN), text) ||
			strings.Contains(strings.ToLower(Hint(e.Code)), text) {
			out = append(out, e)
		}
	}
	return out
}
