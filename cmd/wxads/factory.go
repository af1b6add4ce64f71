package main

import (
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"time"

	"github.com/spf13/cobra"
	"golang.org/x/term"

	"github.com/wxads/wxads/client"
)

// IOStreams are where a command reads and writes; tests give buffers.
type IOStreams struct {
	In          io.Reader
	Out, ErrOut io.Writer
	TTY         bool // ErrOut is a terminal: draw a progress bar
}

func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}

// Factory is what every command is built from (as in cli/cli): the
// streams, the environment, and lazily the settings and SDK clients, so a
// command that needs no credentials never asks for them.
type Factory struct {
	IO         IOStreams
	Getenv     func(string) string
	HTTPClient *http.Client     // nil: the SDK's default client with timeouts
	Now        func() time.Time // the local clock (tests freeze it)

	flags   globalFlags
	closers []io.Closer
}

// NewFactory returns a Factory reading the environment through getenv.
func NewFactory(io IOStreams, getenv func(string) string) *Factory {
	return &Factory{IO: io, Getenv: getenv, Now: time.Now}
}

// Close releases what the commands opened (the call log).
func (f *Factory) Close() {
	for _, c := range f.closers {
		c.Close()
	}
	f.closers = nil
}

// globalFlags are the root's persistent flags, read after parsing.
type globalFlags struct {
	config, server, appid, secret, callLog string
}

func (f *Factory) bindGlobalFlags(root *cobra.Command) {
	p := root.PersistentFlags()
	p.StringVar(&f.flags.config, "config", "", "config file (WXADS_CONFIG; default ~/.config/wxads/config.json)")
	p.StringVar(&f.flags.server, "server", "", "platform base URL (WXADS_SERVER; default "+client.DefaultBaseURL+")")
	p.StringVar(&f.flags.appid, "appid", "", "appid of the official account (WXADS_APPID)")
	p.StringVar(&f.flags.secret, "secret", "", "AppSecret (WXADS_SECRET)")
	p.StringVar(&f.flags.callLog, "call-log", "", `call log file, "off" for none (WXADS_CALL_LOG; default ~/.local/state/wxads/calls.jsonl)`)
}

// Settings are the resolved credentials and where each came from.
type Settings struct {
	Server, AppID, Secret, AdminToken, CallLog string
	ConfigPath                                 string // the file read ("" if none)
	From                                       map[string]string
}

// fileConfig is the config file: JSON, every member optional.
type fileConfig struct {
	Server     string `json:"server"`
	AppID      string `json:"appid"`
	Secret     string `json:"secret"`
	AdminToken string `json:"admin_token"`
	CallLog    string `json:"call_log"`
}

// home is the user's home directory as the environment says.
func (f *Factory) home() string {
	if h := f.Getenv("HOME"); h != "" {
		return h
	}
	h, _ := os.UserHomeDir()
	return h
}

// DefaultConfigPath is $XDG_CONFIG_HOME/wxads/config.json, else
// ~/.config/wxads/config.json.
func (f *Factory) DefaultConfigPath() string {
	dir := cmp.Or(f.Getenv("XDG_CONFIG_HOME"), filepath.Join(f.home(), ".config"))
	return filepath.Join(dir, "wxads", "config.json")
}

// DefaultCallLogPath is $XDG_STATE_HOME/wxads/calls.jsonl, else
// ~/.local/state/wxads/calls.jsonl.
func (f *Factory) DefaultCallLogPath() string {
	dir := cmp.Or(f.Getenv("XDG_STATE_HOME"), filepath.Join(f.home(), ".local", "state"))
	return filepath.Join(dir, "wxads", "calls.jsonl")
}

