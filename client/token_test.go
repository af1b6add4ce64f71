package client_test

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/wxads/wxads/client"
	"github.com/wxads/wxads/wxadstest"
)

// errcodes returns the errcodes the recorder's answers carried for path,
// read back from the call log of c (every attempt is one record).
func logCodes(t *testing.T, path, route string) []int {
	t.Helper()
	var codes []int
	err := client.ReadCallLog(path, func(r client.CallRecord) error {
		if r.Route == route {
			codes = append(codes, r.Errcode)
		}
		return nil
	})
	mustNoErr(t, err)
	return codes
}

func openLog(t *testing.T) (string, *client.CallLog) {
	t.Helper()
	path := t.TempDir() + "/calls.jsonl"
	cl, err := client.OpenCallLog(path, 0, 0)
	mustNoErr(t, err)
	t.Cleanup(func() { cl.Close() })
	return path, cl
}

// A token older than 7200 s is refused with 42001; the client fetches a
// new one and the call succeeds. The client's own clock is the wall clock,
// so it does not see the expiry coming and must react to the code.
func TestTokenRefreshOnExpiry(t *testing.T) {
	srv := wxadstest.NewServer(t)
	logPath, cl := openLog(t)
	c := srv.Client(client.WithClock(time.Now), client.WithCallLog(cl))
	ctx := context.Background()
	_, err := c.ActionSets.Get(ctx, client.ActionSetFilter{})
	mustNoErr(t, err)
	t1, _ := c.Token(ctx)

	srv.Clock.Advance(7201 * time.Second)
	sets, err := c.ActionSets.Get(ctx, client.ActionSetFilter{})
	mustNoErr(t, err)
	if len(sets) != 1 {
		t.Fatalf("sets = %v", sets)
	}
	t2, _ := c.Token(ctx)
	if t1 == t2 {
		t.Fatal("token was not replaced")
	}
	got := logCodes(t, logPath, "/marketing/user_action_sets/get")
	if want := []int{0, 42001, 0}; !equalInts(got, want) {
		t.Fatalf("errcodes of the calls = %v, want %v", got, want)
	}
}

// A /cgi-bin/token token superseded by another process's fetch is refused
// with 40001 once its 5 minutes of grace are over; the client refetches.
func TestTokenRefreshOnSupersede(t *testing.T) {
	srv := wxadstest.NewServer(t)
	logPath, cl := openLog(t)
	ctx := context.Background()
	a := srv.Client(client.WithStableToken(false), client.WithCallLog(cl))
	b := srv.Client(client.WithStableToken(false))
	_, err := a.ActionSets.Get(ctx, client.ActionSetFilter{})
	mustNoErr(t, err)
	_, err = b.Token(ctx) // supersedes a's token
	mustNoErr(t, err)

	srv.Clock.Advance(4 * time.Minute) // within the grace
	_, err = a.ActionSets.Get(ctx, client.ActionSetFilter{})
	mustNoErr(t, err)
	srv.Clock.Advance(2 * time.Minute) // past it
	_, err = a.ActionSets.Get(ctx, client.ActionSetFilter{})
	mustNoErr(t, err)
	got := logCodes(t, logPath, "/marketing/user_action_sets/get")
	if want := []int{0, 0, 40001, 0}; !equalInts(got, want) {
		t.Fatalf("errcodes = %v, want %v", got, want)
	}
}

// A stable token superseded by a forced refresh elsewhere: the client
// fetches again without force_refresh (the platform hands it the new
// current token) and never forces itself.
func TestStableSupersedeWithoutForce(t *testing.T) {
	srv := wxadstest.NewServer(t)
	rec, hc := newRecorder(t)
	ctx := context.Background()
	a := srv.Client(client.WithHTTPClient(hc))
	_, err := a.ActionSets.Get(ctx, client.ActionSetFilter{})
	mustNoErr(t, err)

	body := `{"grant_type":"client_credential","appid":"` + srv.AppID + `","secret":"` + srv.Secret + `","force_refresh":true}`
	resp, err := http.Post(srv.URL+"/cgi-bin/stable_token", "application/json", strings.NewReader(body))
	mustNoErr(t, err)
	resp.Body.Close()
	srv.Clock.Advance(6 * time.Minute)

	_, err = a.ActionSets.Get(ctx, client.ActionSetFilter{})
	mustNoErr(t, err)
	fetches := rec.requests("/cgi-bin/stable_token")
	if len(fetches) != 2 {
		t.Fatalf("%d token fetches, want 2", len(fetches))
	}
	for _, f := range fetches {
		var req struct {
			Force bool `json:"force_refresh"`
		}
		json.Unmarshal(f.body, &req)
		if req.Force {
			t.Fatalf("the client forced a refresh: %s", f.body)
		}
	}
}

// Two SDK instances (two processes, in effect) sharing one appid: with
// stable_token neither ever invalidates the other, however they interleave.
func TestSharedAppIDStable(t *testing.T) {
	srv := wxadstest.NewServer(t)
	logPath, cl := openLog(t)
	ctx := context.Background()
	a := srv.Client(client.WithCallLog(cl))
	b := srv.Client(client.WithCallLog(cl))
	for i := range 12 {
		for _, c := range []*client.Client{a, b, a} {
			_, err := c.ActionSets.Get(ctx, client.ActionSetFilter{})
			mustNoErr(t, err)
		}
		// 12 × 25 min: several expiries, each seen first by one of them.
		srv.Clock.Advance(25 * time.Minute)
		if i%3 == 0 {
			_, err := b.Token(ctx)
			mustNoErr(t, err)
		}
	}
	for _, code := range logCodes(t, logPath, "/marketing/user_action_sets/get") {
		if code != 0 {
			t.Fatalf("a call failed with %d: stable tokens must not invalidate each other", code)
		}
	}
}

// Concurrent callers of a fresh client cause a single token fetch.
func TestTokenSingleFlight(t *testing.T) {
	srv := wxadstest.NewServer(t)
	rec, hc := newRecorder(t)
	c := srv.Client(client.WithHTTPClient(hc))
	var wg sync.WaitGroup
	tokens := make([]string, 20)
	for i := range tokens {
		wg.Go(func() {
			tok, err := c.Token(context.Background())
			if err != nil {
				t.Error(err)
			}
			tokens[i] = tok
		})
	}
	wg.Wait()
	if n := rec.count("/cgi-bin/stable_token"); n != 1 {
		t.Fatalf("%d token fetches, want 1", n)
	}
	for _, tok := range tokens {
		if tok != tokens[0] || tok == "" {
			t.Fatalf("tokens differ: %q", tokens)
		}
	}
}

// A TokenSource replaces the fetch; its token is cached until near expiry.
func TestTokenSource(t *testing.T) {
	srv := wxadstest.NewServer(t)
	real := srv.Client()
	src := &countingSource{c: real}
	c := srv.Client(client.WithTokenSource(src))
	ctx := context.Background()
	for range 3 {
		_, err := c.ActionSets.Get(ctx, client.ActionSetFilter{})
		mustNoErr(t, err)
	}
	if src.calls != 1 {
		t.Fatalf("source called %d times, want 1", src.calls)
	}
}

type countingSource struct {
	c     *client.Client
	calls int
}

func (s *countingSource) Token(ctx context.Context, force bool) (string, time.Time, error) {
	s.calls++
	tok, err := s.c.Token(ctx)
	return tok, time.Now().Add(time.Hour), err
}

func equalInts(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
