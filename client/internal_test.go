package client

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/wxads/wxads/errcode"
)

func TestParamOf(t *testing.T) {
	for _, tc := range []struct {
		code  int
		param string
	}{
		{18001, "actions[3].user_id.wechat_openid"},
		{31001, "name"},
		{18009, "actions[0].action_type"},
		{31011, "user_action_set_id"},
	} {
		en, _ := errcode.Format(tc.code, tc.param, "X")
		if got := paramOf(tc.code, en); got != tc.param {
			t.Errorf("paramOf(%d, %q) = %q, want %q", tc.code, en, got, tc.param)
		}
	}
	if got := paramOf(18001, "something else"); got != "" {
		t.Errorf("a message off the template gave %q", got)
	}
	// A message of its own that leads with the path: the path, and the
	// registry's Chinese text filled with it (no "{Object}" left).
	own := `followers[2].unionid: unionid "u1" is already held by openid oA of this app; nothing was added.`
	if got := paramOf(31013, own); got != "followers[2].unionid" {
		t.Errorf("paramOf(31013, %q) = %q", own, got)
	}
	if e := newAPIError(31013, own, ""); strings.Contains(e.MessageCN, "{") || !strings.Contains(e.MessageCN, "followers[2].unionid") {
		t.Errorf("MessageCN = %q", e.MessageCN)
	}
	if got := reindex("actions[3].url", 100); got != "actions[103].url" {
		t.Errorf("reindex = %q", got)
	}
}

func TestBackoffFullJitter(t *testing.T) {
	p := RetryPolicy{MaxAttempts: 10, BaseDelay: 100 * time.Millisecond, MaxDelay: time.Second}
	for n, ceil := range map[int]time.Duration{1: 100 * time.Millisecond, 2: 200 * time.Millisecond, 4: 800 * time.Millisecond, 9: time.Second} {
		var maxSeen time.Duration
		for range 2000 {
			d := backoff(p, n)
			if d < 0 || d > ceil {
				t.Fatalf("backoff(%d) = %v, outside [0, %v]", n, d, ceil)
			}
			maxSeen = max(maxSeen, d)
		}
		if maxSeen < ceil/2 {
			t.Fatalf("backoff(%d) never above %v: not jittered over the whole range", n, maxSeen)
		}
	}
}

func TestRetryable(t *testing.T) {
	yes := []error{&NetworkError{Route: "/x", Err: errors.New("reset")}, &APIError{Code: -1}, &APIError{Code: 30000},
		&APIError{Code: 45011}, &APIError{Code: 51001}, &APIError{HTTPStatus: 502}}
	no := []error{nil, &APIError{Code: 18001}, &APIError{Code: 31011}, &APIError{Code: 32108}, &APIError{Code: 45009},
		&APIError{Code: 40164}, &APIError{Code: 48001}, &APIError{HTTPStatus: 401}, errors.New("other")}
	for _, err := range yes {
		if !Retryable(err) {
			t.Errorf("%v should be retryable", err)
		}
	}
	for _, err := range no {
		if Retryable(err) {
			t.Errorf("%v should not be retryable", err)
		}
	}
}

func TestRedact(t *testing.T) {
	in := `{"appid":"wx1","secret":"S3CRET","nested":[{"access_token":"T0KEN"}],"n":12345678901234567890}`
	out := string(redactJSON([]byte(in)))
	if strings.Contains(out, "S3CRET") || strings.Contains(out, "T0KEN") || !strings.Contains(out, "12345678901234567890") {
		t.Fatalf("redactJSON = %s", out)
	}
	if got := string(redactJSON([]byte(`{"a":1}`))); got != `{"a":1}` {
		t.Fatalf("a body without secrets changed: %s", got)
	}
	if got := string(redactJSON([]byte("<html>"))); got != `"\u003chtml\u003e"` {
		t.Fatalf("non-JSON body: %s", got)
	}
	u := redactURL("http://h/cgi-bin/token?appid=wx1&secret=S3CRET&grant_type=client_credential")
	if strings.Contains(u, "S3CRET") || !strings.Contains(u, "appid=wx1") {
		t.Fatalf("redactURL = %s", u)
	}
}
