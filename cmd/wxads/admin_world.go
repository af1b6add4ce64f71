package main

import (
	"bufio"
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"os"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/wxads/wxads/client"
)

// The admin commands that shape what the platform knows of the WeChat side:
// followers, ad events and (in tests) the clock.

func newCmdAdminFollowers(o *AdminOptions) *cobra.Command {
	cmd := &cobra.Command{Use: "followers", Short: "Add and list an app's followers / 粉丝", Args: cobra.NoArgs}
	var count, page int
	var unionids []string
	add := &cobra.Command{
		Use:   "add APPID [OPENID...] [--unionid OPENID=UNIONID ...] [--count N]",
		Short: "Register openids as followers (with their unionids), or generate --count of them / 添加粉丝",
		Args:  cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) == 1 && count <= 0 && len(unionids) == 0 {
				return usagef("give OPENIDs, --unionid OPENID=UNIONID or --count N / 请提供 openid、--unionid 或 --count")
			}
			followers, err := followersWithUnionIDs(args[1:], unionids)
			if err != nil {
				return err
			}
			if followers != nil && count > 0 {
				return usagef("--count generates openids: it cannot take --unionid / --count 生成 openid，不能与 --unionid 同用")
			}
			return o.run(bi("followers not added", "添加粉丝失败"), func(ctx context.Context, a *client.Admin) error {
				var ids []string
				var err error
				if followers != nil {
					ids, err = a.AddFollowersWithUnionIDs(ctx, args[0], followers)
				} else {
					ids, err = a.AddFollowers(ctx, args[0], args[1:], count)
				}
				if err != nil {
					return err
				}
				if o.JSON {
					return printJSON(o.F.IO.Out, map[string][]string{"openids": ids})
				}
				fmt.Fprintf(o.F.IO.Out, "%s: %d\n", bi("followers added", "已添加粉丝"), len(ids))
				for _, id := range ids {
					fmt.Fprintln(o.F.IO.Out, id)
				}
				return nil
			})(cmd, args)
		},
	}
	add.Flags().IntVar(&count, "count", 0, "generate this many followers")
	add.Flags().StringArrayVar(&unionids, "unionid", nil,
		"OPENID=UNIONID: register OPENID with its unionid (repeatable; a v3.0 action naming the unionid is then this follower's)")
	list := &cobra.Command{
		Use: "list APPID [--page N]", Short: "List followers / 粉丝列表", Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return o.run(bi("cannot list followers", "查询粉丝失败"), func(ctx context.Context, a *client.Admin) error {
				l, err := a.Followers(ctx, args[0], page)
				if err != nil {
					return err
				}
				if l.List == nil {
					l.List = []client.Follower{}
				}
				return o.printPage(l.List, l.PageInfo, "OPENID\tUNIONID\tCREATED", func(w io.Writer) {
					for _, f := range l.List {
						fmt.Fprintf(w, "%s\t%s\t%s\n", f.OpenID, cmp.Or(f.UnionID, "-"), f.CreatedTime)
					}
				})
			})(cmd, args)
		},
	}
	list.Flags().IntVar(&page, "page", 1, "page, from 1")
	cmd.AddCommand(add, list)
	return cmd
}

// followersWithUnionIDs is followers add's list when --unionid is given:
// the plain OPENIDs without a unionid, then each OPENID=UNIONID; nil without
// --unionid (the openids-only call).
func followersWithUnionIDs(openids, pairs []string) ([]client.Follower, error) {
	if len(pairs) == 0 {
		return nil, nil
	}
	list := make([]client.Follower, 0, len(openids)+len(pairs))
	for _, o := range openids {
		list = append(list, client.Follower{OpenID: o})
	}
	for _, p := range pairs {
		o, u, ok := strings.Cut(p, "=")
		if !ok || o == "" || u == "" {
			return nil, usagef("--unionid %q: want OPENID=UNIONID / 格式应为 OPENID=UNIONID", p)
		}
		list = append(list, client.Follower{OpenID: strings.TrimSpace(o), UnionID: strings.TrimSpace(u)})
	}
	return list, nil
}

