package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/wxads/wxads/bench"
)

type benchOptions struct {
	adminToken    string
	load          bench.Load
	baseline      string
	ab            int
	serverPID     int
	storeDir      string
	storeURL      string
	reportClients int
	reportSet     int64
	reportToken   string
	reportEnd     string
	reportDays    int
	reportGran    string
	reportAgg     string
}

// NewCmdBench is `wxads bench`: load against a running server, optionally
// alternated with a ceiling run in the same process (--baseline, --ab), so
// that a shared machine still gives comparable ratios.
func NewCmdBench(f *Factory) *cobra.Command {
	o := &benchOptions{}
	cmd := &cobra.Command{
		Use:   "bench [flags]",
		Short: "Load-test a server's user_actions/add against its ceilings / 压测上报接口",
		Long: `Creates its own advertiser, app, data source and 50 000 followers over the admin
API of --server, then sends user_actions/add (or token, or reports under upload
load) from --clients clients for --duration and prints actions/s, requests/s,
latency percentiles, errors by code and the server's RSS. At the end the data
source's report must count exactly the actions acknowledged.
创建自己的广告主、应用、数据源和关注者，按参数并发上报并统计吞吐、延迟、错误和内存。

--baseline http runs a naive in-process server that only decodes (the HTTP
ceiling); --baseline store writes the same rows into a fresh SQLite store with
no HTTP (the storage ceiling), or into a fresh PostgreSQL schema with
--store-url (its Ingest writes with COPY) for a server on --db postgres. --ab N alternates wxads and the baseline N times
and prints each ratio: on a shared machine only these ratios mean anything.`,
		Example: `  wxads serve --data /tmp/b --addr 127.0.0.1:18081 --admin-token $(printf 'a%.0s' {1..32}) &
  wxads bench --server http://127.0.0.1:18081 --admin-token … -c 16 -b 50 -d 10s --baseline store --ab 2`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return runBench(cmd.Context(), f, o)
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&o.adminToken, "admin-token", "", "admin API bearer token (WXADS_ADMIN_TOKEN)")
	fl.IntVarP(&o.load.Clients, "clients", "c", 16, "concurrent clients, one request in flight each")
	fl.IntVarP(&o.load.Batch, "batch", "b", 50, "actions per user_actions/add request (1–50)")
	fl.DurationVarP(&o.load.Duration, "duration", "d", 10*time.Second, "length of each run")
	fl.StringVar(&o.load.Mode, "mode", "upload", "upload | token (GET /cgi-bin/token) | report (reports while uploads run) | templates (GET /v1.1/adcreative_templates/get)")
	fl.IntVar(&o.reportClients, "report-clients", 2, "clients reading reports in --mode report")
	fl.Int64Var(&o.reportSet, "report-set", 0, "--mode report reads this existing data source (with --report-token) instead of the run's own")
	fl.StringVar(&o.reportToken, "report-token", "", "an access_token of --report-set's app")
	fl.StringVar(&o.reportEnd, "report-end", "", "last day of --report-set's reports, YYYY-MM-DD (default today, GMT+8)")
	fl.IntVar(&o.reportDays, "report-days", 30, "days of --report-set's reports (1-31 for HOURLY)")
	fl.StringVar(&o.reportGran, "report-granularity", "HOURLY", "time_granularity of --report-set's reports: HOURLY or DAILY")
	fl.StringVar(&o.reportAgg, "report-aggregation", "ACTION_TYPE", "aggregation of --report-set's reports: ACTION_TYPE, DOMAIN or NONE")
	fl.StringVar(&o.baseline, "baseline", "", "http | store: the ceiling to compare with")
	fl.IntVar(&o.ab, "ab", 0, "alternate wxads and --baseline this many times (default 1 with --baseline)")
	fl.IntVar(&o.serverPID, "server-pid", 0, "server process whose RSS to report (default: the local process listening on --server)")
	fl.StringVar(&o.storeDir, "store-dir", "", "directory for --baseline store databases (default a temporary one, removed after)")
	fl.StringVar(&o.storeURL, "store-url", "", "--baseline store on PostgreSQL: a postgres:// URL (a fresh schema is made and dropped); compare a --db postgres server with this")
	return cmd
}

