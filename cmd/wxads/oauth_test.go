package main

import (
	"context"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/wxads/wxads/wxadstest"
)

var hiddenRE = regexp.MustCompile(`<input type="hidden" name="([a-z_]+)" value="([^"]*)">`)

// TestOAuthCommand runs `wxads oauth` against a platform and plays the
// advertiser on the consent page over HTTP, following the redirect to the
// command's listener.
func TestOAuthCommand(t *testing.T) {
	srv := wxadstest.NewServer(t)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := ln.Addr().(*net.TCPAddr).Port
	ln.Close()
	redirect := "http://127.0.0.1:" + strconv.Itoa(port) + "/callback"
	var app struct {
		ClientID     int64  `json:"client_id"`
		ClientSecret string `json:"client_secret"`
	}
	adminJSON(t, srv, "/admin/v1/oauth_clients", `{"name":"CLI test","redirect_uris":["`+redirect+`"]}`, &app)

	var out, errOut lockedBuffer
	f := NewFactory(IOStreams{In: strings.NewReader(""), Out: &out, ErrOut: &errOut},
		func(k string) string { return map[string]string{"WXADS_SERVER": srv.URL, "HOME": t.TempDir()}[k] })
	urls := make(chan string, 1)
	o := &OAuthOptions{F: f, ClientID: app.ClientID, ClientSecret: app.ClientSecret, Port: port,
		Timeout: 20 * time.Second, listening: func(u string) { urls <- u }}
	done := make(chan error, 1)
	go func() { done <- o.Run(context.Background()) }()

	var authURL string
	select {
	case authURL = <-urls:
	case err := <-done:
		t.Fatalf("command ended early: %v\n%s", err, errOut.String())
	}
	if !strings.Contains(errOut.String(), authURL) {
		t.Fatalf("the URL is not printed:\n%s", errOut.String())
	}
	jar, _ := cookiejar.New(nil)
	b := &http.Client{Jar: jar, Timeout: 10 * time.Second}
	resp, err := b.Get(authURL)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	form := url.Values{}
	for _, m := range hiddenRE.FindAllStringSubmatch(string(body), -1) {
		form.Set(m[1], strings.ReplaceAll(m[2], "&amp;", "&"))
	}
	form.Set("appid", srv.AppID)
	form.Set("secret", srv.Secret)
	form.Set("decision", "approve")
	resp, err = b.PostForm(srv.URL+"/oauth/authorize", form) // follows the redirect to the listener
	if err != nil {
		t.Fatal(err)
	}
	page, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err := <-done; err != nil {
		t.Fatalf("wxads oauth: %v\n%s", err, errOut.String())
	}
	if !strings.Contains(string(page), "return to the terminal") {
		t.Errorf("callback page: %s", page)
	}
	got := out.String()
	if !regexp.MustCompile(`access_token   [0-9a-f]{32} \(expires in 86400 s\)`).MatchString(got) ||
		!strings.Contains(got, "account_id     "+strconv.FormatInt(srv.AccountID, 10)) {
		t.Fatalf("output:\n%s", got)
	}
}

func adminJSON(t *testing.T, srv *wxadstest.Server, path, body string, out any) {
	t.Helper()
	req, _ := http.NewRequest("POST", srv.URL+path, strings.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+srv.AdminToken)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var env struct {
		Errcode int             `json:"errcode"`
		Data    json.RawMessage `json:"data"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&env); err != nil || env.Errcode != 0 {
		t.Fatalf("%s: %v %+v", path, err, env)
	}
	if err := json.Unmarshal(env.Data, out); err != nil {
		t.Fatal(err)
	}
}
