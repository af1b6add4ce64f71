package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"html"
	"net"
	"net/http"
	"strconv"
	"time"

	"github.com/spf13/cobra"

	"github.com/wxads/wxads/client"
)

// OAuthOptions are `wxads oauth`'s.
type OAuthOptions struct {
	F            *Factory
	ClientID     int64
	ClientSecret string
	Port         int
	Scope        []string
	Timeout      time.Duration
	JSON         bool
	// listening, when set, is told the authorize URL once the redirect
	// listener is up (tests drive the consent page from it).
	listening func(authorizeURL string)
}

// NewCmdOAuth builds `wxads oauth`.
func NewCmdOAuth(f *Factory) *cobra.Command {
	o := &OAuthOptions{F: f}
	cmd := &cobra.Command{
		Use:   "oauth --client-id ID --client-secret SECRET [--port 8085]",
		Short: "Walk through the Tencent OAuth 2.0 flow and print the tokens / 在终端完成 OAuth 授权",
		Long: `Walks a developer app through the Tencent-side OAuth 2.0 flow (SPEC §10):
prints the consent page's URL, listens on 127.0.0.1:PORT for the redirect
(register http://127.0.0.1:PORT/callback with the app, exactly), trades the
authorization_code for tokens and prints them.
打印授权页地址，在 127.0.0.1:PORT 等待回调（需在应用登记
http://127.0.0.1:PORT/callback），用 authorization_code 换取并打印令牌。

The client id and secret may also come from WXADS_CLIENT_ID and WXADS_CLIENT_SECRET.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error { return o.Run(cmd.Context()) },
	}
	cmd.Flags().Int64Var(&o.ClientID, "client-id", 0, "the developer app's client_id (env WXADS_CLIENT_ID)")
	cmd.Flags().StringVar(&o.ClientSecret, "client-secret", "", "the developer app's client_secret (env WXADS_CLIENT_SECRET)")
	cmd.Flags().IntVar(&o.Port, "port", 8085, "local port of the redirect listener")
	cmd.Flags().StringSliceVar(&o.Scope, "scope", nil, "scopes to ask for (default: all)")
	cmd.Flags().DurationVar(&o.Timeout, "timeout", 5*time.Minute, "how long to wait for the advertiser")
	cmd.Flags().BoolVar(&o.JSON, "json", false, "print the token answer as JSON")
	return cmd
}

// Run does the flow.
func (o *OAuthOptions) Run(ctx context.Context) error {
	if o.ClientID == 0 {
		o.ClientID, _ = strconv.ParseInt(o.F.Getenv("WXADS_CLIENT_ID"), 10, 64)
	}
	if o.ClientSecret == "" {
		o.ClientSecret = o.F.Getenv("WXADS_CLIENT_SECRET")
	}
	if o.ClientID <= 0 || o.ClientSecret == "" {
		return usagef("need --client-id and --client-secret (or WXADS_CLIENT_ID, WXADS_CLIENT_SECRET); make an app with POST /admin/v1/oauth_clients / 需要 client_id 和 client_secret")
	}
	s, err := o.F.Settings("")
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", net.JoinHostPort("127.0.0.1", strconv.Itoa(o.Port)))
	if err != nil {
		return fmt.Errorf("cannot listen on 127.0.0.1:%d for the redirect: %v (pick another --port and register its callback) / 无法监听回调端口", o.Port, err)
	}
	defer ln.Close()
	redirect := fmt.Sprintf("http://127.0.0.1:%d/callback", o.Port)
	hc := o.F.HTTPClient
	if hc == nil {
		hc = client.DefaultHTTPClient()
	}
	oa := client.NewOAuth(client.OAuthConfig{BaseURL: s.Server, ClientID: o.ClientID, ClientSecret: o.ClientSecret,
		RedirectURI: redirect, HTTPClient: hc, Now: o.F.Now}, nil)
	var st [16]byte
	rand.Read(st[:])
	state := hex.EncodeToString(st[:])
	authURL := oa.Config().AuthorizeURL(state, o.Scope...)
	fmt.Fprintf(o.F.IO.ErrOut, "Open this URL in a browser and approve / 在浏览器中打开并同意授权:\n\n  %s\n\nWaiting for %s …\n", authURL, redirect)
	if o.listening != nil {
		o.listening(authURL)
	}
	code, err := awaitCode(ctx, ln, state, o.Timeout)
	if err != nil {
		return err
	}
	tok, err := oa.Exchange(ctx, code)
	if err != nil {
		return err
	}
	if o.JSON {
		enc := json.NewEncoder(o.F.IO.Out)
		enc.SetIndent("", "  ")
		return enc.Encode(tok)
	}
	fmt.Fprintf(o.F.IO.Out, "access_token   %s (expires in %d s)\nrefresh_token  %s (expires in %d s)\naccount_id     %d\nscope          %v\n",
		tok.AccessToken, tok.AccessTokenExpiresIn, tok.RefreshToken, tok.RefreshTokenExpiresIn,
		tok.AuthorizerInfo.AccountID, tok.AuthorizerInfo.ScopeList)
	return nil
}

// awaitCode serves /callback on ln until a redirect with our state arrives.
func awaitCode(ctx context.Context, ln net.Listener, state string, timeout time.Duration) (string, error) {
	type outcome struct {
		code string
		err  error
	}
	done := make(chan outcome, 1)
	mux := http.NewServeMux()
	mux.HandleFunc("/callback", func(w http.ResponseWriter, r *http.Request) {
		q := r.URL.Query()
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		if q.Get("state") != state {
			w.WriteHeader(http.StatusBadRequest)
			fmt.Fprint(w, "<p>state does not match this run of wxads oauth / state 不匹配</p>")
			return
		}
		var o outcome
		switch {
		case q.Get("error") != "":
			o.err = fmt.Errorf("the advertiser refused (error=%s) / 广告主拒绝了授权", q.Get("error"))
		case q.Get("authorization_code") == "":
			o.err = errors.New("the redirect carried no authorization_code / 回调中没有 authorization_code")
		default:
			o.code = q.Get("authorization_code")
		}
		msg := "Authorized; return to the terminal. / 授权完成，请回到终端。"
		if o.err != nil {
			msg = o.err.Error()
		}
		fmt.Fprintf(w, "<!doctype html><meta charset=utf-8><title>wxads oauth</title><p>%s</p>", html.EscapeString(msg))
		select {
		case done <- o:
		default:
		}
	})
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	go srv.Serve(ln)
	// Shutdown, not Close: the handler signals before its page is written,
	// and Close would cut the browser off mid-response.
	defer func() {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		srv.Shutdown(ctx)
	}()
	timer := time.NewTimer(timeout)
	defer timer.Stop()
	select {
	case o := <-done:
		return o.code, o.err
	case <-timer.C:
		return "", fmt.Errorf("no redirect within %s / 等待授权超时", timeout)
	case <-ctx.Done():
		return "", ctx.Err()
	}
}