func runBench(ctx context.Context, f *Factory, o *benchOptions) error {
	l := &o.load
	l.ReportClients = o.reportClients
	if o.reportSet != 0 {
		end := time.Now()
		if o.reportEnd != "" {
			var err error
			if end, err = time.ParseInLocation(time.DateOnly, o.reportEnd, gmt8); err != nil {
				return usagef("--report-end %q: want YYYY-MM-DD / 日期格式应为 YYYY-MM-DD", o.reportEnd)
			}
		}
		maxDays := 31
		if o.reportGran == "DAILY" {
			maxDays = 366
		}
		if o.reportToken == "" || l.Mode != "report" || o.reportDays < 1 || o.reportDays > maxDays {
			return usagef("--report-set needs --mode report, --report-token and --report-days 1-%d / 需要 --mode report、--report-token，天数 1–%d", maxDays, maxDays)
		}
		if !slices.Contains([]string{"HOURLY", "DAILY"}, o.reportGran) || !slices.Contains([]string{"ACTION_TYPE", "DOMAIN", "NONE"}, o.reportAgg) {
			return usagef("--report-granularity %q --report-aggregation %q: use HOURLY or DAILY, and ACTION_TYPE, DOMAIN or NONE / 粒度为 HOURLY 或 DAILY，聚合为 ACTION_TYPE、DOMAIN 或 NONE", o.reportGran, o.reportAgg)
		}
		l.Reports = &bench.ReportTarget{Set: o.reportSet, Token: o.reportToken, End: end, Days: o.reportDays,
			Granularity: o.reportGran, Aggregation: o.reportAgg}
	}
	switch {
	case !slices.Contains([]string{"upload", "token", "report", "templates"}, l.Mode):
		return usagef("--mode %q: use upload, token, report or templates / 模式只能是 upload、token、report 或 templates", l.Mode)
	case l.Batch < 1 || l.Batch > 50:
		return usagef("--batch %d: a request holds 1 to 50 actions / 每个请求 1–50 条", l.Batch)
	case l.Clients < 1:
		return usagef("--clients must be at least 1")
	case o.baseline != "" && o.baseline != "http" && o.baseline != "store":
		return usagef("--baseline %q: use http or store / 基线只能是 http 或 store", o.baseline)
	case o.baseline == "store" && l.Mode != "upload":
		return usagef("--baseline store compares uploads only: use --mode upload")
	case o.storeURL != "" && o.baseline != "store":
		return usagef("--store-url is for --baseline store")
	case o.ab > 0 && o.baseline == "":
		return usagef("--ab needs --baseline http or store")
	}
	if o.baseline != "" && o.ab == 0 {
		o.ab = 1
	}
	s, err := f.Settings(o.adminToken)
	if err != nil {
		return err
	}
	if s.AdminToken == "" {
		return errNoCredentials("admin token", "admin-token", "WXADS_ADMIN_TOKEN")
	}
	out := f.IO.Out
	client := bench.NewClient(l.Clients + l.ReportClients)
	fmt.Fprintf(out, "setting up on %s (advertiser, app, data source, %d followers)…\n", s.Server, bench.Users/2)
	target, err := bench.Setup(client, s.Server, s.AdminToken)
	if err != nil {
		return fmt.Errorf("setup: %w", err)
	}
	pid := o.serverPID
	if pid == 0 {
		pid = bench.ServerPID(s.Server)
	}
	fmt.Fprintf(out, "mode=%s clients=%d batch=%d duration=%s baseline=%s load average %s\n",
		l.Mode, l.Clients, l.Batch, l.Duration, orNone(o.baseline), loadAverage())
	var acked int64
	runs := max(o.ab, 1)
	for i := range runs {
		l.Run = time.Now().UnixNano()
		res := bench.Drive(ctx, client, target, *l)
		acked += res.Actions
		printResult(out, "wxads", *l, res)
		printRSS(out, "wxads server", pid)
		if o.baseline == "" {
			continue
		}
		base, err := runBaseline(ctx, o)
		if err != nil {
			return fmt.Errorf("baseline %s: %w", o.baseline, err)
		}
		printResult(out, "baseline "+o.baseline, *l, base)
		fmt.Fprintf(out, "ratio %d/%d: wxads ÷ %s ceiling = %s\n", i+1, runs, o.baseline, ratio(l.Mode, res, base))
	}
	if l.Mode == "token" || l.Mode == "templates" {
		return nil
	}
	raw, err := bench.RawCount(client, target)
	if err != nil {
		return err
	}
	if raw != acked {
		fmt.Fprintf(f.IO.ErrOut, "✗ report raw_action_count %d ≠ %d actions acknowledged / 报表计数与已确认数不符\n", raw, acked)
		return exitCode(1)
	}
	fmt.Fprintf(out, "✓ report raw_action_count %d = actions acknowledged / 报表计数与已确认数一致\n", raw)
	return nil
}

