package main

import (
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/wxads/wxads/client"
)

// ReportOptions are `wxads report`'s.
type ReportOptions struct {
	F                        *Factory
	SetID                    int64
	From, To                 string
	Granularity, Aggregation string
	Format                   string
}

// NewCmdReport builds `wxads report`.
func NewCmdReport(f *Factory, runF func(*ReportOptions) error) *cobra.Command {
	o := &ReportOptions{F: f}
	cmd := &cobra.Command{
		Use:   "report --set ID [--from DATE] [--to DATE]",
		Short: "Show a data source's report: raw vs identified actions / 数据源报表",
		Long: `Shows user_action_set_reports/get for a data source: per day (or hour) the
actions received (raw) and those identified as followers of your apps.
Dates are GMT+8 days, as the platform counts them; --to defaults to today
and --from to six days before --to.
按 GMT+8 自然日统计；默认最近 7 天。`,
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
	cmd.Flags().Int64Var(&o.SetID, "set", 0, "user_action_set_id (required)")
	cmd.Flags().StringVar(&o.From, "from", "", "first day, YYYY-MM-DD (default: six days before --to)")
	cmd.Flags().StringVar(&o.To, "to", "", "last day, YYYY-MM-DD (default: today, GMT+8)")
	cmd.Flags().StringVar(&o.Granularity, "granularity", "DAILY", "DAILY or HOURLY (HOURLY spans at most 31 days)")
	cmd.Flags().StringVar(&o.Aggregation, "aggregation", "", "split rows by DOMAIN or ACTION_TYPE")
	cmd.Flags().StringVar(&o.Format, "format", "table", "table, json, csv or chart")
	return cmd
}

func (o *ReportOptions) complete() error {
	if o.SetID <= 0 {
		return usagef("--set ID is required: the user_action_set_id to report on (wxads actionset list) / 需要 --set 数据源 ID")
	}
	o.Granularity, o.Aggregation, o.Format = strings.ToUpper(o.Granularity), strings.ToUpper(o.Aggregation), strings.ToLower(o.Format)
	switch {
	case o.Granularity != "DAILY" && o.Granularity != "HOURLY":
		return usagef("--granularity %q: want DAILY or HOURLY", o.Granularity)
	case o.Aggregation != "" && o.Aggregation != "DOMAIN" && o.Aggregation != "ACTION_TYPE":
		return usagef("--aggregation %q: want DOMAIN or ACTION_TYPE (or leave it out)", o.Aggregation)
	case o.Format != "table" && o.Format != "json" && o.Format != "csv" && o.Format != "chart":
		return usagef("--format %q: want table, json, csv or chart", o.Format)
	}
	if o.To == "" {
		o.To = o.F.Now().In(gmt8).Format(time.DateOnly)
	}
	to, err := parseDay("to", o.To)
	if err != nil {
		return err
	}
	if o.From == "" {
		t, _ := time.Parse(time.DateOnly, to)
		o.From = t.AddDate(0, 0, -6).Format(time.DateOnly)
	}
	_, err = parseDay("from", o.From)
	return err
}

func (o *ReportOptions) Run(ctx context.Context) error {
	c, _, err := o.F.Client()
	if err != nil {
		return err
	}
	rows, err := c.Reports.Get(ctx, client.ReportQuery{SetID: o.SetID, StartDate: o.From, EndDate: o.To,
		Granularity: o.Granularity, Aggregation: o.Aggregation})
	if err != nil {
		return apiError(bi("no report", "报表查询失败"), err)
	}
	if rows == nil {
		rows = []client.ReportRow{}
	}
	w := o.F.IO.Out
	switch o.Format {
	case "json":
		return printJSON(w, rows)
	case "csv":
		return o.csv(w, rows)
	case "chart":
		return o.chart(w, rows)
	}
	return o.table(w, rows)
}

// columns are the key columns the rows have, by granularity and aggregation.
func (o *ReportOptions) columns() []string {
	cols := []string{"date"}
	if o.Granularity == "HOURLY" {
		cols = append(cols, "hour")
	}
	switch o.Aggregation {
	case "DOMAIN":
		cols = append(cols, "domain")
	case "ACTION_TYPE":
		cols = append(cols, "action_type", "custom_action")
	}
	cols = append(cols, "raw_action_count", "identified_action_count")
	if o.Aggregation == "" {
		cols = append(cols, "identified_user_count")
	}
	return cols
}

func cell(r client.ReportRow, col string) string {
	switch col {
	case "date":
		return r.Date
	case "hour":
		if r.Hour == nil {
			return ""
		}
		return fmt.Sprintf("%02d", *r.Hour)
	case "domain":
		return r.Domain
	case "action_type":
		return r.ActionType
	case "custom_action":
		return r.CustomAction
	case "raw_action_count":
		return strconv.FormatInt(r.RawActionCount, 10)
	case "identified_action_count":
		return strconv.FormatInt(r.IdentifiedActionCount, 10)
	case "identified_user_count":
		if r.IdentifiedUserCount == nil {
			return ""
		}
		return strconv.FormatInt(*r.IdentifiedUserCount, 10)
	}
	return ""
}

func (o *ReportOptions) csv(w io.Writer, rows []client.ReportRow) error {
	cw := csv.NewWriter(w)
	cols := o.columns()
	cw.Write(cols)
	for _, r := range rows {
		rec := make([]string, len(cols))
		for i, c := range cols {
			rec[i] = cell(r, c)
		}
		cw.Write(rec)
	}
	cw.Flush()
	return cw.Error()
}

func (o *ReportOptions) table(w io.Writer, rows []client.ReportRow) error {
	fmt.Fprintf(w, "user_action_set_id %d, %s – %s (GMT+8), %s\n", o.SetID, o.From, o.To, o.Granularity)
	if len(rows) == 0 {
		fmt.Fprintln(w, bi("no actions in this period", "该时间段内没有行为数据"))
		return nil
	}
	tw := newTable(w)
	cols := o.columns()
	for i, c := range cols {
		if i > 0 {
			fmt.Fprint(tw, "\t")
		}
		fmt.Fprint(tw, columnTitle(c))
	}
	fmt.Fprintln(tw)
	var raw, ident int64
	for _, r := range rows {
		raw, ident = raw+r.RawActionCount, ident+r.IdentifiedActionCount
		for i, c := range cols {
			if i > 0 {
				fmt.Fprint(tw, "\t")
			}
			fmt.Fprint(tw, cell(r, c))
		}
		fmt.Fprintln(tw)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	fmt.Fprintf(w, "%s: raw %d, identified %d (%s)\n", bi("total", "合计"), raw, ident, percent(ident, raw))
	return nil
}

// columnTitle is a table heading: short where the JSON name is long.
func columnTitle(col string) string {
	switch col {
	case "raw_action_count":
		return "RAW"
	case "identified_action_count":
		return "IDENTIFIED"
	case "identified_user_count":
		return "USERS"
	}
	return strings.ToUpper(col)
}

func percent(part, whole int64) string {
	if whole == 0 {
		return "-"
	}
	return fmt.Sprintf("%.1f%%", float64(part)*100/float64(whole))
}
