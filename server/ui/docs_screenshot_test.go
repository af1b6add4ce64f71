package ui_test

import (
	"encoding/json"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestDocsScreenshot takes docs/dashboard.png from a running demo:
//
//	wxads serve --demo --data /tmp/demo --addr 127.0.0.1:8080 &
//	WXADS_DEMO_URL=http://127.0.0.1:8080 WXADS_DEMO_DATA=/tmp/demo \
//	  WXADS_DOCS_SCREENSHOT=$PWD/docs/dashboard.png go test -run DocsScreenshot ./server/ui/
//
// It skips unless those are set: it documents, it does not test.
func TestDocsScreenshot(t *testing.T) {
	base, data, out := os.Getenv("WXADS_DEMO_URL"), os.Getenv("WXADS_DEMO_DATA"), os.Getenv("WXADS_DOCS_SCREENSHOT")
	if base == "" || data == "" || out == "" {
		t.Skip("set WXADS_DEMO_URL, WXADS_DEMO_DATA and WXADS_DOCS_SCREENSHOT to take the docs screenshot")
	}
	b, err := os.ReadFile(filepath.Join(data, "demo.json"))
	if err != nil {
		t.Fatal(err)
	}
	var demo struct {
		AppID  string `json:"appid"`
		Secret string `json:"secret"`
		SetID  int64  `json:"user_action_set_id"`
	}
	if err := json.Unmarshal(b, &demo); err != nil {
		t.Fatal(err)
	}
	ctx := newBrowser(t, 1280, 800)
	signInBrowser(t, ctx, base, demo.AppID, demo.Secret)
	if lang := os.Getenv("WXADS_DOCS_LANG"); lang != "" {
		step(t, ctx, "language", chromedp.Navigate(base+"/ui/lang/"+lang+"?next=/ui/sources"))
	}
	step(t, ctx, "open the demo's report", chromedp.Navigate(base+"/ui/sources/"+strconv.FormatInt(demo.SetID, 10)+"?"+
		url.Values{"agg": {os.Getenv("WXADS_DOCS_AGG")}}.Encode()), chromedp.WaitVisible("#chart svg"))
	screenshot(t, ctx, filepath.Dir(out), filepath.Base(out))
}
