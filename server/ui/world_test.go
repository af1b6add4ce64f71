package ui_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
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

const testAdminToken = "ui-test-admin-token"

// world is a real server on a real SQLite database, seeded through the
// API as a demo advertiser's backend would be, plus a second advertiser
// whose pages the first must not reach.
type world struct {
	t      testing.TB
	srv    *httptest.Server
	db     *sqlite.DB
	appid  string
	secret string
	setID  int64
	other  struct {
		appid, secret string
		setID         int64
	}
}

func newWorld(t testing.TB) *world {
	t.Helper()
	db, err := sqlite.Open(filepath.Join(t.TempDir(), "wxads.db"))
	if err != nil {
		t.Fatal(err)
	}
	clock := wxads.SystemClock{}
	srv := server.New(server.Config{Stores: db, Nonces: inmem.NewNonceStore(clock), Clock: clock, AdminToken: testAdminToken,
		ServerKey: []byte("ui-test-server-key"), Logger: slog.New(slog.NewTextHandler(testLog{t}, &slog.HandlerOptions{Level: slog.LevelWarn}))})
	w := &world{t: t, db: db, srv: httptest.NewServer(srv)}
	t.Cleanup(func() {
		w.srv.Close()
		srv.Close() // the inspector's writer, before the database it writes to
		db.Close()
	})
	w.appid, w.secret, w.setID = w.seedAdvertiser("Demo Advertiser", 1)
	w.other.appid, w.other.secret, w.other.setID = w.seedAdvertiser("Other Advertiser", 2)
	return w
}

// seedAdvertiser creates an advertiser with an app, followers, ad events
// and 14 days of actions, some identified and attributed, some not.
func (w *world) seedAdvertiser(name string, n int) (appid, secret string, setID int64) {
	var adv struct {
		AccountID int64 `json:"account_id"`
	}
	w.admin("POST", "/admin/v1/advertisers", map[string]any{"name": name, "status": "APPROVED"}, &adv)
	appid = fmt.Sprintf("wx%016x", 0xd3a0+n)
	secret = fmt.Sprintf("%032x", 0x5ec+n)
	w.admin("POST", "/admin/v1/apps", map[string]any{"account_id": adv.AccountID, "name": name + " OA", "appid": appid, "secret": secret}, nil)
	var fol struct {
		OpenIDs []string `json:"openids"`
	}
	w.admin("POST", "/admin/v1/apps/"+appid+"/followers", map[string]any{"count": 30}, &fol)
	now := time.Now().Unix()
	var events []map[string]any
	for i, o := range fol.OpenIDs {
		events = append(events, map[string]any{"type": "CLICK", "appid": appid, "openid": o, "ad_id": 7011 + i%4, "campaign_id": 901 + i%2,
			"click_id": fmt.Sprintf("clk_%d_%d", n, i), "time": now - 14*86400})
	}
	w.admin("POST", "/admin/v1/ad_events", map[string]any{"events": events}, nil)
	token := w.token(appid, secret)
	var set struct {
		ID int64 `json:"user_action_set_id"`
	}
	w.api("POST", "/marketing/user_action_sets/add", token, map[string]any{"type": "WECHAT", "name": name + " conversions", "wechat_app_id": appid}, &set)
	types := []string{"COMPLETE_ORDER", "RESERVATION", "REGISTER"}
	var actions []map[string]any
	for i := 0; i < 120; i++ {
		openid := fol.OpenIDs[i%len(fol.OpenIDs)]
		if i%5 == 0 {
			openid = fmt.Sprintf("oUnknownUser%016d", i) // not a follower: unidentified
		}
		url := "https://shop.example.com/order"
		if i%3 == 0 {
			url = "https://m.example.cn/checkout"
		}
		actions = append(actions, map[string]any{"user_action_set_id": set.ID, "url": url,
			"action_time": now - int64(i)*(13*86400/120) - 60, "action_type": types[i%3],
			"user_id":         map[string]any{"wechat_app_id": appid, "wechat_openid": openid},
			"outer_action_id": fmt.Sprintf("seed_%d_%d", n, i), "action_param": map[string]any{"source": "Biz", "claim_type": 0, "value": 100 * i}})
		if len(actions) == 50 || i == 119 {
			w.api("POST", "/marketing/user_actions/add", token, map[string]any{"actions": actions}, nil)
			actions = nil
		}
	}
	return appid, secret, set.ID
}

func (w *world) token(appid, secret string) string {
	var tok struct {
		AccessToken string `json:"access_token"`
	}
	w.call("POST", "/cgi-bin/stable_token", nil, map[string]any{"grant_type": "client_credential", "appid": appid, "secret": secret}, &tok, false)
	return tok.AccessToken
}

func (w *world) admin(method, path string, body, data any) {
	w.t.Helper()
	h := http.Header{"Authorization": {"Bearer " + testAdminToken}}
	w.call(method, path, h, body, data, true)
}

func (w *world) api(method, path, token string, body, data any) {
	w.t.Helper()
	sep := "?"
	if strings.Contains(path, "?") {
		sep = "&"
	}
	w.call(method, path+sep+"access_token="+url.QueryEscape(token), nil, body, data, true)
}

// call sends a JSON request and fails the test on a non-zero errcode;
// data receives the envelope's data (or the whole body when !enveloped).
func (w *world) call(method, path string, h http.Header, body, data any, enveloped bool) {
	w.t.Helper()
	var rd io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		rd = bytes.NewReader(b)
	}
	req, _ := http.NewRequest(method, w.srv.URL+path, rd)
	for k, v := range h {
		req.Header[k] = v
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		w.t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	var env struct {
		Errcode int             `json:"errcode"`
		Errmsg  string          `json:"errmsg"`
		Data    json.RawMessage `json:"data"`
	}
	if err := json.Unmarshal(raw, &env); err != nil || env.Errcode != 0 {
		w.t.Fatalf("%s %s: HTTP %d %s", method, path, resp.StatusCode, raw)
	}
	if data == nil {
		return
	}
	src := env.Data
	if !enveloped {
		src = raw
	}
	if err := json.Unmarshal(src, data); err != nil {
		w.t.Fatalf("%s %s: %v in %s", method, path, err, raw)
	}
}

// browser is an HTTP client with its own cookie jar that does not follow
// redirects, so tests see exactly what the dashboard answered.
func (w *world) browser() *http.Client {
	jar, _ := cookiejar.New(nil)
	return &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

// testLog shows the server's warnings and errors in the test's output.
type testLog struct{ t testing.TB }

func (l testLog) Write(p []byte) (int, error) {
	l.t.Log(strings.TrimSpace(string(p)))
	return len(p), nil
}

type envelope struct {
	Errcode int             `json:"errcode"`
	Errmsg  string          `json:"errmsg"`
	Data    json.RawMessage `json:"data"`
}

// raw sends a JSON call with a chosen X-Request-Id and returns its
// envelope whatever the errcode.
func (w *world) raw(method, path, requestID string, body any) envelope {
	w.t.Helper()
	b, _ := json.Marshal(body)
	req, _ := http.NewRequest(method, w.srv.URL+path, bytes.NewReader(b))
	req.Header.Set("X-Request-Id", requestID)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		w.t.Fatal(err)
	}
	defer resp.Body.Close()
	var env envelope
	raw, _ := io.ReadAll(resp.Body)
	if err := json.Unmarshal(raw, &env); err != nil {
		w.t.Fatalf("%s %s: HTTP %d %s", method, path, resp.StatusCode, raw)
	}
	return env
}
