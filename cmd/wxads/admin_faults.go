package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"strconv"

	"github.com/spf13/cobra"

	"github.com/wxads/wxads/client"
)

func newCmdAdminFaults(o *AdminOptions) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "faults",
		Short: "Make API calls fail on purpose, to test a client's retries / 故障注入",
		Long: `Fault rules make matching calls of the platform fail with a real error shape
(SPEC §12): by route, appid, errcode or HTTP status, delay, at random (--rate)
or for the next --count calls. A faulted upload stores nothing. Rules live in
memory on the node that received them: behind a load balancer, set each node.
故障规则按接口、appid、错误码或 HTTP 状态、延迟、比例或次数使调用失败；规则保存在接收它的节点内存中。`,
		Args: cobra.NoArgs,
	}
	var rule client.FaultRule
	var file string
	set := &cobra.Command{
		Use:   "set [--route R] [--errcode N] [--http-status S] [--delay-ms D] [--rate F] [--count N] [--appid A] [--account-id N] | --file RULES.json",
		Short: "Replace the rules with one rule from the flags, or the rules of a file / 设置故障规则",
		Example: `  wxads admin faults set --route "POST /marketing/user_actions/add" --errcode -1 --rate 0.2
  wxads admin faults set --route /cgi-bin/stable_token --http-status 502 --count 3
  wxads admin faults set --file rules.json   # {"rules":[{...},{...}]}`,
		Args: cobra.NoArgs,
		RunE: o.run(bi("faults not set", "设置故障规则失败"), func(ctx context.Context, a *client.Admin) error {
			rules := []client.FaultRule{rule}
			if file != "" {
				var err error
				if rules, err = readFaultFile(file); err != nil {
					return err
				}
			}
			got, err := a.SetFaults(ctx, rules)
			if err != nil {
				return err
			}
			return o.printFaults(got)
		}),
	}
	set.Flags().StringVar(&rule.Route, "route", "", `"METHOD /path" or "/path" (default every API route)`)
	set.Flags().IntVar(&rule.Errcode, "errcode", 0, "errcode answered, e.g. -1, 45011, 40001 (default -1 with --http-status)")
	set.Flags().IntVar(&rule.HTTPStatus, "http-status", 0, "HTTP status answered, 400-599 (default 200)")
	set.Flags().IntVar(&rule.DelayMS, "delay-ms", 0, "wait before answering; alone, a slow but normal call")
	set.Flags().Float64Var(&rule.Rate, "rate", 0, "fraction of matching calls faulted at random, 0-1 (default all)")
	set.Flags().IntVar(&rule.Count, "count", 0, "fault only the next N matching calls (default no limit)")
	set.Flags().StringVar(&rule.AppID, "appid", "", "only this app's calls (default any app)")
	set.Flags().Int64Var(&rule.AccountID, "account-id", 0, "only calls acting for this advertiser, OAuth tokens included (default any)")
	set.Flags().StringVar(&file, "file", "", `JSON file {"rules":[...]} as PUT /admin/v1/faults takes it`)

	list := &cobra.Command{
		Use: "list", Short: "Show the rules and how often each fired / 查看故障规则及命中次数", Args: cobra.NoArgs,
		RunE: o.run(bi("cannot list faults", "查询故障规则失败"), func(ctx context.Context, a *client.Admin) error {
			rules, err := a.Faults(ctx)
			if err != nil {
				return err
			}
			return o.printFaults(rules)
		}),
	}
	clear := &cobra.Command{
		Use: "clear", Short: "Remove every rule / 清除故障规则", Args: cobra.NoArgs,
		RunE: o.run(bi("faults not cleared", "清除故障规则失败"), func(ctx context.Context, a *client.Admin) error {
			if err := a.ClearFaults(ctx); err != nil {
				return err
			}
			fmt.Fprintln(o.F.IO.Out, bi("every fault rule removed", "故障规则已全部清除"))
			return nil
		}),
	}
	cmd.AddCommand(set, list, clear)
	return cmd
}

func readFaultFile(path string) ([]client.FaultRule, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, usageError{err}
	}
	var v struct {
		Rules []client.FaultRule `json:"rules"`
	}
	if err := json.Unmarshal(b, &v); err != nil {
		return nil, usageError{fmt.Errorf(`%s: %v: %s`, path, err, bi(`want {"rules":[{"route":…,"errcode":…}]}`, `应为 {"rules":[{"route":…,"errcode":…}]}`))}
	}
	return v.Rules, nil
}

func (o *AdminOptions) printFaults(rules []client.FaultRule) error {
	if o.JSON {
		return printJSON(o.F.IO.Out, map[string]any{"rules": rules})
	}
	if len(rules) == 0 {
		fmt.Fprintln(o.F.IO.Out, bi("no fault rules: every call is answered normally", "无故障规则，所有调用正常应答"))
		return nil
	}
	tw := newTable(o.F.IO.Out)
	fmt.Fprintln(tw, "ROUTE\tAPPID\tERRCODE\tHTTP\tDELAY_MS\tRATE\tCOUNT\tHITS")
	orAny := func(s string) string {
		if s == "" {
			return "*"
		}
		return s
	}
	orAll := func(n int) string {
		if n == 0 {
			return "-"
		}
		return strconv.Itoa(n)
	}
	for _, r := range rules {
		rate := "-"
		if r.Rate > 0 {
			rate = strconv.FormatFloat(r.Rate, 'g', -1, 64)
		}
		fmt.Fprintf(tw, "%s\t%s\t%d\t%s\t%s\t%s\t%s\t%d\n", orAny(r.Route), orAny(r.AppID), r.Errcode,
			orAll(r.HTTPStatus), orAll(r.DelayMS), rate, orAll(r.Count), r.Hits)
	}
	return tw.Flush()
}
