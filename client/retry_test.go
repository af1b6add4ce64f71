package client_test

import (
	"context"
	"errors"
	"net/http"
	"testing"
	"time"

	"github.com/wxads/wxads/client"
	"github.com/wxads/wxads/wxadstest"
)

const setsPath = "/marketing/user_action_sets/get"

// Retryable outcomes (network errors, -1, the 30000 range, 45011, HTTP
// 5xx) are retried until one succeeds; the attempts are counted on the wire.
func TestRetryRetryable(t *testing.T) {
	for _, tc := range []struct {
		name  string
		fault fault
	}{
		{"errcode -1", fault{body: `{"errcode":-1,"errmsg":"system error"}`}},
		{"errcode 30000", fault{body: `{"errcode":30000,"errmsg":"busy"}`}},
		{"errcode 45011", fault{body: `{"errcode":45011,"errmsg":"api minute-quota reach limit"}`}},
		{"HTTP 502", fault{status: http.StatusBadGateway, body: "<html>bad gateway</html>"}},
		{"HTTP 503 JSON", fault{status: http.StatusServiceUnavailable, body: `{"errcode":0}`}},
		{"network before", fault{network: true, before: true}},
		{"network after", fault{network: true}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := wxadstest.NewServer(t)
			rec, hc := newRecorder(t)
			c := srv.Client(client.WithHTTPClient(hc), fastRetry)
			rec.inject(setsPath, tc.fault, tc.fault, tc.fault)
			sets, err := c.ActionSets.Get(context.Background(), client.ActionSetFilter{})
			mustNoErr(t, err)
			if len(sets) != 1 {
				t.Fatalf("sets = %v", sets)
			}
			if n := rec.count(setsPath); n != 4 {
				t.Fatalf("%d attempts, want 4 (3 faults, then success)", n)
			}
		})
	}
}

// MaxAttempts bounds the attempts; the last error comes back, retryable.
func TestRetryGivesUp(t *testing.T) {
	srv := wxadstest.NewServer(t)
	rec, hc := newRecorder(t)
	c := srv.Client(client.WithHTTPClient(hc),
		client.WithRetry(client.RetryPolicy{MaxAttempts: 3, BaseDelay: time.Millisecond, MaxDelay: time.Millisecond}))
	f := fault{body: `{"errcode":-1,"errmsg":"system error"}`}
	rec.inject(setsPath, f, f, f, f, f)
	_, err := c.ActionSets.Get(context.Background(), client.ActionSetFilter{})
	if !errors.Is(err, client.ErrSystemBusy) || !client.Retryable(err) {
		t.Fatalf("err = %v, want a retryable -1", err)
	}
	if n := rec.count(setsPath); n != 3 {
		t.Fatalf("%d attempts, want 3", n)
	}
}

// Validation and permission errors are final: one attempt.
func TestNoRetryOnValidation(t *testing.T) {
	for _, body := range []string{
		`{"errcode":18001,"errmsg":"Your request is missing a required parameter. The required parameter is 'user_action_set_id'"}`,
		`{"errcode":31011,"errmsg":"x"}`,
		`{"errcode":48001,"errmsg":"api unauthorized"}`,
		`{"errcode":45009,"errmsg":"reach max api daily quota limit"}`,
	} {
		srv := wxadstest.NewServer(t)
		rec, hc := newRecorder(t)
		c := srv.Client(client.WithHTTPClient(hc), fastRetry)
		rec.inject(setsPath, fault{body: body})
		_, err := c.ActionSets.Get(context.Background(), client.ActionSetFilter{})
		var ae *client.APIError
		if !errors.As(err, &ae) || client.Retryable(err) {
			t.Fatalf("%s: err = %v", body, err)
		}
		if n := rec.count(setsPath); n != 1 {
			t.Fatalf("%s: %d attempts, want 1", body, n)
		}
	}
}

// The context bounds the retries: a long backoff ends with the deadline.
func TestRetryBoundedByContext(t *testing.T) {
	srv := wxadstest.NewServer(t)
	rec, hc := newRecorder(t)
	c := srv.Client(client.WithHTTPClient(hc),
		client.WithRetry(client.RetryPolicy{MaxAttempts: 100, BaseDelay: time.Hour, MaxDelay: time.Hour}))
	f := fault{body: `{"errcode":-1}`}
	rec.inject(setsPath, f, f, f, f, f, f, f, f, f, f, f, f, f, f, f, f, f, f, f, f)
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	_, err := c.ActionSets.Get(ctx, client.ActionSetFilter{})
	if !errors.Is(err, context.DeadlineExceeded) || !errors.Is(err, client.ErrSystemBusy) {
		t.Fatalf("err = %v, want the deadline wrapping the last -1", err)
	}
	if client.Retryable(err) {
		t.Fatal("a context error must not be retryable")
	}
}

// Every /v1.1 attempt carries its own timestamp and nonce: the server saw
// the faulted attempts (the fault replaces the answer after), so a reused
// nonce would be refused with 18005.
func TestV11FreshNoncePerAttempt(t *testing.T) {
	srv := wxadstest.NewServer(t)
	rec, hc := newRecorder(t)
	c := srv.Client(client.WithHTTPClient(hc), fastRetry)
	const path = "/v1.1/adcreative_templates/get"
	f := fault{body: `{"code":-1,"message":"system error","message_cn":"系统错误"}`}
	rec.inject(path, f, f)
	list, err := c.Templates.Get(context.Background(), client.TemplateQuery{})
	mustNoErr(t, err)
	if len(list.List) == 0 {
		t.Fatal("empty catalog")
	}
	reqs := rec.requests(path)
	if len(reqs) != 3 {
		t.Fatalf("%d attempts, want 3", len(reqs))
	}
	nonces := map[string]bool{}
	for _, r := range reqs {
		n := r.query["nonce"][0]
		if nonces[n] || r.query["timestamp"][0] == "" {
			t.Fatalf("nonce %q reused or timestamp missing: %v", n, r.query)
		}
		nonces[n] = true
	}
}

// A POST is sent byte for byte the same on every attempt.
func TestRetrySendsSameBody(t *testing.T) {
	srv := wxadstest.NewServer(t)
	rec, hc := newRecorder(t)
	c := srv.Client(client.WithHTTPClient(hc), fastRetry)
	const path = "/marketing/user_actions/add"
	rec.inject(path, fault{network: true}, fault{status: 502})
	sum, err := c.UserActions.Add(context.Background(), action(srv, 0), action(srv, 1))
	mustNoErr(t, err)
	reqs := rec.requests(path)
	if len(reqs) != 3 || string(reqs[0].body) != string(reqs[1].body) || string(reqs[1].body) != string(reqs[2].body) {
		t.Fatalf("%d attempts, bodies differ or count wrong", len(reqs))
	}
	// The first attempt was stored before its answer was lost: the retries
	// are duplicates, not new conversions.
	if sum.Accepted != 0 || sum.Duplicates != 2 {
		t.Fatalf("summary %+v, want 0 accepted and 2 duplicates", sum)
	}
	list, err := c.UserActions.List(context.Background(), srv.SetID, 1, 10)
	mustNoErr(t, err)
	if list.PageInfo.TotalNumber != 2 {
		t.Fatalf("%d stored, want 2", list.PageInfo.TotalNumber)
	}
}
