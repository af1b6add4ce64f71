package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/wxads/wxads/client"
)

// gmt8 is the platform's zone for every date and hour (SPEC §2).
var gmt8 = time.FixedZone("GMT+8", 8*3600)

// bi joins the English and Chinese of a message a person reads.
func bi(en, cn string) string { return en + " / " + cn }

// printJSON writes v indented, without HTML escaping (Chinese and < stay readable).
func printJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

// newTable returns a writer aligning tab-separated columns; Flush it.
func newTable(w io.Writer) *tabwriter.Writer {
	return tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
}

// explain describes err for a person: the platform's code and message in
// both languages and the registry's hint, or the error as it stands.
func explain(err error) string {
	var ae *client.APIError
	if !errors.As(err, &ae) {
		return err.Error()
	}
	var b strings.Builder
	fmt.Fprintf(&b, "errcode %d: %s", ae.Code, ae.Message)
	if ae.MessageCN != "" && ae.MessageCN != ae.Message {
		fmt.Fprintf(&b, " / %s", ae.MessageCN)
	}
	if ae.RequestID != "" {
		fmt.Fprintf(&b, " (request %s)", ae.RequestID)
	}
	if h := ae.Hint(); h != "" {
		fmt.Fprintf(&b, "\n  hint / 提示: %s", h)
	}
	return b.String()
}

// apiError wraps err so that the top level prints it with explain.
func apiError(what string, err error) error {
	return fmt.Errorf("%s: %s", what, explain(err))
}

// parseDay parses a YYYY-MM-DD date, saying what would be valid.
func parseDay(flag, s string) (string, error) {
	if _, err := time.Parse(time.DateOnly, s); err != nil {
		return "", usagef("--%s %q: want a date YYYY-MM-DD (GMT+8) / 日期格式应为 YYYY-MM-DD", flag, s)
	}
	return s, nil
}
