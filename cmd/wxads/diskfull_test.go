package main

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"syscall"
	"testing"
	"time"

	"github.com/wxads/wxads/sqlite"
)

// The disk fills under uploads: what was acknowledged is stored, the
// refusals are platform errors (never a half-stored batch), and once space
// returns uploads succeed again without a restart. It needs a small
// file system of its own under --data: a tmpfs, which only root can mount.
func TestDiskFull(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("needs root to mount a small tmpfs under --data")
	}
	data := t.TempDir()
	if out, err := exec.Command("mount", "-t", "tmpfs", "-o", "size=3m,mode=0700", "tmpfs", data).CombinedOutput(); err != nil {
		if os.Getenv("CI") != "" || os.Getenv("WXADS_REQUIRE_SERVICES") != "" {
			t.Fatalf("cannot mount a tmpfs: %v %s", err, out)
		}
		t.Skipf("cannot mount a tmpfs: %v %s", err, out)
	}
	const admin = "disk-full-admin-token"
	c := startChild(t, "--addr", "127.0.0.1:0", "--data", data, "--admin-token", admin)
	t.Cleanup(func() {
		c.cmd.Process.Kill()
		c.cmd.Wait()
		syscall.Unmount(data, 0)
	})
	client := &http.Client{Timeout: 30 * time.Second}
	appid, token, set := tenantOf(t, client, c, admin)
	acked := map[string]bool{}
	batch := 0
	send := func() (int, error) {
		batch++
		actions := make([]map[string]any, 50)
		ids := make([]string, 50)
		for i := range actions {
			ids[i] = fmt.Sprintf("f%d_%d", batch, i)
			actions[i] = map[string]any{"user_action_set_id": set, "url": "https://d.example/x", "action_type": "REGISTER",
				"outer_action_id": ids[i], "user_id": map[string]any{"wechat_app_id": appid, "wechat_openid": "oDiskFull"},
				"action_param": map[string]any{"source": "Web", "claim_type": 0, "pad": fmt.Sprintf("%0200d", batch)}}
		}
		var res struct {
			Errcode int
			Errmsg  string
		}
		err := call(client, "POST", c.base+"/marketing/user_actions/add?access_token="+token, "",
			map[string]any{"actions": actions}, &res)
		if err == nil && res.Errcode == 0 {
			for _, id := range ids {
				acked[id] = true
			}
		}
		return res.Errcode, err
	}
	refused := 0
	for range 2000 {
		code, err := send()
		if err != nil {
			t.Fatalf("batch %d: %v (a full disk must be answered, not crash the server)", batch, err)
		}
		if code != 0 {
			refused++
			if refused == 5 {
				break
			}
		}
	}
	if refused == 0 {
		t.Fatalf("the 3 MiB file system never filled in %d batches", batch)
	}
	t.Logf("disk full after %d batches (%d actions acknowledged)", batch, len(acked))
	if out, err := exec.Command("mount", "-o", "remount,size=64m", data).CombinedOutput(); err != nil {
		t.Fatalf("remount: %v %s", err, out)
	}
	recovered := false
	for range 20 {
		if code, err := send(); err == nil && code == 0 {
			recovered = true
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	if !recovered {
		t.Fatal("uploads still refused after space returned")
	}
	c.cmd.Process.Signal(syscall.SIGTERM)
	if err := c.cmd.Wait(); err != nil {
		t.Errorf("exit after SIGTERM: %v", err)
	}
	checkStored(t, data, set, acked)
	db, err := sqlite.Open(data + "/wxads.db")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, total, err := db.ListActions(context.Background(), set, 0, 1<<30); err != nil || total != len(acked) {
		t.Fatalf("%d stored, %d acknowledged (%v): a refused batch left rows behind", total, len(acked), err)
	}
}
