package client_test

import (
	"context"
	"fmt"
	"os"
	"strings"
	"sync"
	"testing"

	"github.com/wxads/wxads/client"
	"github.com/wxads/wxads/wxadstest"
)

// Neither the secret nor any token reaches the call log: not from the
// stable_token body or answer, the /cgi-bin/token query, the access_token
// of each call, nor the admin API's answers that carry secrets.
func TestCallLogRedaction(t *testing.T) {
	srv := wxadstest.NewServer(t)
	path := t.TempDir() + "/calls.jsonl"
	cl, err := client.OpenCallLog(path, 0, 0)
	mustNoErr(t, err)
	ctx := context.Background()
	var tokens []string
	for _, stable := range []bool{true, false} {
		c := srv.Client(client.WithCallLog(cl), client.WithStableToken(stable))
		_, err := c.ActionSets.Get(ctx, client.ActionSetFilter{})
		mustNoErr(t, err)
		_, err = c.UserActions.Add(ctx, action(srv, 0))
		mustNoErr(t, err)
		_, err = c.Templates.Get(ctx, client.TemplateQuery{PageSize: 1})
		mustNoErr(t, err)
		tok, _ := c.Token(ctx)
		tokens = append(tokens, tok)
	}
	// A network failure: net/http quotes the URL, access_token included.
	rec, hc := newRecorder(t)
	rec.inject("/marketing/user_action_sets/get", fault{network: true, before: true})
	failing := srv.Client(client.WithCallLog(cl), client.WithHTTPClient(hc), client.WithRetry(client.RetryPolicy{MaxAttempts: 1}))
	_, err = failing.ActionSets.Get(ctx, client.ActionSetFilter{})
	if err == nil || !client.Retryable(err) {
		t.Fatalf("injected network error: %v", err)
	}
	tok, _ := failing.Token(ctx)
	if strings.Contains(err.Error(), tok) {
		t.Fatalf("the error quotes the token: %v", err)
	}
	adm := srv.Admin(client.WithCallLog(cl))
	app, err := adm.CreateApp(ctx, client.AppSpec{AccountID: srv.AccountID, Name: "second"})
	mustNoErr(t, err)
	newSecret, err := adm.ResetSecret(ctx, app.AppID)
	mustNoErr(t, err)
	// A refused call, too: its error text must not carry the token either.
	bad, err := client.New(srv.AppID, strings.Repeat("0", 32), client.WithBaseURL(srv.URL), client.WithCallLog(cl))
	mustNoErr(t, err)
	_, err = bad.Token(ctx)
	if err == nil {
		t.Fatal("a wrong secret was accepted")
	}
	mustNoErr(t, cl.Close())

	raw, err := os.ReadFile(path)
	mustNoErr(t, err)
	for name, secret := range map[string]string{"secret": srv.Secret, "stable token": tokens[0],
		"token": tokens[1], "token in a network error": tok, "new app's secret": app.Secret, "reset secret": newSecret} {
		if secret == "" || strings.Contains(string(raw), secret) {
			t.Fatalf("the call log holds the %s (%q)", name, secret)
		}
	}
	if !strings.Contains(string(raw), "[REDACTED]") {
		t.Fatal("nothing was redacted: the test saw no secret")
	}

	// Each line is a full record.
	routes := map[string]bool{}
	n := 0
	mustNoErr(t, client.ReadCallLog(path, func(r client.CallRecord) error {
		n++
		routes[r.Route] = true
		if r.Time.IsZero() || r.Method == "" || r.Attempt < 1 || r.DurationMS <= 0 {
			return fmt.Errorf("incomplete record %+v", r)
		}
		if r.HTTPStatus == 0 && r.Errcode == -1 && r.Errmsg != "" {
			return nil // no answer: a network failure
		}
		if r.RequestID == "" || r.HTTPStatus == 0 {
			return fmt.Errorf("no request id: %+v", r)
		}
		if strings.Contains(r.Route, "?") {
			return fmt.Errorf("route with query: %q", r.Route)
		}
		return nil
	}))
	for _, want := range []string{"/cgi-bin/stable_token", "/cgi-bin/token", "/marketing/user_action_sets/get",
		"/marketing/user_actions/add", "/v1.1/adcreative_templates/get", "/admin/v1/apps"} {
		if !routes[want] {
			t.Fatalf("no record of %s (have %v)", want, routes)
		}
	}
}

// Size rotation keeps path, path.1 … path.keep; ReadCallLog reads oldest
// first; concurrent writers never interleave lines.
func TestCallLogRotation(t *testing.T) {
	path := t.TempDir() + "/calls.jsonl"
	cl, err := client.OpenCallLog(path, 4096, 2)
	mustNoErr(t, err)
	var wg sync.WaitGroup
	for w := range 4 {
		wg.Go(func() {
			for i := range 100 {
				rec := client.CallRecord{Method: "GET", Route: fmt.Sprintf("/w%d/%03d", w, i), Attempt: 1}
				if err := cl.Write(rec); err != nil {
					t.Error(err)
				}
			}
		})
	}
	wg.Wait()
	mustNoErr(t, cl.Write(client.CallRecord{Route: "/last"}))
	mustNoErr(t, cl.Close())
	for _, name := range []string{path, path + ".1", path + ".2"} {
		st, err := os.Stat(name)
		if err != nil || st.Size() > 4096 || st.Mode().Perm() != 0o600 {
			t.Fatalf("%s: %v %v", name, st, err)
		}
	}
	if _, err := os.Stat(path + ".3"); err == nil {
		t.Fatal("more rotated files than keep")
	}
	var got []string
	mustNoErr(t, client.ReadCallLog(path, func(r client.CallRecord) error {
		got = append(got, r.Route)
		return nil
	}))
	if len(got) < 10 || got[len(got)-1] != "/last" {
		t.Fatalf("read %d records, last %q", len(got), got[len(got)-1])
	}
	last := map[string]string{} // per writer, routes must ascend: oldest first
	for _, r := range got[:len(got)-1] {
		w := r[:3]
		if r <= last[w] {
			t.Fatalf("%s read after %s", r, last[w])
		}
		last[w] = r
	}
}
