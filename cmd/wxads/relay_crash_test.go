package main

import (
	"context"
	"net/http"
	"syscall"
	"testing"
	"time"

	"github.com/wxads/wxads"
	"github.com/wxads/wxads/wxadstest"
)

// A relay killed (SIGKILL) under load loses and duplicates nothing
// upstream: restarted on the same data, it delivers every action it
// acknowledged, each once.
func TestRelaySurvivesSIGKILL(t *testing.T) {
	ctx := context.Background()
	up := wxadstest.NewServer(t)
	t.Setenv("WXADS_UPSTREAM_SECRET", up.Secret) // the child inherits it
	data := t.TempDir()
	const admin = "relay-crash-admin"
	args := []string{"--addr", "127.0.0.1:0", "--data", data, "--admin-token", admin,
		"--upstream", up.URL, "--upstream-appid", up.AppID}
	c := startChild(t, args...)
	client := &http.Client{Timeout: 10 * time.Second}
	appid, token, set := tenantOf(t, client, c, admin)
	l := startLoad(client, c, appid, token, set)
	time.Sleep(1000 * time.Millisecond)
	if err := c.cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	c.cmd.Wait()
	acked := l.wait()
	if len(acked) == 0 {
		t.Fatal("nothing acknowledged before the kill: the test tested nothing")
	}

	c = startChild(t, args...)
	defer func() { c.cmd.Process.Signal(syscall.SIGTERM); c.cmd.Wait() }()
	deadline := time.Now().Add(60 * time.Second)
	for {
		var st struct {
			Data struct{ Pending, Delivered, Dead int64 }
		}
		if err := call(client, "GET", c.base+"/admin/v1/relay", admin, nil, &st); err != nil {
			t.Fatal(err)
		}
		if st.Data.Pending == 0 && st.Data.Delivered > 0 {
			if st.Data.Dead != 0 {
				t.Fatalf("%d dead letters", st.Data.Dead)
			}
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("still %d pending after 60 s", st.Data.Pending)
		}
		time.Sleep(50 * time.Millisecond)
	}
	sets, err := up.DB.ActionSets(ctx, up.AccountID, wxads.ActionSetFilter{})
	if err != nil {
		t.Fatal(err)
	}
	var upSet int64
	for _, s := range sets {
		if s.Name == "d" {
			upSet = s.ID
		}
	}
	list, total, err := up.DB.ListActions(ctx, upSet, 0, 1<<20)
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]int{}
	for _, a := range list {
		seen[a.OuterActionID]++
	}
	for id, n := range seen {
		if n > 1 {
			t.Fatalf("%s counted %d times upstream", id, n)
		}
	}
	missing := 0
	for id := range acked {
		if seen[id] == 0 {
			missing++
		}
	}
	t.Logf("acknowledged %d, upstream holds %d", len(acked), total)
	if missing > 0 {
		t.Fatalf("%d acknowledged actions never reached upstream", missing)
	}
}