func newCmdAdminAdEvents(o *AdminOptions) *cobra.Command {
	cmd := &cobra.Command{Use: "ad-events", Short: "Record and list what ad delivery saw (clicks, follows) / 广告事件", Args: cobra.NoArgs}
	var ev client.AdEvent
	var file, at string
	var page int
	add := &cobra.Command{
		Use:   "add APPID --type CLICK|FOLLOW --openid OPENID | --user-id KIND=HASH [...] | add --file EVENTS.jsonl",
		Short: "Record ad events: one from flags, or JSON lines from --file / 添加广告事件",
		Args:  cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			events, err := adEventsFrom(file, args, ev, at)
			if err != nil {
				return err
			}
			return o.run(bi("ad events not recorded", "添加广告事件失败"), func(ctx context.Context, a *client.Admin) error {
				if err := a.AddAdEvents(ctx, events); err != nil {
					return err
				}
				fmt.Fprintf(o.F.IO.Out, "%s: %d\n", bi("ad events recorded", "已添加广告事件"), len(events))
				return nil
			})(cmd, args)
		},
	}
	f := add.Flags()
	f.StringVar(&file, "file", "", "JSON lines of {type, appid, openid, user_id, ad_id, campaign_id, click_id, time}")
	f.StringVar(&ev.Type, "type", "CLICK", "CLICK or FOLLOW (a FOLLOW also makes the openid a follower)")
	f.StringVar(&ev.OpenID, "openid", "", "the user's openid")
	f.StringToStringVar(&ev.UserID, "user-id", nil, "a hashed device or phone id the click carried, e.g. hash_oaid=<32 hex> (repeatable; v3.0 actions with it are identified)")
	f.Int64Var(&ev.AdID, "ad-id", 0, "ad id")
	f.Int64Var(&ev.CampaignID, "campaign-id", 0, "campaign id")
	f.StringVar(&ev.ClickID, "click-id", "", "click id (what an action's trace.click_id names)")
	f.StringVar(&at, "time", "", `when: Unix seconds, "YYYY-MM-DD HH:MM:SS" (GMT+8) or RFC 3339 (default: now on this machine)`)
	list := &cobra.Command{
		Use: "list APPID [--page N]", Short: "List an app's ad events / 广告事件列表", Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return o.run(bi("cannot list ad events", "查询广告事件失败"), func(ctx context.Context, a *client.Admin) error {
				l, err := a.AdEvents(ctx, args[0], page)
				if err != nil {
					return err
				}
				if l.List == nil {
					l.List = []client.AdEvent{}
				}
				return o.printPage(l.List, l.PageInfo, "TYPE\tUSER\tAD_ID\tCAMPAIGN_ID\tCLICK_ID\tTIME (GMT+8)", func(w io.Writer) {
					for _, e := range l.List {
						fmt.Fprintf(w, "%s\t%s\t%d\t%d\t%s\t%s\n", e.Type, eventUser(e), e.AdID, e.CampaignID, e.ClickID,
							time.Unix(e.Time, 0).In(gmt8).Format(time.DateTime))
					}
				})
			})(cmd, args)
		},
	}
	list.Flags().IntVar(&page, "page", 1, "page, from 1")
	cmd.AddCommand(add, list)
	return cmd
}

// eventUser is an event's openid, then its device ids as kind=value.
func eventUser(e client.AdEvent) string {
	parts := []string{}
	if e.OpenID != "" {
		parts = append(parts, e.OpenID)
	}
	for _, k := range slices.Sorted(maps.Keys(e.UserID)) {
		parts = append(parts, k+"="+e.UserID[k])
	}
	return strings.Join(parts, " ")
}

