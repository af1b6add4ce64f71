// Command wxads is the platform server and its tools.
package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

const usage = `usage: wxads <command> [flags]

commands:
  serve     run the platform server (default; see wxads serve -h)
  errcode   look up platform error codes (see wxads errcode -h)
`

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

func run(args []string, stdout, stderr io.Writer) int {
	cmd := "serve"
	if len(args) > 0 && args[0] != "" && args[0][0] != '-' {
		cmd, args = args[0], args[1:]
	}
	switch cmd {
	case "serve":
		return runServe(args, stdout, stderr)
	case "errcode":
		return runErrcode(args, stdout, stderr)
	case "help":
		fmt.Fprint(stdout, usage)
		return 0
	default:
		fmt.Fprintf(stderr, "wxads: unknown command %q\n\n%s", cmd, usage)
		return 2
	}
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
