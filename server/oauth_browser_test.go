package server_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// startChromium starts a headless Chromium with a fresh profile: skipped on
// a laptop without it, a failure in CI (CI or WXADS_REQUIRE_SERVICES set).
func startChromium(t *testing.T) context.Context {
	t.Helper()
	path := ""
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			path = p
			break
		}
	}
	if path == "" {
		if os.Getenv("CI") != "" || os.Getenv("WXADS_REQUIRE_SERVICES") != "" {
			t.Fatal("Chromium is not installed (apt-get install -y chromium); the browser tests must run in CI")
		}
		t.Skip("Chromium is not installed; set CI=1 to make this a failure")
	}
	alloc, cancelAlloc := chromedp.NewExecAllocator(context.Background(),
		chromedp.ExecPath(path), chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU, chromedp.NoFirstRun,
		chromedp.Flag("disable-background-networking", true), chromedp.UserDataDir(t.TempDir()))
	ctx, cancel := chromedp.NewContext(alloc)
	t.Cleanup(func() {
		cancel()
		cancelAlloc()
	})
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("start Chromium: %v", err)
	}
	return ctx
}

// TestConsentPageInChromium: the advertiser signs in and approves on the
// consent page in a real browser, which follows the redirect to the app.
func TestConsentPageInChromium(t *testing.T) {
	ctx := startChromium(t)
	h := newHarness(t)
	tn := h.newTenant()
	got := make(chan url.Values, 2)
	app := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/cb" {
			got <- r.URL.Query()
		}
		w.Write([]byte("ok"))
	}))
	defer app.Close()
	c := h.newOAuthClient(app.URL + "/cb")
	q := url.Values{"client_id": {itoa(c.ID)}, "redirect_uri": {app.URL + "/cb"}, "state": {"s-1"}}

	run := func(what string, actions ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		c, cancel := context.WithTimeout(ctx, 20*time.Second)
		defer cancel()
		if err := chromedp.Do(c, actions...); err != nil {
			t.Fatalf("%s: %v", what, err)
		}
	}
	wait := func() url.Values {
		t.Helper()
		select {
		case v := <-got:
			return v
		case <-time.After(20 * time.Second):
			t.Fatal("the browser never reached the redirect_uri")
			return nil
		}
	}
	// landed waits until the browser has finished loading the app's page:
	// the app seeing the request is not enough, and a navigation started
	// before then is aborted by the one still finishing (net::ERR_ABORTED).
	landed := func() {
		t.Helper()
		for deadline := time.Now().Add(20 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
			c, cancel := context.WithTimeout(ctx, 2*time.Second)
			href, err := chromedp.Run(c, chromedp.Evaluate[string](`document.readyState === "complete" ? location.href : ""`))
			cancel()
			if err == nil && strings.HasPrefix(href, app.URL+"/cb") {
				return
			}
		}
		t.Fatal("the browser never finished loading the redirect_uri")
	}
	run("refuse", chromedp.Navigate(h.srv.URL+"/oauth/authorize?"+q.Encode()), chromedp.WaitVisible("#refuse"), chromedp.Click("#refuse"))
	if v := wait(); v.Get("error") != "access_denied" || v.Get("state") != "s-1" {
		t.Fatalf("refused: %v", v)
	}
	landed()
	run("approve",
		chromedp.Navigate(h.srv.URL+"/oauth/authorize?"+q.Encode()),
		chromedp.WaitVisible("#appid"),
		chromedp.SendKeys("#appid", tn.AppID),
		chromedp.SendKeys("#secret", tn.Secret),
		chromedp.Click("#approve"),
	)
	v := wait()
	if v.Get("state") != "s-1" || v.Get("authorization_code") == "" {
		t.Fatalf("approved: %v", v)
	}
	tok := decodeData[oauthTokens](t, mustOK(t, h.exchange(c, v.Get("authorization_code"), app.URL+"/cb")))
	mustOK(t, h.v11(tenant{AccountID: tn.AccountID, Token: tok.AccessToken}, nil))
}