func runBaseline(ctx context.Context, o *benchOptions) (bench.Result, error) {
	l := o.load
	l.Run = time.Now().UnixNano()
	if o.baseline == "store" {
		dir := o.storeDir
		if dir == "" {
			tmp, err := os.MkdirTemp("", "wxads-bench-")
			if err != nil {
				return bench.Result{}, err
			}
			defer os.RemoveAll(tmp)
			dir = tmp
		} else if sub, err := os.MkdirTemp(dir, "ceiling-"); err == nil {
			dir = sub
		} else {
			return bench.Result{}, err
		}
		return bench.BaselineStore(ctx, dir, o.storeURL, l)
	}
	t, stop, err := bench.BaselineHTTP()
	if err != nil {
		return bench.Result{}, err
	}
	defer stop()
	return bench.Drive(ctx, bench.NewClient(l.Clients+l.ReportClients), t, l), nil
}

func printResult(w io.Writer, name string, l bench.Load, r bench.Result) {
	secs := r.Elapsed.Seconds()
	fmt.Fprintf(w, "%-16s %9.0f actions/s %8.0f requests/s  %s  errors %s\n", name, r.ActionsPerSecond,
		float64(r.Requests)/secs, r.Latency, errorsText(r.Errors))
	if l.Mode == "report" && r.Reports > 0 {
		fmt.Fprintf(w, "%-16s %9.0f reports/s  report %s\n", "", float64(r.Reports)/secs, r.ReportLatency)
	}
}

func printRSS(w io.Writer, name string, pid int) {
	if pid == 0 {
		fmt.Fprintf(w, "%-16s RSS unknown (not local, or give --server-pid)\n", name)
		return
	}
	if rss, err := bench.RSS(pid); err == nil {
		fmt.Fprintf(w, "%-16s RSS %.1f MB (pid %d)\n", name, float64(rss)/(1<<20), pid)
	}
}

// ratio compares what the mode measures: actions/s for uploads, requests/s
// for token fetches.
func ratio(mode string, a, b bench.Result) string {
	if mode == "token" || mode == "templates" {
		return fmt.Sprintf("%.2f (requests/s)", float64(a.Requests)/a.Elapsed.Seconds()/(float64(b.Requests)/b.Elapsed.Seconds()))
	}
	if b.ActionsPerSecond == 0 {
		return "n/a (the baseline stored nothing)"
	}
	return fmt.Sprintf("%.2f (actions/s)", a.ActionsPerSecond/b.ActionsPerSecond)
}

func errorsText(m map[string]int64) string {
	if len(m) == 0 {
		return "none"
	}
	var parts []string
	for k, v := range m {
		parts = append(parts, fmt.Sprintf("%s×%d", k, v))
	}
	slices.Sort(parts)
	return strings.Join(parts, ", ")
}

func orNone(s string) string {
	if s == "" {
		return "none"
	}
	return s
}

// loadAverage is the 1-minute load average, to record how shared the
// machine was during the run.
func loadAverage() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "unknown"
	}
	return strings.Join(strings.Fields(string(b))[:3], " ")
}
