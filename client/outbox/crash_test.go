package outbox_test

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/wxads/wxads/client"
	"github.com/wxads/wxads/client/outbox"
	"github.com/wxads/wxads/wxadstest"
)

// TestMain lets the crash test run this binary as the advertiser's process:
// with OUTBOX_CHILD set it enqueues and sends (produce) or sends what is
// left (drain) instead of running the tests.
func TestMain(m *testing.M) {
	if mode := os.Getenv("OUTBOX_CHILD"); mode != "" {
		os.Exit(child(mode))
	}
	os.Exit(m.Run())
}

// child is the process the crash test kills. In produce mode it enqueues
// actions without end, printing "ack <outer_action_id>" for each once
// Enqueue returned, while its sender delivers them.
func child(mode string) int {
	env := os.Getenv
	setID, _ := strconv.ParseInt(env("OUTBOX_SET"), 10, 64)
	start, _ := strconv.Atoi(env("OUTBOX_START"))
	when, _ := strconv.ParseInt(env("OUTBOX_TIME"), 10, 64)
	c, err := client.New(env("OUTBOX_APPID"), env("OUTBOX_SECRET"), client.WithBaseURL(env("OUTBOX_URL")),
		client.WithRetry(client.RetryPolicy{MaxAttempts: 2, BaseDelay: time.Millisecond, MaxDelay: 10 * time.Millisecond}))
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 2
	}
	ob, err := outbox.Open(env("OUTBOX_DIR"), c.UserActions, fastRetry, outbox.WithPollInterval(20*time.Millisecond))
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 2
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second) // never outlive a broken parent
	defer cancel()
	go ob.Run(ctx)
	if mode == "drain" {
		err := ob.Flush(ctx)
		st, _ := ob.Stats(ctx)
		fmt.Printf("drained pending=%d sent=%d dead=%d err=%v\n", st.Pending, st.Sent, st.Dead, err)
		ob.Close()
		if err != nil {
			return 1
		}
		return 0
	}
	for seq := start; ctx.Err() == nil; {
		acts := make([]client.UserAction, 1+seq%4)
		var line strings.Builder
		for i := range acts {
			acts[i] = client.UserAction{UserActionSetID: setID, ActionTime: when, ActionType: "COMPLETE_ORDER",
				URL:         fmt.Sprintf("https://shop.example.com/order?seq=%d", seq),
				UserID:      client.UserID{WechatAppID: env("OUTBOX_APPID"), WechatOpenID: env("OUTBOX_OPENID")},
				ActionParam: map[string]any{"source": "Web", "claim_type": 0, "value": seq}}
			fmt.Fprintf(&line, "ack %s\n", client.OuterActionID(acts[i]))
			seq++
		}
		if err := ob.Enqueue(ctx, acts...); err != nil {
			fmt.Fprintln(os.Stderr, err)
			return 2
		}
		os.Stdout.WriteString(line.String()) // one write: a kill never leaves half a line
	}
	return 0
}

// runChild starts the child process; acks receives what it acknowledged.
func runChild(t *testing.T, srv *wxadstest.Server, dir, mode string, start int) (*exec.Cmd, <-chan string, *strings.Builder) {
	t.Helper()
	cmd := exec.Command(os.Args[0])
	cmd.Env = append(os.Environ(), "OUTBOX_CHILD="+mode, "OUTBOX_DIR="+dir, "OUTBOX_URL="+srv.URL,
		"OUTBOX_APPID="+srv.AppID, "OUTBOX_SECRET="+srv.Secret, "OUTBOX_OPENID="+srv.Followers[0],
		"OUTBOX_SET="+strconv.FormatInt(srv.SetID, 10), "OUTBOX_START="+strconv.Itoa(start),
		"OUTBOX_TIME="+strconv.FormatInt(actionTime, 10))
	stderr := new(strings.Builder)
	cmd.Stderr = stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	lines := make(chan string, 1024)
	go func() {
		defer close(lines)
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			lines <- sc.Text()
		}
	}()
	return cmd, lines, stderr
}

