package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/wxads/wxads/client"
)

// LogOptions are `wxads log`'s.
type LogOptions struct {
	F         *Factory
	File      string
	Errcode   string // a code, or "errors" for every non-zero one
	Route     string // substring of the route
	Since     string // a duration back from now, or a time
	RequestID string
	JSON      bool
	Body      bool // print request and response bodies too

	since time.Time
	code  *int
}

// NewCmdLog builds `wxads log`.
func NewCmdLog(f *Factory, runF func(*LogOptions) error) *cobra.Command {
	o := &LogOptions{F: f}
	cmd := &cobra.Command{
		Use:   "log",
		Short: "Read and filter the call log (回传日志) the SDK and CLI write / 查看回传日志",
		Long: `Reads the call log: one JSON line per HTTP attempt the SDK made (time, route,
request id, errcode, duration, the bodies with secrets and tokens redacted),
rotated files oldest first. The CLI writes it to --call-log (default
~/.local/state/wxads/calls.jsonl); a program using the SDK with
client.WithCallLog writes its own — point --file at it.
读取 SDK/CLI 写下的回传日志，可按错误码、接口、时间和 request id 过滤。`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := o.complete(); err != nil {
				return err
			}
			if runF != nil {
				return runF(o)
			}
			return o.Run(cmd.Context())
		},
	}
	cmd.Flags().StringVar(&o.File, "file", "", "call log to read (default: the CLI's --call-log)")
	cmd.Flags().StringVar(&o.Errcode, "errcode", "", `only calls answered with this errcode ("errors": every non-zero one)`)
	cmd.Flags().StringVar(&o.Route, "route", "", "only calls whose route contains this, e.g. user_actions/add")
	cmd.Flags().StringVar(&o.Since, "since", "", `only calls from this time on: a duration ago ("2h") or "YYYY-MM-DD[ HH:MM:SS]" GMT+8 or RFC 3339`)
	cmd.Flags().StringVar(&o.RequestID, "request-id", "", "only the call with this X-Request-Id")
	cmd.Flags().BoolVar(&o.JSON, "json", false, "print the matching records as JSON lines")
	cmd.Flags().BoolVar(&o.Body, "body", false, "print each call's request and response bodies")
	return cmd
}

func (o *LogOptions) complete() error {
	switch o.Errcode {
	case "", "errors":
	default:
		n, err := strconv.Atoi(o.Errcode)
		if err != nil {
			return usagef("--errcode %q: want a code such as 40001, or \"errors\"", o.Errcode)
		}
		o.code = &n
	}
	if o.Since != "" {
		t, err := parseSince(o.Since, o.F.Now())
		if err != nil {
			return err
		}
		o.since = t
	}
	return nil
}

// parseSince reads --since: "90m" back from now, a GMT+8 date or date-time, or RFC 3339.
func parseSince(s string, now time.Time) (time.Time, error) {
	if d, err := time.ParseDuration(s); err == nil {
		return now.Add(-d), nil
	}
	for _, layout := range []string{time.DateTime, time.DateOnly} {
		if t, err := time.ParseInLocation(layout, s, gmt8); err == nil {
			return t, nil
		}
	}
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t, nil
	}
	return time.Time{}, usagef("--since %q: want a duration (2h), YYYY-MM-DD[ HH:MM:SS] (GMT+8) or RFC 3339", s)
}

func (o *LogOptions) match(r client.CallRecord) bool {
	switch {
	case o.code != nil && r.Errcode != *o.code:
	case o.Errcode == "errors" && r.Errcode == 0 && r.HTTPStatus < 400:
	case o.Route != "" && !strings.Contains(r.Route, o.Route):
	case !o.since.IsZero() && r.Time.Before(o.since):
	case o.RequestID != "" && r.RequestID != o.RequestID:
	default:
		return true
	}
	return false
}

func (o *LogOptions) Run(ctx context.Context) error {
	path := o.File
	if path == "" {
		s, err := o.F.Settings("")
		if err != nil {
			return err
		}
		if path = s.CallLog; path == "" {
			return usagef("no call log: the CLI's is off (--call-log off); give --file PATH / 未开启回传日志，请用 --file 指定")
		}
	}
	if _, err := os.Stat(path); errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("no call log at %s yet: client commands (and programs using client.WithCallLog) write it as they run / 回传日志尚不存在", path)
	}
	w := o.F.IO.Out
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	tw := newTable(w)
	n := 0
	err := client.ReadCallLog(path, func(r client.CallRecord) error {
		if !o.match(r) {
			return nil
		}
		n++
		if o.JSON {
			return enc.Encode(r)
		}
		if n == 1 {
			fmt.Fprintln(tw, "TIME (GMT+8)\tMETHOD\tROUTE\tHTTP\tERRCODE\tMS\tTRY\tREQUEST_ID\tERRMSG")
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%d\t%d\t%.0f\t%d\t%s\t%s\n", r.Time.In(gmt8).Format(time.DateTime), r.Method,
			r.Route, r.HTTPStatus, r.Errcode, r.DurationMS, r.Attempt, r.RequestID, r.Errmsg)
		if o.Body {
			tw.Flush()
			fmt.Fprintf(w, "  request:  %s\n  response: %s\n", oneLine(r.Request), oneLine(r.Response))
		}
		return nil
	})
	if err != nil {
		return err
	}
	if !o.JSON && n == 0 {
		fmt.Fprintln(w, bi("no call matches", "没有匹配的调用记录"))
	}
	return tw.Flush()
}

func oneLine(raw json.RawMessage) string {
	if len(raw) == 0 {
		return "-"
	}
	var b bytes.Buffer
	if json.Compact(&b, raw) != nil {
		return string(raw)
	}
	return b.String()
}