// adEventsFrom reads --file, or builds the one event the flags describe.
func adEventsFrom(file string, args []string, ev client.AdEvent, at string) ([]client.AdEvent, error) {
	if file == "" {
		if len(args) == 0 || ev.OpenID == "" && len(ev.UserID) == 0 {
			return nil, usagef("give APPID and --openid or --user-id KIND=HASH (or --file EVENTS.jsonl) / 请提供 APPID 和 --openid 或 --user-id")
		}
		ev.AppID, ev.Type = args[0], strings.ToUpper(ev.Type)
		// The platform requires a time; "now" is this machine's, so against
		// a --fake-clock server give --time on the platform's clock.
		ev.Time = time.Now().Unix()
		if at != "" {
			t, err := parseActionTime(at)
			if err != nil {
				return nil, usageError{err}
			}
			ev.Time = t
		}
		return []client.AdEvent{ev}, nil
	}
	f, err := os.Open(file)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var events []client.AdEvent
	sc := bufio.NewScanner(f)
	for line := 1; sc.Scan(); line++ {
		if strings.TrimSpace(sc.Text()) == "" {
			continue
		}
		var e client.AdEvent
		if err := json.Unmarshal(sc.Bytes(), &e); err != nil {
			return nil, fmt.Errorf("%s line %d: %v / 第 %d 行不是合法的 JSON", file, line, err, line)
		}
		if e.AppID == "" && len(args) > 0 {
			e.AppID = args[0]
		}
		events = append(events, e)
	}
	return events, sc.Err()
}

// printPage prints a page of a list: JSON, or a table of header and rows,
// then the paging.
func (o *AdminOptions) printPage(list any, p client.PageInfo, header string, rows func(w io.Writer)) error {
	if o.JSON {
		return printJSON(o.F.IO.Out, map[string]any{"list": list, "page_info": p})
	}
	tw := newTable(o.F.IO.Out)
	fmt.Fprintln(tw, header)
	rows(tw)
	if err := tw.Flush(); err != nil {
		return err
	}
	fmt.Fprintf(o.F.IO.Out, "page %d/%d, %d in all / 第 %d/%d 页，共 %d 条\n", p.Page, p.TotalPage, p.TotalNumber,
		p.Page, p.TotalPage, p.TotalNumber)
	return nil
}

func newCmdAdminClock(o *AdminOptions) *cobra.Command {
	cmd := &cobra.Command{Use: "clock", Short: "Set or advance the platform clock (servers run with --fake-clock) / 平台时钟", Args: cobra.NoArgs}
	set := &cobra.Command{
		Use:   "set TIME",
		Short: `Set the clock: Unix seconds, "YYYY-MM-DD HH:MM:SS" (GMT+8) or RFC 3339 / 设置时钟`,
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			t, err := parseActionTime(args[0])
			if err != nil {
				return usageError{err}
			}
			return o.run(bi("clock not set", "设置时钟失败"), func(ctx context.Context, a *client.Admin) error {
				if err := a.SetClock(ctx, t); err != nil {
					return err
				}
				fmt.Fprintf(o.F.IO.Out, "%s: %s GMT+8\n", bi("clock set", "时钟已设置"), time.Unix(t, 0).In(gmt8).Format(time.DateTime))
				return nil
			})(cmd, args)
		},
	}
	advance := &cobra.Command{
		Use:   "advance DURATION",
		Short: "Move the clock forward: seconds or a duration such as 2h / 推进时钟",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			secs, err := strconv.ParseInt(args[0], 10, 64)
			if err != nil {
				d, derr := time.ParseDuration(args[0])
				if derr != nil {
					return usagef("%q: want seconds or a duration such as 90s, 2h / 应为秒数或时长", args[0])
				}
				secs = int64(d / time.Second)
			}
			return o.run(bi("clock not advanced", "推进时钟失败"), func(ctx context.Context, a *client.Admin) error {
				if err := a.AdvanceClock(ctx, secs); err != nil {
					return err
				}
				fmt.Fprintf(o.F.IO.Out, "%s: +%ds\n", bi("clock advanced", "时钟已推进"), secs)
				return nil
			})(cmd, args)
		},
	}
	cmd.AddCommand(set, advance)
	return cmd
}