// A process enqueueing and sending is SIGKILLed mid-send several times,
// then restarted to drain: every action Enqueue acknowledged is on the
// server exactly once, and the report counts each once.
func TestCrashMidSend(t *testing.T) {
	srv := wxadstest.NewServer(t)
	dir := t.TempDir()
	acked := map[string]bool{}
	var mu sync.Mutex
	for round := range 4 {
		cmd, lines, stderr := runChild(t, srv, dir, "produce", round*1_000_000)
		first := make(chan struct{})
		done := make(chan struct{})
		go func() {
			defer close(done)
			n := 0
			for l := range lines {
				if k, ok := strings.CutPrefix(l, "ack "); ok {
					mu.Lock()
					acked[k] = true
					mu.Unlock()
					if n++; n == 1 {
						close(first)
					}
				}
			}
		}()
		select {
		case <-first:
		case <-time.After(15 * time.Second):
			cmd.Process.Kill()
			cmd.Wait()
			t.Fatalf("round %d: child acknowledged nothing; stderr: %s", round, stderr)
		}
		if round == 0 { // the child holds the directory: another process cannot open it
			_, err := outbox.Open(dir, srv.Client().UserActions)
			if !errors.Is(err, outbox.ErrLocked) || !strings.Contains(err.Error(), strconv.Itoa(cmd.Process.Pid)) {
				t.Errorf("Open while the child (pid %d) runs: %v; want ErrLocked naming its pid", cmd.Process.Pid, err)
			}
		}
		time.Sleep(time.Duration(150+rand.IntN(300)) * time.Millisecond)
		if err := cmd.Process.Kill(); err != nil { // SIGKILL
			t.Fatal(err)
		}
		err := cmd.Wait()
		<-done
		var ee *exec.ExitError
		if !errors.As(err, &ee) || ee.ExitCode() != -1 {
			t.Fatalf("round %d: child ended with %v before the kill; stderr: %s", round, err, stderr)
		}
	}
	cmd, lines, stderr := runChild(t, srv, dir, "drain", 0)
	var summary []string
	for l := range lines {
		summary = append(summary, l)
	}
	if err := cmd.Wait(); err != nil {
		t.Fatalf("drain child: %v %q; stderr: %s", err, summary, stderr)
	}

	c := srv.Client()
	got := stored(t, c, srv.SetID)
	for k := range acked {
		if got[k] != 1 {
			t.Errorf("acknowledged action %s is on the server %d times, want 1", k, got[k])
		}
	}
	var total int
	for _, k := range sortedKeys(got) {
		total += got[k]
		if got[k] != 1 {
			t.Errorf("%s stored %d times", k, got[k])
		}
	}
	if n := reportedRaw(t, c, srv.SetID); n != int64(total) {
		t.Errorf("report counts %d raw actions, the server lists %d", n, total)
	}

	// The outbox agrees: nothing pending or dead, every entry sent and on
	// the server, nothing on the server it does not hold.
	ob, err := outbox.Open(dir, c.UserActions)
	if err != nil {
		t.Fatal(err)
	}
	defer ob.Close()
	ctx := context.Background()
	st, err := ob.Stats(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if st.Pending != 0 || st.Dead != 0 || st.Sent != int64(len(got)) {
		t.Errorf("outbox stats %+v; want 0 pending, 0 dead, %d sent (as on the server)", st, len(got))
	}
	resent := 0
	for after := int64(0); ; {
		page, err := ob.Entries(ctx, outbox.Query{AfterID: after, Limit: 500})
		if err != nil {
			t.Fatal(err)
		}
		if len(page) == 0 {
			break
		}
		for _, e := range page {
			if got[e.Action.OuterActionID] != 1 || e.State != outbox.Sent {
				t.Errorf("outbox entry %d (%s, %v) is on the server %d times", e.ID, e.Action.OuterActionID, e.State, got[e.Action.OuterActionID])
			}
			if e.Attempts > 1 {
				resent++
			}
		}
		after = page[len(page)-1].ID
	}
	t.Logf("%d actions acknowledged by Enqueue, %d stored (unacknowledged ones were enqueued when the kill came), %d sent more than once; drain: %v",
		len(acked), len(got), resent, summary)
}
