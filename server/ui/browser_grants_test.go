package ui_test

import (
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestBrowserGrantsRevoke: an app authorized through the admin API shows on
// the advertiser's 已授权应用 page at 375 px (no sideways scroll, another
// advertiser's app absent); revoking it in the browser asks first, then its
// token is refused by /v3.0/user_action_sets/get.
func TestBrowserGrantsRevoke(t *testing.T) {
	w := newWorld(t)
	client, access := w.oauthGrant(w.appid, "Acme 数据助手 Data Helper")
	_, otherAccess := w.oauthGrant(w.other.appid, "Other Tool")
	if code := w.v3Code(w.appid, access); code != 0 {
		t.Fatalf("the OAuth token before revocation: code %d", code)
	}
	ctx := newBrowser(t, 375, 800)
	shots := t.TempDir()
	if dir := os.Getenv("WXADS_SCREENSHOTS"); dir != "" {
		shots = dir
	}
	base := w.srv.URL
	signInBrowser(t, ctx, base, w.appid, w.secret)

	card := fmt.Sprintf("#grant-%d", client)
	step(t, ctx, "open authorized apps from the nav", chromedp.Click("#nav-grants"), chromedp.WaitVisible(card))
	text := eval[string](t, ctx, `document.querySelector("main").innerText`)
	if !strings.Contains(text, "Acme 数据助手 Data Helper") || strings.Contains(text, "Other Tool") {
		t.Fatalf("page text: %.800s", text)
	}
	if live := eval[string](t, ctx, `document.querySelector("`+card+` .grant-live").textContent.trim()`); live != "2" {
		t.Errorf("live tokens shown %q, want 2", live)
	}
	if overflow := eval[int](t, ctx, `document.documentElement.scrollWidth - window.innerWidth`); overflow > 0 {
		t.Errorf("authorized apps at 375 px is %d px wider than the screen", overflow)
	}
	screenshot(t, ctx, shots, "grants-375.png")

	// The confirmation is hidden until Revoke is pressed.
	confirm := fmt.Sprintf("#revoke-confirm-%d", client)
	if visible := eval[bool](t, ctx, `document.querySelector("`+confirm+`").checkVisibility() || document.querySelector("`+card+` details").open`); visible {
		t.Fatal("the confirm button shows before Revoke is pressed")
	}
	step(t, ctx, "press Revoke", chromedp.Click(fmt.Sprintf("#revoke-%d", client)), chromedp.WaitVisible(confirm))
	if overflow := eval[int](t, ctx, `document.documentElement.scrollWidth - window.innerWidth`); overflow > 0 {
		t.Errorf("the open confirmation is %d px wider than the screen", overflow)
	}
	screenshot(t, ctx, shots, "grants-confirm-375.png")
	step(t, ctx, "confirm", chromedp.Click(confirm))
	waitFor(t, ctx, "the list without the app", `location.pathname === "/ui/grants" && document.querySelector("#grants-none") !== null && document.querySelector("#flash") !== null`)
	flash := eval[string](t, ctx, `document.querySelector("#flash").textContent`)
	if !strings.Contains(flash, "Acme 数据助手 Data Helper") || !strings.Contains(flash, "2") {
		t.Errorf("flash %q", flash)
	}
	screenshot(t, ctx, shots, "grants-revoked-375.png")

	if code := w.v3Code(w.appid, access); code != 11002 {
		t.Errorf("the revoked token on /v3.0/user_action_sets/get: code %d, want 11002", code)
	}
	if code := w.v3Code(w.other.appid, otherAccess); code != 0 {
		t.Errorf("another advertiser's token after the revocation: code %d", code)
	}
}
