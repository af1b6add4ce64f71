package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"regexp"
	"strings"

	"github.com/spf13/cobra"

	"github.com/wxads/wxads/client"
)

// VerifyOptions are `wxads verify`'s.
type VerifyOptions struct {
	F      *Factory
	SetID  int64
	OpenID string
	NoSend bool
}

// NewCmdVerify builds `wxads verify`: the seed's 自行验证 (step 六.1) as a checklist.
func NewCmdVerify(f *Factory, runF func(*VerifyOptions) error) *cobra.Command {
	o := &VerifyOptions{F: f}
	cmd := &cobra.Command{
		Use:   "verify [--set ID]",
		Short: "Check the whole integration against a server, step by step / 自行验证对接",
		Long: `Runs the seed's self-check (自行验证) against the server, one step after the
other, and prints ✓ or ✗ for each with the fix for any failure:
  1. credentials present            凭据齐全
  2. server reachable, secret right 服务可达，appid/secret 正确
  3. IP whitelist (prints the IP the server saw) IP 白名单
  4. access_token fetched           获取 access_token
  5. data source exists (--set)     数据源存在
  6. test action passes validate_only 测试行为校验通过
  7. a real test action is accepted 测试行为回传成功
  8. the report shows it            报表可见
The test action is CUSTOM/WXADS_VERIFY with an outer_action_id starting
wxads_verify_, so it never counts as an order or a lead. --no-send stops after
step 6. Exit status 1 if any step fails.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if runF != nil {
				return runF(o)
			}
			return o.Run(cmd.Context())
		},
	}
	cmd.Flags().Int64Var(&o.SetID, "set", 0, "user_action_set_id to check (default: the app's only data source)")
	cmd.Flags().StringVar(&o.OpenID, "openid", verifyOpenID, "openid of the test action (a follower's makes it identified)")
	cmd.Flags().BoolVar(&o.NoSend, "no-send", false, "stop after the validate_only step: store nothing")
	return cmd
}

// The test action: a custom type, so no report of orders or leads moves.
const (
	verifyOpenID = "owxadsverify_000000000000000"
	verifyCustom = "WXADS_VERIFY"
	verifyURL    = "https://wxads.invalid/verify"
)

// checklist prints the steps as they finish.
type checklist struct {
	o      *VerifyOptions
	failed int
	total  int
}

func (c *checklist) ok(step, detail string) {
	c.total++
	fmt.Fprintf(c.o.F.IO.Out, "✓ %s: %s\n", step, detail)
}

// fail prints ✗ with what was wrong, the platform's error and hint, and fix
// lines of its own.
func (c *checklist) fail(step, detail string, err error, fix ...string) {
	c.total++
	c.failed++
	fmt.Fprintf(c.o.F.IO.Out, "✗ %s: %s\n", step, detail)
	if err != nil {
		for _, l := range strings.Split(explain(err), "\n") {
			fmt.Fprintf(c.o.F.IO.Out, "    %s\n", strings.TrimSpace(l))
		}
	}
	for _, l := range fix {
		fmt.Fprintf(c.o.F.IO.Out, "    fix / 修复: %s\n", l)
	}
}

func (c *checklist) skip(step, why string) {
	c.total++
	fmt.Fprintf(c.o.F.IO.Out, "– %s: %s\n", step, why)
}

var (
	stepCreds    = bi("credentials present", "凭据齐全")
	stepSecret   = bi("server reachable, appid and secret accepted", "服务可达，appid 与 secret 正确")
	stepIP       = bi("IP whitelist", "IP 白名单")
	stepToken    = bi("access_token fetched", "获取 access_token")
	stepSet      = bi("data source exists", "数据源存在")
	stepValidate = bi("test action passes validate_only", "测试行为校验通过")
	stepSend     = bi("test action accepted", "测试行为回传成功")
	stepReport   = bi("report shows the test action", "报表可见测试行为")
	skipped      = bi("skipped, an earlier step failed", "跳过，前一步未通过")
)

// egressRE finds the caller's address in 40164's errmsg (SPEC §3).
var egressRE = regexp.MustCompile(`invalid ip (\S+)`)

func (o *VerifyOptions) Run(ctx context.Context) error {
	cl := &checklist{o: o}
	rest := []string{stepSecret, stepIP, stepToken, stepSet, stepValidate, stepSend, stepReport}
	skipRest := func(from int) error {
		for _, s := range rest[from:] {
			cl.skip(s, skipped)
		}
		return cl.end()
	}
	c, s, err := o.F.Client(client.WithRetry(client.RetryPolicy{MaxAttempts: 2}))
	if err != nil {
		cl.fail(stepCreds, err.Error(), nil)
		return skipRest(0)
	}
	fmt.Fprintf(o.F.IO.Out, "wxads verify: %s, appid %s\n", s.Server, s.AppID)
	cl.ok(stepCreds, fmt.Sprintf("appid from %s, secret from %s", s.From["appid"], s.From["secret"]))

	if _, err := c.Token(ctx); err != nil {
		var ae *client.APIError
		switch {
		case errors.As(err, &ae) && errors.Is(err, client.ErrIPNotWhitelisted):
			cl.ok(stepSecret, s.Server)
			saw, cidr := bi("the server did not say which address it saw", "平台未返回其看到的 IP"), "YOUR_EGRESS_IP/32"
			if m := egressRE.FindStringSubmatch(ae.Message); m != nil {
				saw = fmt.Sprintf("the server saw this machine as %s / 平台看到的出口 IP 为 %s", m[1], m[1])
				cidr = cidrOf(m[1])
			}
			cl.fail(stepIP, saw, err, fmt.Sprintf("wxads admin app whitelist %s %s (it replaces the list: name the other addresses too) / 或请平台管理员将该 IP 加入白名单", s.AppID, cidr))
			return skipRest(2)
		case errors.As(err, &ae):
			cl.fail(stepSecret, bi("the token endpoint refused the credentials", "获取 token 被拒绝"), err,
				bi("check --appid/--secret (WXADS_APPID, WXADS_SECRET)", "检查 appid 与 secret"))
		default:
			cl.fail(stepSecret, fmt.Sprintf("%v / 无法连接 %s", err, s.Server), nil,
				bi("check --server (WXADS_SERVER) and that the server runs: curl "+s.Server+"/healthz", "检查服务地址与服务是否运行"))
		}
		return skipRest(1)
	}
	cl.ok(stepSecret, s.Server)
	cl.ok(stepIP, bi("this machine may fetch tokens", "本机可获取 token"))
	cl.ok(stepToken, bi("stable token cached", "已获取并缓存"))

	set, ok := o.checkSet(ctx, cl, c)
	if !ok {
		return skipRest(4)
	}
	if !o.sendTest(ctx, cl, c, set) {
		return cl.end()
	}
	return cl.end()
}

// cidrOf is the single-address prefix of ip.
func cidrOf(ip string) string {
	if strings.Contains(ip, ":") {
		return ip + "/128"
	}
	return ip + "/32"
}

func (c *checklist) end() error {
	out := c.o.F.IO.Out
	if c.failed == 0 {
		fmt.Fprintf(out, "\n%s\n", bi(fmt.Sprintf("all %d checks passed", c.total), fmt.Sprintf("全部 %d 项检查通过", c.total)))
		return nil
	}
	fmt.Fprintf(out, "\n%s\n", bi(fmt.Sprintf("%d of %d checks failed", c.failed, c.total), fmt.Sprintf("%d 项检查中 %d 项未通过", c.total, c.failed)))
	return exitCode(1)
}

// checkSet finds the data source: --set, else the app's only one.
func (o *VerifyOptions) checkSet(ctx context.Context, cl *checklist, c *client.Client) (int64, bool) {
	if o.SetID == 0 {
		sets, err := c.ActionSets.Get(ctx, client.ActionSetFilter{WechatAppID: c.AppID()})
		switch {
		case err != nil:
			cl.fail(stepSet, bi("cannot list data sources", "无法查询数据源"), err)
			return 0, false
		case len(sets) == 0:
			cl.fail(stepSet, bi("the app has no data source", "该应用没有数据源"), nil,
				"wxads actionset create --name NAME")
			return 0, false
		case len(sets) > 1:
			ids := make([]string, len(sets))
			for i, s := range sets {
				ids[i] = fmt.Sprint(s.ID)
			}
			cl.fail(stepSet, bi("the app has several data sources: say which", "该应用有多个数据源，请指定"), nil,
				"wxads verify --set ID (one of "+strings.Join(ids, ", ")+")")
			return 0, false
		}
		cl.ok(stepSet, fmt.Sprintf("user_action_set_id %d %q (the app's only one)", sets[0].ID, sets[0].Name))
		return sets[0].ID, true
	}
	sets, err := c.ActionSets.Get(ctx, client.ActionSetFilter{ID: o.SetID})
	if err == nil && len(sets) == 0 {
		err = errors.New("not in the list the platform returned")
	}
	if err != nil {
		cl.fail(stepSet, fmt.Sprintf("user_action_set_id %d", o.SetID), err,
			bi("wxads actionset list shows the data sources this app may use", "用 wxads actionset list 查看可用的数据源"))
		return 0, false
	}
	cl.ok(stepSet, fmt.Sprintf("user_action_set_id %d %q", sets[0].ID, sets[0].Name))
	return sets[0].ID, true
}

func randomSuffix() string {
	b := make([]byte, 4)
	rand.Read(b)
	return hex.EncodeToString(b)
}
