package server_test

import (
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/wxads/wxads"
)

// browser is a cookie-keeping HTTP client that does not follow redirects,
// so a test sees where the consent page sends the advertiser.
type browser struct {
	t *testing.T
	h *harness
	c *http.Client
}

func newBrowser(t *testing.T, h *harness) *browser {
	jar, _ := cookiejar.New(nil)
	return &browser{t: t, h: h, c: &http.Client{Jar: jar,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

type webPage struct {
	status   int
	body     string
	location string
}

func (b *browser) send(req *http.Request) webPage {
	b.t.Helper()
	resp, err := b.c.Do(req)
	if err != nil {
		b.t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	if resp.StatusCode >= 500 {
		b.t.Fatalf("HTTP %d %s", resp.StatusCode, raw)
	}
	return webPage{resp.StatusCode, string(raw), resp.Header.Get("Location")}
}

func (b *browser) get(q url.Values) webPage {
	req, _ := http.NewRequest("GET", b.h.srv.URL+"/oauth/authorize?"+q.Encode(), nil)
	return b.send(req)
}

func (b *browser) post(form url.Values) webPage {
	req, _ := http.NewRequest("POST", b.h.srv.URL+"/oauth/authorize", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return b.send(req)
}

var hiddenInput = regexp.MustCompile(`<input type="hidden" name="([a-z_]+)" value="([^"]*)">`)

// form reads the page's hidden fields, as a browser would submit them.
func (p webPage) form(t *testing.T) url.Values {
	t.Helper()
	v := url.Values{}
	for _, m := range hiddenInput.FindAllStringSubmatch(p.body, -1) {
		v.Set(m[1], htmlUnescape(m[2]))
	}
	if v.Get("csrf_token") == "" {
		t.Fatalf("no form on the page: %s", p.body)
	}
	return v
}

func htmlUnescape(s string) string {
	return strings.NewReplacer("&amp;", "&", "&#43;", "+", "&#34;", `"`, "&#39;", "'", "&lt;", "<", "&gt;", ">").Replace(s)
}

func authorizeQuery(c oauthClient, redirect string) url.Values {
	return url.Values{"client_id": {itoa(c.ID)}, "redirect_uri": {redirect}, "state": {"xyz+1 &"}, "scope": {"ads_management,user_actions"}}
}

func TestConsentPageApprove(t *testing.T) {
	h := newHarness(t)
	tn := h.newTenant()
	c := h.newOAuthClient()
	b := newBrowser(t, h)
	p := b.get(authorizeQuery(c, testRedirect))
	if p.status != 200 || !strings.Contains(p.body, "Dev Tool") || !strings.Contains(p.body, "<code>user_actions</code>") ||
		!strings.Contains(p.body, "授权") || !strings.Contains(p.body, "Authorize") {
		t.Fatalf("consent page %d: %s", p.status, p.body)
	}
	form := p.form(t)
	form.Set("appid", tn.AppID)
	form.Set("secret", tn.Secret)
	form.Set("decision", "approve")
	got := b.post(form)
	if got.status != http.StatusFound {
		t.Fatalf("approve: HTTP %d %s", got.status, got.body)
	}
	loc, _ := url.Parse(got.location)
	if !strings.HasPrefix(got.location, testRedirect+"?") || loc.Query().Get("state") != "xyz+1 &" {
		t.Fatalf("redirect %s", got.location)
	}
	tok := decodeData[oauthTokens](t, mustOK(t, h.exchange(c, loc.Query().Get("authorization_code"), testRedirect)))
	if tok.AuthorizerInfo.AccountID != tn.AccountID || strings.Join(tok.AuthorizerInfo.ScopeList, ",") != "ads_management,user_actions" {
		t.Fatalf("tokens %+v", tok)
	}
	mustOK(t, h.v11(tenant{AccountID: tn.AccountID, Token: tok.AccessToken}, nil))
	// The code was sent to testRedirect: it must be exchanged naming it.
	p = b.get(authorizeQuery(c, testRedirect))
	form = p.form(t)
	form.Set("appid", tn.AppID)
	form.Set("secret", tn.Secret)
	form.Set("decision", "approve")
	loc, _ = url.Parse(b.post(form).location)
	wantCode(t, h.exchange(c, loc.Query().Get("authorization_code"), ""), wxads.CodeOAuthOutOfScope)
}

func TestConsentPageRefuseAndErrors(t *testing.T) {
	h := newHarness(t)
	tn := h.newTenant()
	c := h.newOAuthClient()
	b := newBrowser(t, h)
	form := b.get(authorizeQuery(c, testRedirect)).form(t)
	form.Set("decision", "refuse")
	got := b.post(form)
	loc, _ := url.Parse(got.location)
	if got.status != http.StatusFound || loc.Query().Get("error") != "access_denied" || loc.Query().Get("state") != "xyz+1 &" ||
		loc.Query().Has("authorization_code") {
		t.Fatalf("refuse: %d %s", got.status, got.location)
	}

	// redirect_uri must equal a registered one: the page says so, redirects nowhere.
	for _, r := range []string{testRedirect + "/more", testRedirect + "?x=1", "https://evil.example/cb", ""} {
		p := b.get(authorizeQuery(c, r))
		if p.status != http.StatusBadRequest || p.location != "" || !strings.Contains(p.body, "redirect_uri") || strings.Contains(p.body, "<form") {
			t.Fatalf("redirect_uri %q: %d %s", r, p.status, p.body)
		}
	}
	bad := authorizeQuery(c, testRedirect)
	bad.Set("client_id", "424242")
	if p := b.get(bad); p.status != http.StatusBadRequest || !strings.Contains(p.body, "client_id") {
		t.Fatalf("unknown client: %d %s", p.status, p.body)
	}
	bad = authorizeQuery(c, testRedirect)
	bad.Set("scope", "root")
	if p := b.get(bad); p.status != http.StatusBadRequest || !strings.Contains(p.body, "scope") {
		t.Fatalf("bad scope: %d %s", p.status, p.body)
	}
	// A form without the cookie's CSRF token (a cross-site post) is refused.
	form = b.get(authorizeQuery(c, testRedirect)).form(t)
	form.Set("csrf_token", strings.Repeat("0", 32))
	form.Set("appid", tn.AppID)
	form.Set("secret", tn.Secret)
	form.Set("decision", "approve")
	if p := b.post(form); p.status != http.StatusForbidden || p.location != "" || !strings.Contains(p.body, "CSRF") {
		t.Fatalf("csrf: %d %s", p.status, p.body)
	}
	// A tampered redirect_uri in the form is checked again.
	form = b.get(authorizeQuery(c, testRedirect)).form(t)
	form.Set("redirect_uri", "https://evil.example/cb")
	form.Set("decision", "refuse")
	if p := b.post(form); p.location != "" || p.status != http.StatusBadRequest {
		t.Fatalf("tampered redirect: %d %s", p.status, p.location)
	}
	// Pending advertisers cannot authorize.
	pending := h.newAdvertiser(wxads.StatusPending)
	appid, secret := h.newApp(pending, nil)
	b2 := newBrowser(t, h)
	form = b2.get(authorizeQuery(c, testRedirect)).form(t)
	form.Set("appid", appid)
	form.Set("secret", secret)
	form.Set("decision", "approve")
	if p := b2.post(form); p.location != "" || !strings.Contains(p.body, "not approved") {
		t.Fatalf("pending: %d %s", p.status, p.body)
	}
	// Wrong secret: the page again, with the error, no redirect; then the limit.
	for i := range 11 {
		form = b.get(authorizeQuery(c, testRedirect)).form(t)
		form.Set("appid", tn.AppID)
		form.Set("secret", strings.Repeat("f", 32))
		form.Set("decision", "approve")
		p := b.post(form)
		want, text := http.StatusUnauthorized, "wrong"
		if i == 10 {
			want, text = http.StatusTooManyRequests, "Too many"
		}
		if p.status != want || p.location != "" || !strings.Contains(p.body, text) || !strings.Contains(p.body, "<form") {
			t.Fatalf("attempt %d: %d %s", i, p.status, p.body)
		}
	}
}
