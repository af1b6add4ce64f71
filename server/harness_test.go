package server_test

import (
	"bytes"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/wxads/wxads"
	"github.com/wxads/wxads/inmem"
	"github.com/wxads/wxads/server"
	"github.com/wxads/wxads/sqlite"
)

// harnessNow is the fake clock's start: 2026-11-23 12:00:00 GMT+8.
var harnessNow = time.Date(2026, 11, 23, 12, 0, 0, 0, wxads.CST)

const adminToken = "test-admin-token"

// harness is a real server on a real SQLite database with a fake clock.
type harness struct {
	t     testing.TB
	db    *sqlite.DB
	clock *wxads.FakeClock
	srv   *httptest.Server
	cfg   server.Config
}

// envelope is any response body, WeChat or Tencent shaped.
type envelope struct {
	Status    int             `json:"-"`
	Errcode   int             `json:"errcode"`
	Errmsg    string          `json:"errmsg"`
	Code      int             `json:"code"`
	Message   string          `json:"message"`
	MessageCN string          `json:"message_cn"`
	Data      json.RawMessage `json:"data"`
	Raw       []byte          `json:"-"`
	Header    http.Header     `json:"-"`
}

func newHarness(t testing.TB, opts ...func(*server.Config)) *harness {
	t.Helper()
	db, err := sqlite.Open(filepath.Join(t.TempDir(), "wxads.db"))
	if err != nil {
		t.Fatal(err)
	}
	clock := &wxads.FakeClock{Frozen: true}
	clock.Set(harnessNow)
	cfg := server.Config{Stores: db, Nonces: inmem.NewNonceStore(clock), FakeClock: clock, AdminToken: adminToken,
		ServerKey: []byte("test-server-key"), Logger: slog.New(slog.NewTextHandler(io.Discard, nil))}
	for _, o := range opts {
		o(&cfg)
	}
	h := &harness{t: t, db: db, clock: clock, cfg: cfg}
	h.srv = httptest.NewServer(server.New(cfg))
	t.Cleanup(func() {
		h.srv.Close()
		db.Close()
	})
	return h
}

// do sends a request; body may be nil, []byte, string or a value to marshal.
func (h *harness) do(method, path string, q url.Values, body any, header http.Header) envelope {
	h.t.Helper()
	var rd io.Reader
	switch b := body.(type) {
	case nil:
	case []byte:
		rd = bytes.NewReader(b)
	case string:
		rd = strings.NewReader(b)
	default:
		buf, err := json.Marshal(b)
		if err != nil {
			h.t.Fatal(err)
		}
		rd = bytes.NewReader(buf)
	}
	u := h.srv.URL + path
	if len(q) > 0 {
		u += "?" + q.Encode()
	}
	req, err := http.NewRequest(method, u, rd)
	if err != nil {
		h.t.Fatal(err)
	}
	for k, v := range header {
		req.Header[k] = v
	}
	resp, err := h.srv.Client().Do(req)
	if err != nil {
		h.t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	var e envelope
	if err := json.Unmarshal(raw, &e); err != nil {
		h.t.Fatalf("%s %s: body %q is not JSON: %v", method, path, raw, err)
	}
	e.Status, e.Raw, e.Header = resp.StatusCode, raw, resp.Header
	if resp.StatusCode >= 500 {
		h.t.Fatalf("%s %s: HTTP %d %s", method, path, resp.StatusCode, raw)
	}
	return e
}

func (h *harness) admin(method, path string, body any) envelope {
	h.t.Helper()
	return h.do(method, path, nil, body, http.Header{"Authorization": {"Bearer " + adminToken}})
}

// mustOK fails the test unless e is a success; returns e for chaining.
func mustOK(t testing.TB, e envelope) envelope {
	t.Helper()
	if e.Errcode != 0 || e.Code != 0 || e.Status != http.StatusOK {
		t.Fatalf("want success, got HTTP %d %s", e.Status, e.Raw)
	}
	return e
}

func decodeData[T any](t testing.TB, e envelope) T {
	t.Helper()
	var v T
	if err := json.Unmarshal(e.Data, &v); err != nil {
		t.Fatalf("data %s: %v", e.Data, err)
	}
	return v
}

// tenant is an advertiser with one app and a token for it.
type tenant struct {
	AccountID int64
	AppID     string
	Secret    string
	Token     string
}

// newTenant creates an APPROVED advertiser, an app (loopback whitelist) and a token.
func (h *harness) newTenant() tenant {
	h.t.Helper()
	adv := decodeData[struct {
		AccountID int64 `json:"account_id"`
	}](h.t, mustOK(h.t, h.admin("POST", "/admin/v1/advertisers", map[string]any{"name": "adv", "status": "APPROVED"})))
	app := decodeData[struct {
		AppID  string `json:"appid"`
		Secret string `json:"secret"`
	}](h.t, mustOK(h.t, h.admin("POST", "/admin/v1/apps", map[string]any{"account_id": adv.AccountID, "name": "app"})))
	tn := tenant{AccountID: adv.AccountID, AppID: app.AppID, Secret: app.Secret}
	tn.Token = h.token(tn.AppID, tn.Secret)
	return tn
}

// token fetches a /cgi-bin/token token.
func (h *harness) token(appid, secret string) string {
	h.t.Helper()
	e := h.do("GET", "/cgi-bin/token", url.Values{"grant_type": {"client_credential"}, "appid": {appid}, "secret": {secret}}, nil, nil)
	var tok struct {
		AccessToken string `json:"access_token"`
		ExpiresIn   int    `json:"expires_in"`
	}
	if err := json.Unmarshal(e.Raw, &tok); err != nil || tok.AccessToken == "" {
		h.t.Fatalf("token: %s", e.Raw)
	}
	return tok.AccessToken
}

// api calls a token-authenticated route as tn.
func (h *harness) api(tn tenant, method, path string, q url.Values, body any) envelope {
	h.t.Helper()
	if q == nil {
		q = url.Values{}
	}
	q.Set("access_token", tn.Token)
	return h.do(method, path, q, body, nil)
}

// newSet creates a WECHAT data source for tn's app.
func (h *harness) newSet(tn tenant, name string) int64 {
	h.t.Helper()
	e := mustOK(h.t, h.api(tn, "POST", "/marketing/user_action_sets/add", nil,
		map[string]any{"type": "WECHAT", "name": name, "wechat_app_id": tn.AppID}))
	return decodeData[struct {
		ID int64 `json:"user_action_set_id"`
	}](h.t, e).ID
}

// followers registers n generated followers of appid.
func (h *harness) followers(appid string, n int) []string {
	h.t.Helper()
	e := mustOK(h.t, h.admin("POST", "/admin/v1/apps/"+appid+"/followers", map[string]any{"count": n}))
	return decodeData[struct {
		OpenIDs []string `json:"openids"`
	}](h.t, e).OpenIDs
}

func wantCode(t testing.TB, e envelope, code int) {
	t.Helper()
	got := e.Errcode
	if e.Code != 0 {
		got = e.Code
	}
	if got != code {
		t.Fatalf("want errcode %d, got HTTP %d %s", code, e.Status, e.Raw)
	}
}
