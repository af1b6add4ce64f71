package main

import (
	"cmp"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/wxads/wxads/errcode"
)

const errcodeUsage = `usage: wxads errcode [--json] CODE...
       wxads errcode [--json] --search TEXT

Prints every entry of each CODE in the registry (both seed tables, the seed
FAQ's literal errmsgs and the v1.1 auth codes): product area, Chinese and
English message, and a hint where there is one. --search finds entries by
words in either language. Exit status: 0 found, 1 unknown code or no match,
2 usage.
`

// errcodeJSON is one entry as --json prints it.
type errcodeJSON struct {
	Code      int    `json:"code"`
	Area      string `json:"area"`
	MessageCN string `json:"message_cn"`
	MessageEN string `json:"message_en"`
	Source    string `json:"source"`
	Hint      string `json:"hint"`
}

// runErrcode runs `wxads errcode` and returns the exit status.
func runErrcode(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("errcode", flag.ContinueOnError)
	fs.SetOutput(stderr)
	search := fs.String("search", "", "find entries whose message or hint contains `TEXT` (any case, English or Chinese)")
	asJSON := fs.Bool("json", false, "print a JSON array of {code, area, message_cn, message_en, source, hint}")
	fs.Usage = func() {
		fmt.Fprint(stderr, errcodeUsage+"\nflags:\n")
		fs.PrintDefaults()
	}
	flags, words := splitErrcodeArgs(args)
	if err := fs.Parse(flags); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	words = append(words, fs.Args()...)

	usage := func(msg string) int {
		fmt.Fprintf(stderr, "wxads errcode: %s\n%s", msg, errcodeUsage)
		return 2
	}
	var entries []errcode.Entry
	status := 0
	switch {
	case *search != "" && len(words) > 0:
		return usage("give codes or --search, not both")
	case *search != "":
		entries = errcode.Search(*search)
		slices.SortStableFunc(entries, func(a, b errcode.Entry) int { return cmp.Compare(a.Code, b.Code) })
		if len(entries) == 0 {
			fmt.Fprintf(stderr, "wxads errcode: no entry matches %q\n", *search)
			status = 1
		}
	case len(words) == 0:
		return usage("give at least one code, or --search TEXT")
	default:
		codes := make([]int, len(words))
		for i, w := range words {
			c, err := strconv.Atoi(w)
			if err != nil {
				return usage(fmt.Sprintf("%q is not a code", w))
			}
			codes[i] = c
		}
		for _, c := range codes {
			e := errcode.Lookup(c)
			if e == nil {
				fmt.Fprintf(stderr, "wxads errcode: unknown code %d: it is in neither seed table nor the spec\n", c)
				status = 1
			}
			entries = append(entries, e...)
		}
	}

	if *asJSON {
		out := make([]errcodeJSON, len(entries))
		for i, e := range entries {
			out[i] = errcodeJSON{e.Code, e.Area, e.MessageCN, e.MessageEN, e.Source, errcode.Hint(e.Code)}
		}
		enc := json.NewEncoder(stdout)
		enc.SetEscapeHTML(false)
		enc.SetIndent("", "  ")
		if err := enc.Encode(out); err != nil {
			fmt.Fprintln(stderr, "wxads errcode:", err)
			return 1
		}
		return status
	}
	printEntries(stdout, entries)
	return status
}

// printEntries prints entries for people: each entry with its area and
// both messages, and after the last entry of a run of one code its hint.
func printEntries(w io.Writer, entries []errcode.Entry) {
	for i, e := range entries {
		if i > 0 && entries[i-1].Code != e.Code {
			fmt.Fprintln(w)
		}
		area, en := cmp.Or(e.Area, "-"), cmp.Or(e.MessageEN, "(none in the seed)")
		fmt.Fprintf(w, "%d  %s  [%s]\n  CN: %s\n  EN: %s\n", e.Code, area, e.Source, e.MessageCN, en)
		if h := errcode.Hint(e.Code); h != "" && (i+1 == len(entries) || entries[i+1].Code != e.Code) {
			fmt.Fprintf(w, "  hint: %s\n", h)
		}
	}
}

var negativeNumber = regexp.MustCompile(`^-[0-9]+$`)

// splitErrcodeArgs separates flags from codes, so that flags may follow the
// codes and a negative code such as -1 is not taken for a flag.
func splitErrcodeArgs(args []string) (flags, words []string) {
	for i := 0; i < len(args); i++ {
		a := args[i]
		switch {
		case a == "--":
			return flags, append(words, args[i+1:]...)
		case !strings.HasPrefix(a, "-") || a == "-" || negativeNumber.MatchString(a):
			words = append(words, a)
		default:
			flags = append(flags, a)
			if strings.TrimLeft(a, "-") == "search" && i+1 < len(args) { // its value, whatever it looks like
				i++
				flags = append(flags, args[i])
			}
		}
	}
	return flags, words
}
