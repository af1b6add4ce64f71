package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/wxads/wxads/sqlite"
)

// child is a `wxads serve` process running from the test binary.
type child struct {
	cmd  *exec.Cmd
	base string
}

func startChild(t *testing.T, args ...string) *child {
	t.Helper()
	raw, _ := json.Marshal(append([]string{"serve"}, args...))
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), "WXADS_TEST_CHILD_ARGS="+string(raw))
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	addr := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stderr)
		for sc.Scan() {
			var line struct{ Msg, Addr string }
			if json.Unmarshal(sc.Bytes(), &line) == nil && line.Msg == "listening" {
				addr <- line.Addr
			}
		}
	}()
	select {
	case a := <-addr:
		return &child{cmd: cmd, base: "http://" + a}
	case <-time.After(60 * time.Second):
		cmd.Process.Kill()
		t.Fatal("child server did not start")
		return nil
	}
}

// call posts (or gets, with body nil) and decodes the JSON answer into out.
func call(client *http.Client, method, url, bearer string, body any, out any) error {
	var rd io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequest(method, url, rd)
	if err != nil {
		return err
	}
	if bearer != "" {
		req.Header.Set("Authorization", "Bearer "+bearer)
	}
	resp, err := client.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		return err
	}
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("HTTP %d: %s", resp.StatusCode, raw)
	}
	return json.Unmarshal(raw, out)
}

// tenantOf creates an advertiser, app, token and data source on the child.
func tenantOf(t *testing.T, client *http.Client, c *child, admin string) (appid, token string, set int64) {
	t.Helper()
	var adv struct {
		Data struct {
			AccountID int64 `json:"account_id"`
		}
	}
	if err := call(client, "POST", c.base+"/admin/v1/advertisers", admin, map[string]any{"name": "d"}, &adv); err != nil {
		t.Fatal(err)
	}
	var app struct {
		Data struct{ AppID, Secret string }
	}
	if err := call(client, "POST", c.base+"/admin/v1/apps", admin, map[string]any{"account_id": adv.Data.AccountID, "name": "d"}, &app); err != nil {
		t.Fatal(err)
	}
	var tok struct {
		AccessToken string `json:"access_token"`
	}
	if err := call(client, "GET", fmt.Sprintf("%s/cgi-bin/token?grant_type=client_credential&appid=%s&secret=%s",
		c.base, app.Data.AppID, app.Data.Secret), "", nil, &tok); err != nil {
		t.Fatal(err)
	}
	var res struct {
		Errcode int
		Data    struct {
			ID int64 `json:"user_action_set_id"`
		}
	}
	if err := call(client, "POST", c.base+"/marketing/user_action_sets/add?access_token="+tok.AccessToken, "",
		map[string]any{"type": "WEB", "name": "d"}, &res); err != nil || res.Errcode != 0 {
		t.Fatal(err, res)
	}
	return app.Data.AppID, tok.AccessToken, res.Data.ID
}

// loader posts 50-action batches from several workers until stopped and
// remembers every outer_action_id acknowledged with errcode 0.
type loader struct {
	mu    sync.Mutex
	acked map[string]bool
	stop  context.CancelFunc
	wg    sync.WaitGroup
}

func startLoad(client *http.Client, c *child, appid, token string, set int64) *loader {
	ctx, stop := context.WithCancel(context.Background())
	l := &loader{acked: map[string]bool{}, stop: stop}
	for w := range 4 {
		l.wg.Add(1)
		go func() {
			defer l.wg.Done()
			for b := 0; ctx.Err() == nil; b++ {
				var actions []map[string]any
				var ids []string
				for i := range 50 {
					id := fmt.Sprintf("w%d_b%d_i%d", w, b, i)
					ids = append(ids, id)
					actions = append(actions, map[string]any{"user_action_set_id": set, "url": "https://d.example/x",
						"action_type": "REGISTER", "outer_action_id": id,
						"user_id":      map[string]any{"wechat_app_id": appid, "wechat_openid": "oDurable"},
						"action_param": map[string]any{"source": "Web", "claim_type": 0}})
				}
				var res struct{ Errcode int }
				if err := call(client, "POST", c.base+"/marketing/user_actions/add?access_token="+token, "",
					map[string]any{"actions": actions}, &res); err != nil {
					return // the server is gone
				}
				if res.Errcode == 0 {
					l.mu.Lock()
					for _, id := range ids {
						l.acked[id] = true
					}
					l.mu.Unlock()
				}
			}
		}()
	}
	return l
}

// wait stops the workers (they also stop on their own once the server is gone).
func (l *loader) wait() map[string]bool {
	l.stop()
	l.wg.Wait()
	return l.acked
}

// checkStored opens the database the child left and requires every
// acknowledged action to be in it.
func checkStored(t *testing.T, data string, set int64, acked map[string]bool) {
	t.Helper()
	if len(acked) == 0 {
		t.Fatal("nothing was acknowledged")
	}
	db, err := sqlite.Open(filepath.Join(data, "wxads.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	stored, total, err := db.ListActions(context.Background(), set, 0, 1<<30)
	if err != nil {
		t.Fatal(err)
	}
	have := make(map[string]bool, total)
	for _, a := range stored {
		have[a.OuterActionID] = true
	}
	missing := 0
	for id := range acked {
		if !have[id] {
			missing++
		}
	}
	t.Logf("acknowledged %d actions, %d stored", len(acked), total)
	if missing > 0 {
		t.Fatalf("%d acknowledged actions lost", missing)
	}
}

// Every action acknowledged with errcode 0 survives a SIGKILL of the server.
func TestAcknowledgedActionsSurviveSIGKILL(t *testing.T) {
	data := t.TempDir()
	const admin = "durability-admin"
	c := startChild(t, "--addr", "127.0.0.1:0", "--data", data, "--admin-token", admin)
	client := &http.Client{Timeout: 10 * time.Second}
	appid, token, set := tenantOf(t, client, c, admin)
	l := startLoad(client, c, appid, token, set)
	time.Sleep(1500 * time.Millisecond)
	if err := c.cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	c.cmd.Wait()
	checkStored(t, data, set, l.wait())
}

// SIGTERM under load: the server stops accepting, finishes in-flight
// requests, flushes and exits 0; everything it acknowledged is stored.
func TestSIGTERMShutsDownGracefully(t *testing.T) {
	data := t.TempDir()
	const admin = "shutdown-admin-token"
	c := startChild(t, "--addr", "127.0.0.1:0", "--data", data, "--admin-token", admin)
	client := &http.Client{Timeout: 10 * time.Second}
	appid, token, set := tenantOf(t, client, c, admin)
	l := startLoad(client, c, appid, token, set)
	time.Sleep(800 * time.Millisecond)
	if err := c.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- c.cmd.Wait() }()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("server exited with %v after SIGTERM, want status 0", err)
		}
	case <-time.After(30 * time.Second):
		c.cmd.Process.Kill()
		t.Fatal("server did not exit within 30 s of SIGTERM")
	}
	checkStored(t, data, set, l.wait())
}
