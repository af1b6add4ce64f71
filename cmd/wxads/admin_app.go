package main

import (
	"context"
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/wxads/wxads/client"
)

func newCmdAdminApp(o *AdminOptions) *cobra.Command {
	cmd := &cobra.Command{Use: "app", Short: "Create and manage apps (official accounts) / 公众号应用", Args: cobra.NoArgs}
	var spec client.AppSpec
	var whitelist string
	create := &cobra.Command{
		Use:   "create --account ID --name NAME [--whitelist CIDR,...]",
		Short: "Create an app and print its appid and secret / 创建应用",
		Args:  cobra.NoArgs,
		PreRun: func(cmd *cobra.Command, args []string) {
			if cmd.Flags().Changed("whitelist") {
				spec.IPWhitelist = splitList(whitelist)
			}
		},
		RunE: o.run(bi("app not created", "创建应用失败"), func(ctx context.Context, a *client.Admin) error {
			cred, err := a.CreateApp(ctx, spec)
			if err != nil {
				return err
			}
			if o.JSON {
				return printJSON(o.F.IO.Out, cred)
			}
			fmt.Fprintf(o.F.IO.Out, "%s\n  account_id  %d\n  appid       %s\n  secret      %s\n%s\n",
				bi("app created", "应用已创建"), cred.AccountID, cred.AppID, cred.Secret,
				bi("Keep the secret: it is shown only now.", "请妥善保存 secret，之后不会再显示。"))
			return nil
		}),
	}
	create.Flags().Int64Var(&spec.AccountID, "account", 0, "account_id of the advertiser (required)")
	create.Flags().StringVar(&spec.Name, "name", "", "app name (required)")
	create.Flags().StringVar(&whitelist, "whitelist", "", `IP whitelist, comma-separated CIDRs (default loopback only; "" lets no IP in)`)
	create.Flags().StringVar(&spec.AppID, "fixed-appid", "", "use this appid (wx + 16 hex) instead of a generated one")
	create.Flags().StringVar(&spec.Secret, "fixed-secret", "", "use this secret (32 hex) instead of a generated one")
	create.MarkFlagRequired("account")
	create.MarkFlagRequired("name")

	var account int64
	list := &cobra.Command{
		Use:   "list [--account ID]",
		Short: "List apps / 应用列表",
		Args:  cobra.NoArgs,
		RunE: o.run(bi("cannot list apps", "查询应用失败"), func(ctx context.Context, a *client.Admin) error {
			apps, err := a.Apps(ctx, account)
			if err != nil {
				return err
			}
			return o.printApps(apps)
		}),
	}
	list.Flags().Int64Var(&account, "account", 0, "only apps of this advertiser")

	var appid string
	appArg := func(cmd *cobra.Command, args []string) { appid = args[0] }
	get := &cobra.Command{
		Use: "get APPID", Short: "Show one app (never its secret) / 查看应用", Args: cobra.ExactArgs(1), PreRun: appArg,
		RunE: o.run(bi("cannot read app", "查询应用失败"), func(ctx context.Context, a *client.Admin) error {
			app, err := a.App(ctx, appid)
			if err != nil {
				return err
			}
			if o.JSON {
				return printJSON(o.F.IO.Out, app)
			}
			return o.printApps([]client.App{*app})
		}),
	}
	reset := &cobra.Command{
		Use: "reset-secret APPID", Short: "Issue a new secret; the old one and every token stop working / 重置 secret",
		Args: cobra.ExactArgs(1), PreRun: appArg,
		RunE: o.run(bi("secret not reset", "重置 secret 失败"), func(ctx context.Context, a *client.Admin) error {
			secret, err := a.ResetSecret(ctx, appid)
			if err != nil {
				return err
			}
			if o.JSON {
				return printJSON(o.F.IO.Out, map[string]string{"appid": appid, "secret": secret})
			}
			fmt.Fprintf(o.F.IO.Out, "%s\n  appid   %s\n  secret  %s\n", bi("secret reset; every token of the app ended", "secret 已重置，该应用的所有 token 已失效"), appid, secret)
			return nil
		}),
	}
	revoke := &cobra.Command{
		Use: "revoke-tokens APPID", Short: "End every token of the app at once / 吊销全部 token",
		Args: cobra.ExactArgs(1), PreRun: appArg,
		RunE: o.run(bi("tokens not revoked", "吊销 token 失败"), func(ctx context.Context, a *client.Admin) error {
			if err := a.RevokeTokens(ctx, appid); err != nil {
				return err
			}
			fmt.Fprintf(o.F.IO.Out, "%s: %s\n", bi("every token revoked", "所有 token 已吊销"), appid)
			return nil
		}),
	}
	var cidrs []string
	wl := &cobra.Command{
		Use:   "whitelist APPID [CIDR...]",
		Short: "Replace the app's IP whitelist (no CIDR: no IP may fetch a token) / 设置 IP 白名单",
		Args:  cobra.MinimumNArgs(1),
		PreRun: func(cmd *cobra.Command, args []string) {
			appid = args[0]
			cidrs = []string{}
			for _, a := range args[1:] {
				cidrs = append(cidrs, splitList(a)...)
			}
		},
		RunE: o.run(bi("whitelist not set", "设置白名单失败"), func(ctx context.Context, a *client.Admin) error {
			if err := a.SetWhitelist(ctx, appid, cidrs); err != nil {
				return err
			}
			fmt.Fprintf(o.F.IO.Out, "%s: %s [%s]\n", bi("whitelist set", "白名单已设置"), appid, strings.Join(cidrs, ", "))
			return nil
		}),
	}
	cmd.AddCommand(create, list, get, reset, revoke, wl)
	return cmd
}

func (o *AdminOptions) printApps(apps []client.App) error {
	if o.JSON {
		if apps == nil {
			apps = []client.App{}
		}
		return printJSON(o.F.IO.Out, apps)
	}
	tw := newTable(o.F.IO.Out)
	fmt.Fprintln(tw, "APPID\tACCOUNT_ID\tNAME\tIP_WHITELIST\tCREATED")
	for _, a := range apps {
		fmt.Fprintf(tw, "%s\t%d\t%s\t%s\t%s\n", a.AppID, a.AccountID, a.Name, strings.Join(a.IPWhitelist, ","), a.CreatedTime)
	}
	return tw.Flush()
}

// splitList splits "a, b,c" into its non-empty parts.
func splitList(s string) []string {
	out := []string{}
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}
