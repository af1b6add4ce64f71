package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/wxads/wxads/client"
	"github.com/wxads/wxads/errcode"
)

// TokenOptions are `wxads token`'s.
type TokenOptions struct {
	F      *Factory
	Stable bool // POST /cgi-bin/stable_token (else GET /cgi-bin/token, which supersedes)
	Force  bool // stable_token with force_refresh
	JSON   bool
}

// NewCmdToken builds `wxads token`; runF replaces the run in tests.
func NewCmdToken(f *Factory, runF func(*TokenOptions) error) *cobra.Command {
	o := &TokenOptions{F: f}
	cmd := &cobra.Command{
		Use:   "token",
		Short: "Fetch an access_token and print it with its expiry / 获取 access_token",
		Long: `Fetches an access_token for the app and prints it with its expiry (GMT+8).

By default it asks POST /cgi-bin/stable_token, which returns the app's current
token to every caller, so several processes sharing an appid never invalidate
each other. --force asks a new one (at most 20 a day, 30 s apart); --stable=false
uses GET /cgi-bin/token, whose every call supersedes the previous token.
默认使用 stable_token，多个进程共用一个 appid 也不会互相使 token 失效。`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if o.Force && !o.Stable {
				return usagef("--force needs --stable (GET /cgi-bin/token always issues a new token) / --force 仅用于 stable_token")
			}
			if runF != nil {
				return runF(o)
			}
			return o.Run(cmd.Context())
		},
	}
	cmd.Flags().BoolVar(&o.Stable, "stable", true, "use /cgi-bin/stable_token (false: /cgi-bin/token, which supersedes the previous token)")
	cmd.Flags().BoolVar(&o.Force, "force", false, "force_refresh: issue a new stable token (20 a day, 30 s apart)")
	cmd.Flags().BoolVar(&o.JSON, "json", false, "print {access_token, expires_in, expires_at}")
	return cmd
}

// tokenAnswer is both token endpoints' answer.
type tokenAnswer struct {
	Errcode     int    `json:"errcode"`
	Errmsg      string `json:"errmsg"`
	AccessToken string `json:"access_token"`
	ExpiresIn   int64  `json:"expires_in"`
}

// Run fetches the token. It calls the endpoint itself rather than through
// client.Client.Token because people run it to see the answer's expiry and
// to force a refresh, which the SDK's token cache keeps to itself.
func (o *TokenOptions) Run(ctx context.Context) error {
	s, err := o.F.Settings("")
	if err != nil {
		return err
	}
	if s.AppID == "" {
		return errNoCredentials("appid", "appid", "WXADS_APPID")
	}
	if s.Secret == "" {
		return errNoCredentials("secret", "secret", "WXADS_SECRET")
	}
	cl, err := o.F.callLog(s)
	if err != nil {
		return err
	}
	a, err := fetchToken(ctx, o.F.httpClient(), cl, s, o.Stable, o.Force)
	if err != nil {
		return apiError(bi("no token", "获取 access_token 失败"), err)
	}
	exp := o.F.Now().Add(time.Duration(a.ExpiresIn) * time.Second).In(gmt8)
	if o.JSON {
		return printJSON(o.F.IO.Out, map[string]any{"access_token": a.AccessToken, "expires_in": a.ExpiresIn,
			"expires_at": exp.Format(time.RFC3339)})
	}
	fmt.Fprintf(o.F.IO.Out, "access_token  %s\nexpires_in    %d s (%s GMT+8)\n", a.AccessToken, a.ExpiresIn,
		exp.Format(time.DateTime))
	return nil
}

// fetchToken asks the platform for a token; a refusal is a *client.APIError.
// The call goes into the call log like the SDK's, without secret or token.
func fetchToken(ctx context.Context, hc *http.Client, cl *client.CallLog, s *Settings, stable, force bool) (*tokenAnswer, error) {
	base := strings.TrimRight(s.Server, "/")
	var req *http.Request
	var err error
	if stable {
		body, _ := json.Marshal(map[string]any{"grant_type": "client_credential", "appid": s.AppID,
			"secret": s.Secret, "force_refresh": force})
		req, err = http.NewRequestWithContext(ctx, "POST", base+"/cgi-bin/stable_token", bytes.NewReader(body))
	} else {
		q := url.Values{"grant_type": {"client_credential"}, "appid": {s.AppID}, "secret": {s.Secret}}
		req, err = http.NewRequestWithContext(ctx, "GET", base+"/cgi-bin/token?"+q.Encode(), nil)
	}
	if err != nil {
		return nil, err
	}
	start := time.Now()
	resp, err := hc.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	var a tokenAnswer
	derr := json.NewDecoder(resp.Body).Decode(&a)
	if cl != nil {
		logged, _ := json.Marshal(map[string]any{"expires_in": a.ExpiresIn, "errcode": a.Errcode, "errmsg": a.Errmsg})
		cl.Write(client.CallRecord{Time: start, Method: req.Method, Route: req.URL.Path, RequestID: resp.Header.Get("X-Request-Id"),
			HTTPStatus: resp.StatusCode, Errcode: a.Errcode, Errmsg: a.Errmsg, Attempt: 1, Response: logged,
			DurationMS: float64(time.Since(start).Microseconds()) / 1000})
	}
	if derr != nil {
		return nil, fmt.Errorf("%s answered HTTP %d, not a token: %v", req.URL.Path, resp.StatusCode, derr)
	}
	if a.Errcode != 0 || a.AccessToken == "" {
		_, cn := errcode.Message(a.Errcode)
		return nil, &client.APIError{Code: a.Errcode, Message: a.Errmsg, MessageCN: cn, HTTPStatus: resp.StatusCode,
			Route: req.URL.Path, RequestID: resp.Header.Get("X-Request-Id")}
	}
	return &a, nil
}
