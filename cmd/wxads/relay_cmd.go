package main

import (
	"context"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/wxads/wxads/client"
)

// NewCmdRelay talks to a running relay (`wxads serve --upstream …`) through
// its admin API: the relay holds its queue's directory lock, so a second
// process may not open the queue itself.
func NewCmdRelay(f *Factory) *cobra.Command {
	o := &AdminOptions{F: f}
	cmd := &cobra.Command{
		Use:   "relay",
		Short: "Watch and replay a relay's deliveries upstream / 中继投递状态与重放",
		Long: `A server started with --upstream stores every upload and forwards it to the
upstream platform (docs/RELAY.md). These commands call that server's admin
API with the admin token (--admin-token or WXADS_ADMIN_TOKEN).
以 --upstream 启动的服务会把数据转发到上游平台；这些命令通过其管理接口查看与重放。`,
		Args: cobra.NoArgs,
	}
	cmd.PersistentFlags().StringVar(&o.Token, "admin-token", "", "admin API token (WXADS_ADMIN_TOKEN)")
	cmd.PersistentFlags().BoolVar(&o.JSON, "json", false, "print JSON")
	status := &cobra.Command{
		Use: "status", Short: "Pending, delivered and dead actions, and the delivery lag / 投递状态", Args: cobra.NoArgs,
		RunE: o.run(bi("cannot read the relay", "读取中继状态失败"), func(ctx context.Context, a *client.Admin) error {
			st, err := a.RelayStatus(ctx)
			if err != nil {
				return err
			}
			if o.JSON {
				return printJSON(o.F.IO.Out, st)
			}
			fmt.Fprintf(o.F.IO.Out, "pending    %d\ndelivered  %d\ndead       %d\nlag        %.1f s\n", st.Pending, st.Delivered, st.Dead, st.LagSeconds)
			if st.Dead > 0 {
				fmt.Fprintln(o.F.IO.Out, bi("Dead letters were refused upstream: see GET /ext/v1/deliveries/get for their errcode, fix the cause, then run `wxads relay replay --dead`.",
					"有被上游拒绝的数据：用 /ext/v1/deliveries/get 查看错误码，修正后执行 wxads relay replay --dead。"))
			}
			return nil
		}),
	}
	var dead bool
	replay := &cobra.Command{
		Use: "replay --dead", Short: "Send the dead letters upstream again / 重放死信", Args: cobra.NoArgs,
		RunE: o.run(bi("nothing replayed", "重放失败"), func(ctx context.Context, a *client.Admin) error {
			if !dead {
				return usagef("%s", bi("say what to replay: --dead (every dead letter)", "请指定 --dead（重放全部死信）"))
			}
			n, err := a.RelayReplay(ctx)
			if err != nil {
				return err
			}
			if o.JSON {
				return printJSON(o.F.IO.Out, map[string]int{"replayed": n})
			}
			fmt.Fprintf(o.F.IO.Out, "%s: %d\n", bi("dead letters pending again", "已重新排队的死信"), n)
			return nil
		}),
	}
	replay.Flags().BoolVar(&dead, "dead", false, "replay every dead letter")
	cmd.AddCommand(status, replay)
	return cmd
}
