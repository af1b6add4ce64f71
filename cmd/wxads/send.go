package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/spf13/cobra"

	"github.com/wxads/wxads/client"
)

// SendOptions are `wxads send`'s.
type SendOptions struct {
	F      *Factory
	SetID  int64
	File   string        // "-" is standard input
	Format string        // auto, jsonl, csv
	Outbox string        // send through a durable outbox in this directory
	Wait   time.Duration // outbox: how long to wait for delivery
	DryRun bool          // validate offline, send nothing
	Step   int           // actions per Add call (progress granularity)
}

// NewCmdSend builds `wxads send`.
func NewCmdSend(f *Factory, runF func(*SendOptions) error) *cobra.Command {
	o := &SendOptions{F: f, Step: 500}
	cmd := &cobra.Command{
		Use:   "send --set ID FILE",
		Short: "Upload conversions from JSON lines or CSV / 回传行为数据",
		Long: `Uploads user actions from FILE ('-' for standard input): JSON lines, one action
per line as POST /marketing/user_actions/add takes it, or CSV with a header row
of the columns
  url, action_type, action_time, openid, wechat_app_id, custom_action, click_id,
  outer_action_id, value, claim_type, source, param.KEY...
(url, action_type and openid required). user_action_set_id defaults to --set and
user_id.wechat_app_id to --appid. Every action without an outer_action_id gets
one derived from its content, so sending the same file again never counts twice.
Exit status 1 if the platform refused any action; 3 if, with --outbox, some
are still pending on disk after --wait.
从 JSON lines 或 CSV 文件回传行为数据；重复发送同一文件不会重复计数。`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			o.File = args[0]
			if o.SetID <= 0 {
				return usagef("--set ID is required: the user_action_set_id to send to (wxads actionset list) / 需要 --set 数据源 ID")
			}
			if runF != nil {
				return runF(o)
			}
			return o.Run(cmd.Context())
		},
	}
	cmd.Flags().Int64Var(&o.SetID, "set", 0, "user_action_set_id to send to (required)")
	cmd.Flags().StringVar(&o.Format, "format", "auto", "input format: auto (by extension, else by content), jsonl or csv")
	cmd.Flags().StringVar(&o.Outbox, "outbox", "", "go through a durable outbox in `DIR`: stored on disk first, delivered with retries")
	cmd.Flags().DurationVar(&o.Wait, "wait", time.Minute, "with --outbox: how long to wait for delivery before leaving the rest pending on disk")
	cmd.Flags().BoolVar(&o.DryRun, "dry-run", false, "read and validate offline with the platform's rules; send nothing")
	return cmd
}

func (o *SendOptions) Run(ctx context.Context) error {
	c, s, err := o.F.Client(client.WithClock(o.F.Now))
	if err != nil {
		return err
	}
	in, err := o.open()
	if err != nil {
		return err
	}
	defer in.Close()
	br := bufio.NewReader(in)
	head, _ := br.Peek(512)
	format, err := inputFormat(o.Format, o.File, head)
	if err != nil {
		return err
	}
	actions, err := readActions(br, format, inputDefaults{SetID: o.SetID, AppID: s.AppID})
	if err != nil {
		return err
	}
	sum := &sendSummary{Total: len(actions), Outbox: o.Outbox}
	switch {
	case o.DryRun:
		sum.DryRun = true
		sum.refuse(actions, validateOffline(actions))
	case o.Outbox != "":
		err = o.viaOutbox(ctx, c, actions, sum)
	default:
		o.direct(ctx, c, actions, sum)
	}
	if err != nil {
		return err
	}
	sum.print(o.F.IO.Out)
	switch {
	case sum.Err != nil || sum.refused() > 0:
		return exitCode(1)
	case sum.Pending > 0:
		return exitCode(3)
	}
	return nil
}

func (o *SendOptions) open() (io.ReadCloser, error) {
	if o.File == "-" {
		return io.NopCloser(o.F.IO.In), nil
	}
	f, err := os.Open(o.File)
	if err != nil {
		return nil, fmt.Errorf("%v / 无法打开输入文件", err)
	}
	return f, nil
}

// direct sends through UserActions.Add, o.Step actions at a time for the
// progress display. Actions refused offline are set aside and the rest of
// their part sent, so the summary counts every refusal alike.
func (o *SendOptions) direct(ctx context.Context, c *client.Client, actions []inputAction, sum *sendSummary) {
	bar := newProgress(o.F.IO, len(actions), o.F.Now)
	defer bar.Finish()
	for start := 0; start < len(actions); start += o.Step {
		part := actions[start:min(start+o.Step, len(actions))]
		for len(part) > 0 {
			res, err := c.UserActions.Add(ctx, userActions(part)...)
			var ve *client.ValidationError
			if errors.As(err, &ve) && ve.Offline {
				if wholeBatch(ve.Failed) {
					sum.Err, sum.FailedLine = err, part[0].Line
					return
				}
				part = sum.refuse(part, ve.Failed)
				continue
			}
			sum.Accepted += res.Accepted
			sum.Duplicates += res.Duplicates
			sum.refuse(part, res.Failed)
			var se *client.SendError
			if errors.As(err, &se) {
				sum.Err, sum.FailedLine = se.Err, part[se.First].Line
				return
			}
			if err != nil && ve == nil {
				sum.Err, sum.FailedLine = err, part[0].Line
				return
			}
			break
		}
		bar.Add(len(actions[start:min(start+o.Step, len(actions))]))
	}
}

func wholeBatch(failed []client.Failure) bool {
	for _, f := range failed {
		if f.Index < 0 {
			return true
		}
	}
	return false
}

func userActions(in []inputAction) []client.UserAction {
	out := make([]client.UserAction, len(in))
	for i, a := range in {
		out[i] = a.Action
	}
	return out
}

// validateOffline is --dry-run: the platform's rules, applied locally.
func validateOffline(actions []inputAction) []client.Failure {
	var ve *client.ValidationError
	if err := client.Validate(userActions(actions)); errors.As(err, &ve) {
		return ve.Failed
	}
	return nil
}
