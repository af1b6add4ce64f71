package main

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/wxads/wxads/client"
)

// AdminOptions are shared by every `wxads admin` command.
type AdminOptions struct {
	F     *Factory
	Token string // --admin-token
	JSON  bool
}

// admin returns the admin API client.
func (o *AdminOptions) admin() (*client.Admin, error) { return o.F.Admin(o.Token) }

// NewCmdAdmin groups the admin API commands (SPEC §5).
func NewCmdAdmin(f *Factory) *cobra.Command {
	o := &AdminOptions{F: f}
	cmd := &cobra.Command{
		Use:   "admin",
		Short: "Operate the platform: advertisers, apps, followers, ad events, clock / 平台管理",
		Long: `Calls the admin API (/admin/v1) with the admin token: --admin-token, then
WXADS_ADMIN_TOKEN, then "admin_token" in the config file. A server started
without one generated it into DATA/admin-token.
管理接口需要 admin token（--admin-token、WXADS_ADMIN_TOKEN 或配置文件）。`,
		Args: cobra.NoArgs,
	}
	cmd.PersistentFlags().StringVar(&o.Token, "admin-token", "", "admin API token (WXADS_ADMIN_TOKEN)")
	cmd.PersistentFlags().BoolVar(&o.JSON, "json", false, "print JSON")
	cmd.AddCommand(newCmdAdminAdvertiser(o), newCmdAdminApp(o), newCmdAdminFollowers(o),
		newCmdAdminAdEvents(o), newCmdAdminClock(o), newCmdAdminFaults(o))
	return cmd
}

// adminRun is the RunE of an admin command: it gets the admin client and
// runs fn, explaining a platform refusal.
func (o *AdminOptions) run(what string, fn func(ctx context.Context, a *client.Admin) error) func(*cobra.Command, []string) error {
	return func(cmd *cobra.Command, args []string) error {
		a, err := o.admin()
		if err != nil {
			return err
		}
		if err := fn(cmd.Context(), a); err != nil {
			var ae *client.APIError
			switch {
			case errors.As(err, &ae) && ae.HTTPStatus == http.StatusUnauthorized:
				return fmt.Errorf("%s: %s", what, bi("the admin token is missing or wrong: give --admin-token or WXADS_ADMIN_TOKEN (a server started without one wrote it to DATA/admin-token)",
					"admin token 缺失或错误，请用 --admin-token 或 WXADS_ADMIN_TOKEN 提供（未指定时服务端生成于 DATA/admin-token）"))
			case errors.As(err, new(usageError)):
				return err
			}
			return apiError(what, err)
		}
		return nil
	}
}

func newCmdAdminAdvertiser(o *AdminOptions) *cobra.Command {
	cmd := &cobra.Command{Use: "advertiser", Short: "Create, list, read and approve advertisers / 广告主", Args: cobra.NoArgs}
	var name, status string
	create := &cobra.Command{
		Use:   "create --name NAME [--status APPROVED|PENDING]",
		Short: "Create an advertiser and print its account_id / 创建广告主",
		Args:  cobra.NoArgs,
		RunE: o.run(bi("advertiser not created", "创建广告主失败"), func(ctx context.Context, a *client.Admin) error {
			id, err := a.CreateAdvertiser(ctx, name, strings.ToUpper(status))
			if err != nil {
				return err
			}
			if o.JSON {
				return printJSON(o.F.IO.Out, map[string]int64{"account_id": id})
			}
			fmt.Fprintf(o.F.IO.Out, "%s: account_id %d\n", bi("advertiser created", "广告主已创建"), id)
			return nil
		}),
	}
	create.Flags().StringVar(&name, "name", "", "advertiser name (required)")
	create.Flags().StringVar(&status, "status", "APPROVED", "APPROVED or PENDING (PENDING gets 48001 on every API call)")
	create.MarkFlagRequired("name")

	list := &cobra.Command{
		Use:   "list",
		Short: "List advertisers / 广告主列表",
		Args:  cobra.NoArgs,
		RunE: o.run(bi("cannot list advertisers", "查询广告主失败"), func(ctx context.Context, a *client.Admin) error {
			advs, err := a.Advertisers(ctx)
			if err != nil {
				return err
			}
			return o.printAdvertisers(advs)
		}),
	}
	var id int64
	get := &cobra.Command{
		Use:   "get ACCOUNT_ID",
		Short: "Show one advertiser / 查看广告主",
		Args:  cobra.ExactArgs(1),
		PreRunE: func(cmd *cobra.Command, args []string) (err error) {
			id, err = accountArg(args[0])
			return err
		},
		RunE: o.run(bi("cannot read advertiser", "查询广告主失败"), func(ctx context.Context, a *client.Admin) error {
			adv, err := a.Advertiser(ctx, id)
			if err != nil {
				return err
			}
			if o.JSON {
				return printJSON(o.F.IO.Out, adv)
			}
			return o.printAdvertisers([]client.Advertiser{*adv})
		}),
	}
	setStatus := &cobra.Command{
		Use:   "status ACCOUNT_ID APPROVED|PENDING",
		Short: "Approve or suspend an advertiser / 设置广告主状态",
		Args:  cobra.ExactArgs(2),
		PreRunE: func(cmd *cobra.Command, args []string) (err error) {
			id, err = accountArg(args[0])
			status = strings.ToUpper(args[1])
			return err
		},
		RunE: o.run(bi("status not changed", "设置状态失败"), func(ctx context.Context, a *client.Admin) error {
			if err := a.SetAdvertiserStatus(ctx, id, status); err != nil {
				return err
			}
			fmt.Fprintf(o.F.IO.Out, "%s: account_id %d → %s\n", bi("status set", "状态已设置"), id, status)
			return nil
		}),
	}
	cmd.AddCommand(create, list, get, setStatus)
	return cmd
}

func (o *AdminOptions) printAdvertisers(advs []client.Advertiser) error {
	if o.JSON {
		if advs == nil {
			advs = []client.Advertiser{}
		}
		return printJSON(o.F.IO.Out, advs)
	}
	tw := newTable(o.F.IO.Out)
	fmt.Fprintln(tw, "ACCOUNT_ID\tSTATUS\tNAME\tCREATED")
	for _, a := range advs {
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\n", a.AccountID, a.Status, a.Name, a.CreatedTime)
	}
	return tw.Flush()
}

func accountArg(s string) (int64, error) {
	id, err := strconv.ParseInt(s, 10, 64)
	if err != nil || id <= 0 {
		return 0, usagef("account_id %q: want a positive integer (wxads admin advertiser list) / account_id 应为正整数", s)
	}
	return id, nil
}