// Settings resolves every setting: flag, then environment, then config file,
// then default. An explicitly named config file must exist; the default one
// may not.
func (f *Factory) Settings(adminToken string) (*Settings, error) {
	var fc fileConfig
	s := &Settings{From: map[string]string{}}
	path, explicit := f.flags.config, true
	if path == "" {
		path = f.Getenv("WXADS_CONFIG")
	}
	if path == "" {
		path, explicit = f.DefaultConfigPath(), false
	}
	b, err := os.ReadFile(path)
	switch {
	case err == nil:
		if err := json.Unmarshal(b, &fc); err != nil {
			return nil, fmt.Errorf("config file %s: %v (want a JSON object with server, appid, secret, admin_token, call_log) / 配置文件格式错误", path, err)
		}
		s.ConfigPath = path
	case explicit || !errors.Is(err, os.ErrNotExist):
		return nil, fmt.Errorf("config file: %v / 无法读取配置文件", err)
	}
	pick := func(name, flag, env, file, def string) string {
		switch {
		case flag != "":
			s.From[name] = "--" + name
			return flag
		case f.Getenv(env) != "":
			s.From[name] = env
			return f.Getenv(env)
		case file != "":
			s.From[name] = path
			return file
		}
		s.From[name] = "default"
		return def
	}
	s.Server = pick("server", f.flags.server, "WXADS_SERVER", fc.Server, client.DefaultBaseURL)
	s.AppID = pick("appid", f.flags.appid, "WXADS_APPID", fc.AppID, "")
	s.Secret = pick("secret", f.flags.secret, "WXADS_SECRET", fc.Secret, "")
	s.AdminToken = pick("admin-token", adminToken, "WXADS_ADMIN_TOKEN", fc.AdminToken, "")
	s.CallLog = pick("call-log", f.flags.callLog, "WXADS_CALL_LOG", fc.CallLog, f.DefaultCallLogPath())
	if s.CallLog == "off" {
		s.CallLog = ""
	}
	return s, nil
}

// errNoCredentials says which credential is missing and the three ways to give it.
func errNoCredentials(what, flag, env string) error {
	return fmt.Errorf("no %s: give --%s, set %s, or put %q in ~/.config/wxads/config.json / 缺少 %s：用 --%s、环境变量 %s 或配置文件提供",
		what, flag, env, flag, what, flag, env)
}

// Client returns an SDK client for the resolved app, recording calls in the
// call log.
func (f *Factory) Client(opts ...client.Option) (*client.Client, *Settings, error) {
	s, err := f.Settings("")
	if err != nil {
		return nil, nil, err
	}
	if s.AppID == "" {
		return nil, s, errNoCredentials("appid", "appid", "WXADS_APPID")
	}
	if s.Secret == "" {
		return nil, s, errNoCredentials("secret", "secret", "WXADS_SECRET")
	}
	base, err := f.clientOptions(s)
	if err != nil {
		return nil, s, err
	}
	c, err := client.New(s.AppID, s.Secret, append(base, opts...)...)
	return c, s, err
}

// Admin returns an admin API client.
func (f *Factory) Admin(adminToken string) (*client.Admin, error) {
	s, err := f.Settings(adminToken)
	if err != nil {
		return nil, err
	}
	if s.AdminToken == "" {
		return nil, errNoCredentials("admin token", "admin-token", "WXADS_ADMIN_TOKEN")
	}
	opts, err := f.clientOptions(s)
	if err != nil {
		return nil, err
	}
	return client.NewAdmin(s.Server, s.AdminToken, opts...), nil
}

func (f *Factory) clientOptions(s *Settings) ([]client.Option, error) {
	opts := []client.Option{client.WithBaseURL(s.Server)}
	if f.HTTPClient != nil {
		opts = append(opts, client.WithHTTPClient(f.HTTPClient))
	}
	cl, err := f.callLog(s)
	if err != nil {
		return nil, err
	}
	if cl != nil {
		opts = append(opts, client.WithCallLog(cl))
	}
	return opts, nil
}

// callLog opens the call log the settings name (nil when it is off),
// rotated at 10 MiB with five old files kept; Close closes it.
func (f *Factory) callLog(s *Settings) (*client.CallLog, error) {
	if s.CallLog == "" {
		return nil, nil
	}
	if err := os.MkdirAll(filepath.Dir(s.CallLog), 0o700); err != nil {
		return nil, fmt.Errorf("call log: %w", err)
	}
	cl, err := client.OpenCallLog(s.CallLog, 10<<20, 5)
	if err != nil {
		return nil, fmt.Errorf("call log %s: %w (--call-log off to do without) / 无法打开回传日志", s.CallLog, err)
	}
	f.closers = append(f.closers, cl)
	return cl, nil
}

// httpClient is the HTTP client for calls the CLI makes itself.
func (f *Factory) httpClient() *http.Client {
	if f.HTTPClient != nil {
		return f.HTTPClient
	}
	return client.DefaultHTTPClient()
}
