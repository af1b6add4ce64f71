package client_test

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/wxads/wxads/client"
	"github.com/wxads/wxads/wxadstest"
)

// fault is what recorder answers instead of the server: a body (HTTP 200
// unless status is set), a bare HTTP status, or a network error.
type fault struct {
	body    string
	status  int
	network bool
	before  bool // fail before the server sees the request (else after: the request is applied, the answer lost)
	pass    bool // no fault: the server's answer goes through
}

// recorder is an http.RoundTripper that passes requests to next, remembers
// them, and replaces answers with scripted faults per path.
type recorder struct {
	next http.RoundTripper

	mu     sync.Mutex
	faults map[string][]fault // path → faults to use, first first
	reqs   []seen
}

type seen struct {
	method, path string
	query        map[string][]string
	body         []byte
	faulted      bool
}

func newRecorder(t *testing.T) (*recorder, *http.Client) {
	t.Helper()
	r := &recorder{next: http.DefaultTransport, faults: map[string][]fault{}}
	return r, &http.Client{Transport: r, Timeout: 10 * time.Second}
}

// inject queues faults for path.
func (r *recorder) inject(path string, fs ...fault) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.faults[path] = append(r.faults[path], fs...)
}

func (r *recorder) RoundTrip(req *http.Request) (*http.Response, error) {
	var body []byte
	if req.Body != nil {
		body, _ = io.ReadAll(req.Body)
		req.Body.Close()
		req.Body = io.NopCloser(bytes.NewReader(body))
	}
	r.mu.Lock()
	var f *fault
	if q := r.faults[req.URL.Path]; len(q) > 0 {
		f = &q[0]
		r.faults[req.URL.Path] = q[1:]
		if f.pass {
			f = nil
		}
	}
	r.reqs = append(r.reqs, seen{req.Method, req.URL.Path, req.URL.Query(), body, f != nil})
	r.mu.Unlock()
	if f == nil || !f.before {
		resp, err := r.next.RoundTrip(req)
		if f == nil || err != nil {
			return resp, err
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
	}
	if f.network {
		return nil, errors.New("injected: connection reset by peer")
	}
	status := f.status
	if status == 0 {
		status = http.StatusOK
	}
	return &http.Response{StatusCode: status, Status: fmt.Sprint(status), Proto: "HTTP/1.1", ProtoMajor: 1, ProtoMinor: 1,
		Header: http.Header{"Content-Type": {"application/json"}, "X-Request-Id": {"injected"}},
		Body:   io.NopCloser(strings.NewReader(f.body)), Request: req}, nil
}

// count is the number of requests to path so far.
func (r *recorder) count(path string) int {
	return len(r.requests(path))
}

func (r *recorder) requests(path string) []seen {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []seen
	for _, s := range r.reqs {
		if s.path == path {
			out = append(out, s)
		}
	}
	return out
}

// action is a valid action for srv's set by follower i, at the platform's now.
func action(srv *wxadstest.Server, i int) client.UserAction {
	return client.UserAction{
		UserActionSetID: srv.SetID,
		URL:             fmt.Sprintf("https://shop.example.com/order/%d", i),
		ActionTime:      srv.Clock.Now().Unix(),
		ActionType:      "COMPLETE_ORDER",
		UserID:          client.UserID{WechatAppID: srv.AppID, WechatOpenID: srv.Followers[i%len(srv.Followers)]},
		ActionParam:     map[string]any{"source": "Biz", "claim_type": 0, "value": 100 + i},
	}
}

func mustNoErr(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// fast retries for tests.
var fastRetry = client.WithRetry(client.RetryPolicy{MaxAttempts: 5, BaseDelay: time.Millisecond, MaxDelay: 5 * time.Millisecond})
