package main

import (
	"cmp"
	"context"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/wxads/wxads/client"
)

// NewCmdActionSet groups the data-source commands.
func NewCmdActionSet(f *Factory) *cobra.Command {
	cmd := &cobra.Command{
		Use:     "actionset",
		Aliases: []string{"set"},
		Short:   "Create and list data sources (user_action_sets) / 创建和查询数据源",
		Args:    cobra.NoArgs,
	}
	cmd.AddCommand(NewCmdActionSetCreate(f, nil), NewCmdActionSetList(f, nil))
	return cmd
}

// ActionSetCreateOptions are `wxads actionset create`'s.
type ActionSetCreateOptions struct {
	F                                  *Factory
	Name, Type, Description, WechatApp string
}

// NewCmdActionSetCreate builds `wxads actionset create`.
func NewCmdActionSetCreate(f *Factory, runF func(*ActionSetCreateOptions) error) *cobra.Command {
	o := &ActionSetCreateOptions{F: f}
	cmd := &cobra.Command{
		Use:   "create --name NAME",
		Short: "Create a data source and print its user_action_set_id / 创建数据源",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if runF != nil {
				return runF(o)
			}
			return o.Run(cmd.Context())
		},
	}
	cmd.Flags().StringVar(&o.Name, "name", "", "name of the data source (required)")
	cmd.Flags().StringVar(&o.Type, "type", "WECHAT", "type of the data source")
	cmd.Flags().StringVar(&o.Description, "description", "", "description")
	cmd.Flags().StringVar(&o.WechatApp, "wechat-app-id", "", "official account the actions come from (default: --appid)")
	cmd.MarkFlagRequired("name")
	return cmd
}

func (o *ActionSetCreateOptions) Run(ctx context.Context) error {
	c, _, err := o.F.Client()
	if err != nil {
		return err
	}
	id, err := c.ActionSets.Add(ctx, client.ActionSet{Type: o.Type, Name: o.Name, Description: o.Description,
		WechatAppID: cmp.Or(o.WechatApp, c.AppID())})
	if err != nil {
		return apiError(bi("data source not created", "创建数据源失败"), err)
	}
	fmt.Fprintf(o.F.IO.Out, "%s: user_action_set_id %d\n", bi("data source created", "数据源已创建"), id)
	return nil
}

// ActionSetListOptions are `wxads actionset list`'s.
type ActionSetListOptions struct {
	F         *Factory
	ID        int64
	WechatApp string
	JSON      bool
}

// NewCmdActionSetList builds `wxads actionset list`.
func NewCmdActionSetList(f *Factory, runF func(*ActionSetListOptions) error) *cobra.Command {
	o := &ActionSetListOptions{F: f}
	cmd := &cobra.Command{
		Use:   "list",
		Short: "List the advertiser's data sources / 查询数据源",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if runF != nil {
				return runF(o)
			}
			return o.Run(cmd.Context())
		},
	}
	cmd.Flags().Int64Var(&o.ID, "id", 0, "only this user_action_set_id")
	cmd.Flags().StringVar(&o.WechatApp, "wechat-app-id", "", "only data sources of this official account")
	cmd.Flags().BoolVar(&o.JSON, "json", false, "print the list as JSON")
	return cmd
}

func (o *ActionSetListOptions) Run(ctx context.Context) error {
	c, _, err := o.F.Client()
	if err != nil {
		return err
	}
	sets, err := c.ActionSets.Get(ctx, client.ActionSetFilter{ID: o.ID, WechatAppID: o.WechatApp})
	if err != nil {
		return apiError(bi("cannot list data sources", "查询数据源失败"), err)
	}
	if o.JSON {
		if sets == nil {
			sets = []client.ActionSet{}
		}
		return printJSON(o.F.IO.Out, sets)
	}
	if len(sets) == 0 {
		fmt.Fprintln(o.F.IO.Out, bi("no data sources; create one with: wxads actionset create --name NAME",
			"暂无数据源，可用 wxads actionset create --name NAME 创建"))
		return nil
	}
	tw := newTable(o.F.IO.Out)
	fmt.Fprintln(tw, "ID\tTYPE\tNAME\tWECHAT_APP_ID\tACTIVE\tCREATED")
	for _, s := range sets {
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%v\t%s\n", s.ID, s.Type, s.Name, s.WechatAppID, s.ActivateStatus, s.CreatedTime)
	}
	return tw.Flush()
}
