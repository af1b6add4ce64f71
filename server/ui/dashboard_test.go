package ui_test

import (
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

var csrfRE = regexp.MustCompile(`name="csrf" value="([0-9a-f]+)"`)

// get fetches a dashboard page and returns its status and body.
func (w *world) get(c *http.Client, path string) (int, string) {
	w.t.Helper()
	resp, err := c.Get(w.srv.URL + path)
	if err != nil {
		w.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

func (w *world) post(c *http.Client, path string, form url.Values) (int, string, *http.Response) {
	w.t.Helper()
	resp, err := c.PostForm(w.srv.URL+path, form)
	if err != nil {
		w.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b), resp
}

// csrf returns the token a page's forms carry.
func (w *world) csrf(c *http.Client, path string) string {
	w.t.Helper()
	_, body := w.get(c, path)
	m := csrfRE.FindStringSubmatch(body)
	if m == nil {
		w.t.Fatalf("%s has no CSRF token", path)
	}
	return m[1]
}

func (w *world) signIn(c *http.Client, appid, secret string) int {
	w.t.Helper()
	status, _, _ := w.post(c, "/ui/signin", url.Values{"csrf": {w.csrf(c, "/ui/signin")}, "appid": {appid}, "secret": {secret}})
	return status
}

func TestSignInSourcesAndSignOut(t *testing.T) {
	w := newWorld(t)
	c := w.browser()
	if status, _ := w.get(c, "/ui/sources"); status != http.StatusSeeOther {
		t.Fatalf("signed out: /ui/sources answered %d, want a redirect to sign in", status)
	}
	if status := w.signIn(c, w.appid, w.secret); status != http.StatusSeeOther {
		t.Fatalf("sign-in answered %d", status)
	}
	status, body := w.get(c, "/ui/sources")
	if status != http.StatusOK || !strings.Contains(body, "Demo Advertiser conversions") {
		t.Fatalf("sources: %d\n%s", status, body)
	}
	if strings.Contains(body, "Other Advertiser") {
		t.Fatal("sources page shows another advertiser's data source")
	}
	token := csrfRE.FindStringSubmatch(body)[1]
	if status, _, _ := w.post(c, "/ui/signout", url.Values{"csrf": {token}}); status != http.StatusSeeOther {
		t.Fatalf("sign-out answered %d", status)
	}
	if status, _ := w.get(c, "/ui/sources"); status != http.StatusSeeOther {
		t.Fatalf("after sign-out /ui/sources answered %d", status)
	}
}

func TestSessionCookieFlags(t *testing.T) {
	w := newWorld(t)
	c := w.browser()
	_, _, resp := w.post(c, "/ui/signin", url.Values{"csrf": {w.csrf(c, "/ui/signin")}, "appid": {w.appid}, "secret": {w.secret}})
	var found bool
	for _, ck := range resp.Cookies() {
		if ck.Name == "wxads_session" && ck.Value != "" {
			found = true
			if !ck.HttpOnly || ck.SameSite != http.SameSiteStrictMode {
				t.Errorf("session cookie HttpOnly=%v SameSite=%v, want HttpOnly and Strict", ck.HttpOnly, ck.SameSite)
			}
		}
	}
	if !found {
		t.Fatal("sign-in set no session cookie")
	}
}

func TestFormsWithoutCSRFAreRefused(t *testing.T) {
	w := newWorld(t)
	c := w.browser()
	w.get(c, "/ui/signin")
	// Right credentials, no token: refused, and no session is granted.
	if status, body, _ := w.post(c, "/ui/signin", url.Values{"appid": {w.appid}, "secret": {w.secret}}); status != http.StatusForbidden || !strings.Contains(body, "CSRF") {
		t.Fatalf("sign-in without CSRF: %d", status)
	}
	if status := w.signIn(c, w.appid, w.secret); status != http.StatusSeeOther {
		t.Fatalf("sign-in: %d", status)
	}
	for _, path := range []string{"/ui/signout", "/ui/explorer"} {
		if status, _, _ := w.post(c, path, url.Values{"route": {"sets_get"}}); status != http.StatusForbidden {
			t.Errorf("POST %s without CSRF: %d, want 403", path, status)
		}
		if status, _, _ := w.post(c, path, url.Values{"route": {"sets_get"}, "csrf": {"0123abcd"}}); status != http.StatusForbidden {
			t.Errorf("POST %s with a wrong CSRF token: %d, want 403", path, status)
		}
	}
	if status, _ := w.get(c, "/ui/sources"); status != http.StatusOK {
		t.Fatalf("the refused sign-out signed out anyway: %d", status)
	}
}

func TestAdvertiserCannotReachAnothersPages(t *testing.T) {
	w := newWorld(t)
	c := w.browser()
	w.signIn(c, w.appid, w.secret)
	if status, _ := w.get(c, "/ui/sources/"+strconv.FormatInt(w.setID, 10)); status != http.StatusOK {
		t.Fatalf("own report: %d", status)
	}
	other := strconv.FormatInt(w.other.setID, 10)
	for _, path := range []string{"/ui/sources/" + other, "/ui/sources/" + other + "?account=2", "/ui/sources/999999",
		"/ui/admin/advertisers", "/ui/admin/apps?appid=" + w.other.appid} {
		status, body := w.get(c, path)
		if status != http.StatusNotFound || strings.Contains(body, "Other Advertiser") {
			t.Errorf("%s: %d, want 404 revealing nothing", path, status)
		}
	}
	// ?account= is the admin's picker; for an advertiser it changes nothing.
	_, body := w.get(c, "/ui/sources?account=2")
	if strings.Contains(body, "Other Advertiser") || !strings.Contains(body, "Demo Advertiser") {
		t.Error("?account= let an advertiser see another's sources")
	}
}

func TestSignInRateLimited(t *testing.T) {
	w := newWorld(t)
	c := w.browser()
	for i := 0; i < 5; i++ {
		if status := w.signIn(c, w.appid, "00000000000000000000000000000000"); status != http.StatusUnauthorized {
			t.Fatalf("wrong secret #%d: %d, want 401", i+1, status)
		}
	}
	if status := w.signIn(c, w.appid, w.secret); status != http.StatusTooManyRequests {
		t.Fatalf("after 5 failures the right secret got %d, want 429 until the window passes", status)
	}
	// Another app from the same address still may (per-IP limit is higher).
	if status := w.signIn(w.browser(), w.other.appid, w.other.secret); status != http.StatusSeeOther {
		t.Fatalf("another appid: %d", status)
	}
}

func TestAdminSignInSeesEveryAdvertiser(t *testing.T) {
	w := newWorld(t)
	c := w.browser()
	status, _, _ := w.post(c, "/ui/signin", url.Values{"csrf": {w.csrf(c, "/ui/signin")}, "admin_token": {testAdminToken}})
	if status != http.StatusSeeOther {
		t.Fatalf("admin sign-in: %d", status)
	}
	for _, acct := range []string{"1", "2"} {
		_, body := w.get(c, "/ui/sources?account="+acct)
		if !strings.Contains(body, "Advertiser conversions") {
			t.Errorf("admin, account %s: no data source shown", acct)
		}
	}
	if status, _ := w.get(c, "/ui/admin/apps?appid="+w.other.appid); status != http.StatusOK {
		t.Errorf("admin apps page: %d", status)
	}
	if status, _, _ := w.post(c, "/ui/signin", url.Values{"csrf": {w.csrf(w.browser(), "/ui/signin")}, "admin_token": {"wrong"}}); status != http.StatusForbidden {
		t.Errorf("a token from another session's form: %d, want 403", status)
	}
}
