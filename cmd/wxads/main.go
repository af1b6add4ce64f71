// Command wxads is the platform server and its tools: the server itself
// (serve), the advertiser's side of the API (token, actionset, send, report,
// verify, log) and the operator's (admin, errcode).
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"

	"github.com/spf13/cobra"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// run runs wxads with args and returns the exit status: 0 success, 1 a
// failure (or a refusal the command reports), 2 a usage error.
func run(args []string, stdout, stderr io.Writer) int {
	f := NewFactory(IOStreams{In: os.Stdin, Out: stdout, ErrOut: stderr, TTY: isTerminal(stderr)}, os.Getenv)
	return f.Execute(args)
}

// Execute runs the command line args with f's streams and environment.
func (f *Factory) Execute(args []string) int {
	defer f.Close()
	root := NewCmdRoot(f)
	if args == nil {
		args = []string{} // nil would make cobra read os.Args
	}
	root.SetArgs(serveCompat(args))
	root.SetIn(f.IO.In)
	root.SetOut(f.IO.Out)
	root.SetErr(f.IO.ErrOut)
	err := root.Execute()
	var exit *exitError
	switch {
	case err == nil:
		return 0
	case errors.As(err, &exit):
		return exit.code
	case isUsageError(err):
		fmt.Fprintf(f.IO.ErrOut, "wxads: %v\nRun 'wxads --help' for usage. / 运行 'wxads --help' 查看用法。\n", err)
		return 2
	default:
		fmt.Fprintf(f.IO.ErrOut, "wxads: %v\n", err)
		return 1
	}
}

// NewCmdRoot builds the command tree. spf13/cobra gives every command its
// help, its own flags and shell completion; with a dozen verbs that is
// less code than growing the old hand-rolled switch.
func NewCmdRoot(f *Factory) *cobra.Command {
	root := &cobra.Command{
		Use:   "wxads",
		Short: "WeChat Ads conversion-data platform: server, client and admin tools",
		Long: `wxads runs the platform (wxads serve) and talks to one as an advertiser or operator.
wxads 运行平台服务（wxads serve），也可作为广告主或运营方调用平台。

Client commands take credentials from flags, then the environment
(WXADS_SERVER, WXADS_APPID, WXADS_SECRET), then the config file
(~/.config/wxads/config.json or --config). See docs/cli.md.
客户端命令的凭据优先级：命令行参数 > 环境变量 > 配置文件。`,
		Version:       Version(),
		SilenceErrors: true,
		SilenceUsage:  true,
		CompletionOptions: cobra.CompletionOptions{
			HiddenDefaultCmd: false,
		},
	}
	root.SetVersionTemplate("wxads {{.Version}}\n")
	root.SetFlagErrorFunc(func(c *cobra.Command, err error) error { return usageError{err} })
	f.bindGlobalFlags(root)
	root.AddCommand(
		ownFlagsCmd(f, "serve [flags]", "Run the platform server / 运行平台服务 (wxads serve -h for flags)", runServe),
		ownFlagsCmd(f, "errcode [--json] CODE... | --search TEXT", "Look up platform error codes / 查询错误码 (wxads errcode -h)", runErrcode),
		ownFlagsCmd(f, "migrate --from sqlite:DIR --to postgres://…", "Copy a stopped SQLite platform into an empty PostgreSQL database / 迁移到 PostgreSQL", runMigrate),
		NewCmdVersion(f),
		NewCmdToken(f, nil), NewCmdActionSet(f), NewCmdSend(f, nil), NewCmdReport(f, nil),
		NewCmdVerify(f, nil), NewCmdLog(f, nil), NewCmdAdmin(f), NewCmdRelay(f),
		NewCmdOAuth(f), NewCmdBench(f),
	)
	return root
}

// ownFlagsCmd wraps a command that parses its own flags with the standard
// flag package: serve (Main.ParseFlags stays the one place its flags are
// defined), errcode (so a negative code such as -1 is not taken for a flag)
// and migrate.
func ownFlagsCmd(f *Factory, use, short string, run func(args []string, stdout, stderr io.Writer) int) *cobra.Command {
	return &cobra.Command{
		Use:                use,
		Short:              short,
		DisableFlagParsing: true,
		Args:               cobra.ArbitraryArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return exitCode(run(args, f.IO.Out, f.IO.ErrOut))
		},
	}
}

// serveFlags are the flags that, leading the command line, still mean
// `serve` as they did before wxads had other commands (wxads --demo).
var serveFlags = []string{"addr", "data", "db", "redis", "admin-token", "server-key", "trusted-proxies",
	"attribution-window", "demo", "fake-clock", "tls-cert", "tls-key", "single-node"}

func serveCompat(args []string) []string {
	if len(args) == 0 || !strings.HasPrefix(args[0], "-") {
		return args
	}
	name, _, _ := strings.Cut(strings.TrimLeft(args[0], "-"), "=")
	for _, s := range serveFlags {
		if name == s {
			return append([]string{"serve"}, args...)
		}
	}
	return args
}

// runServe runs the server until SIGINT/SIGTERM, then shuts it down gracefully.
func runServe(args []string, stdout, stderr io.Writer) int {
	m := NewMain(stdout, stderr)
	if err := m.ParseFlags(args); err != nil {
		if err == errHelp {
			return 0
		}
		fmt.Fprintln(stderr, "wxads serve:", err)
		return 2
	}
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	if err := m.Run(ctx); err != nil {
		fmt.Fprintln(stderr, "wxads serve:", err)
		m.Close()
		return 1
	}
	<-ctx.Done()
	if err := m.Close(); err != nil {
		fmt.Fprintln(stderr, "wxads serve: shutdown:", err)
		return 1
	}
	return 0
}

// exitError ends a command with a status, its message already printed.
type exitError struct{ code int }

func (e *exitError) Error() string { return fmt.Sprintf("exit status %d", e.code) }

// exitCode turns a status into the error RunE returns (nil for 0).
func exitCode(code int) error {
	if code == 0 {
		return nil
	}
	return &exitError{code}
}

// usageError is a command line that cannot be run as given (exit 2).
type usageError struct{ err error }

func (e usageError) Error() string { return e.err.Error() }
func (e usageError) Unwrap() error { return e.err }

func usagef(format string, a ...any) error { return usageError{fmt.Errorf(format, a...)} }

func isUsageError(err error) bool {
	var u usageError
	if errors.As(err, &u) {
		return true
	}
	// cobra's own argument errors are plain errors.
	msg := err.Error()
	return strings.HasPrefix(msg, "unknown command") || strings.HasPrefix(msg, "accepts ") ||
		strings.HasPrefix(msg, "requires at least") || strings.HasPrefix(msg, "required flag") ||
		strings.HasPrefix(msg, "invalid argument") || strings.HasPrefix(msg, "unknown flag") ||
		strings.HasPrefix(msg, "if any flags in the group")
}
