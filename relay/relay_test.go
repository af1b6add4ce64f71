package relay_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"sync/atomic"
	"testing"
	"time"

	"github.com/wxads/wxads"
	"github.com/wxads/wxads/client"
	"github.com/wxads/wxads/client/outbox"
	"github.com/wxads/wxads/relay"
	"github.com/wxads/wxads/server"
	"github.com/wxads/wxads/wxadstest"
)

// pair is a relay (a real server with a Forwarder) in front of a second
// real server as its upstream; the same app credentials on both, as an
// advertiser's own app is the same on either side.
type pair struct {
	up, local *wxadstest.Server
	relay     *relay.Relay
	fwd       *swap
	dir       string
	t0        int64 // action_time of every action: a resend is the same action
}

func newPair(t testing.TB, sets map[int64]int64) *pair {
	t.Helper()
	appid, secret := server.NewAppID(), server.NewSecret()
	up := wxadstest.NewServer(t, wxadstest.WithCredentials(appid, secret))
	p := &pair{up: up, fwd: &swap{}, dir: t.TempDir()}
	local := wxadstest.NewServer(t, wxadstest.WithCredentials(appid, secret),
		wxadstest.WithConfig(func(c *server.Config) { c.Forwarder = p.fwd }))
	p.local, p.t0 = local, local.Clock.Now().Unix()
	p.open(t, secret, sets)
	t.Cleanup(func() { p.relay.Close() })
	return p
}

// open (re)opens the relay on the pair's directory.
func (p *pair) open(t testing.TB, secret string, sets map[int64]int64) {
	t.Helper()
	r, err := relay.Open(relay.Config{Dir: p.dir, UpstreamURL: p.up.URL, AppID: p.up.AppID, Secret: secret, Sets: sets,
		LocalSets:     p.local.DB,
		Logger:        slog.New(slog.NewTextHandler(io.Discard, nil)),
		ClientOptions: []client.Option{client.WithRetry(client.RetryPolicy{MaxAttempts: 2, BaseDelay: time.Millisecond, MaxDelay: 5 * time.Millisecond})},
		// Small batches: several upstream requests per test, so a fault rule
		// with a rate fires (and is tested) with near certainty.
		OutboxOptions: []outbox.Option{outbox.WithBackoff(time.Millisecond, 20*time.Millisecond), outbox.WithBatchSize(5)}})
	if err != nil {
		t.Fatal(err)
	}
	p.relay = r
	p.fwd.Store(r)
}

// swap lets a test replace the relay behind a running server.
type swap struct{ atomic.Pointer[relay.Relay] }

func (s *swap) Forward(ctx context.Context, accountID int64, actions []wxads.Action) error {
	return s.Load().Forward(ctx, accountID, actions)
}
func (s *swap) Deliveries(ctx context.Context, setID, afterID int64, limit int) ([]wxads.Delivery, error) {
	return s.Load().Deliveries(ctx, setID, afterID, limit)
}
func (s *swap) DeliveryStats(ctx context.Context) (wxads.DeliveryStats, error) {
	return s.Load().DeliveryStats(ctx)
}
func (s *swap) ReplayDead(ctx context.Context) (int, error) { return s.Load().ReplayDead(ctx) }
func (s *swap) LookupDelivery(ctx context.Context, setID int64, outerActionID string) (wxads.Delivery, error) {
	return s.Load().LookupDelivery(ctx, setID, outerActionID)
}

func action(srv *wxadstest.Server, t0 int64, i int) client.UserAction {
	return client.UserAction{
		UserActionSetID: srv.SetID,
		URL:             fmt.Sprintf("https://shop.example.com/order/%d", i),
		ActionTime:      t0,
		ActionType:      "COMPLETE_ORDER",
		UserID:          client.UserID{WechatAppID: srv.AppID, WechatOpenID: srv.Followers[i%len(srv.Followers)]},
		ActionParam:     map[string]any{"source": "Biz", "claim_type": 0, "value": 100 + i},
	}
}

// upload sends n actions to the relay, 10 a call, and returns how many it acknowledged.
func (p *pair) upload(t testing.TB, from, n int) {
	t.Helper()
	c := p.local.Client()
	for i := from; i < from+n; i += 10 {
		var batch []client.UserAction
		for j := i; j < min(i+10, from+n); j++ {
			batch = append(batch, action(p.local, p.t0, j))
		}
		if _, err := c.UserActions.Add(context.Background(), batch...); err != nil {
			t.Fatalf("upload to the relay: %v", err)
		}
	}
}

func (p *pair) flush(t testing.TB) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := p.relay.Flush(ctx); err != nil {
		t.Fatalf("relay not flushed: %v", err)
	}
}

// upstreamOrders reads every action stored upstream, oldest first, by URL.
func (p *pair) upstreamOrders(t *testing.T, setID int64) []string {
	t.Helper()
	var urls []string
	for page := 1; ; page++ {
		list, err := p.up.Client().UserActions.List(context.Background(), setID, page, 100)
		if err != nil {
			t.Fatal(err)
		}
		for _, a := range list.List {
			urls = append(urls, a.URL)
		}
		if len(list.List) == 0 || len(urls) >= list.PageInfo.TotalNumber {
			break
		}
	}
	slices.Reverse(urls) // listed newest first
	return urls
}

func wantOrders(t *testing.T, got []string, n int) {
	t.Helper()
	if len(got) != n {
		t.Fatalf("upstream holds %d actions, the relay acknowledged %d", len(got), n)
	}
	for i, u := range got {
		if want := fmt.Sprintf("https://shop.example.com/order/%d", i); u != want {
			t.Fatalf("upstream action %d is %s, want %s (delivery out of order)", i, u, want)
		}
	}
}

// deliveries reads GET /ext/v1/deliveries/get of the relay.
func (p *pair) deliveries(t *testing.T) []map[string]any {
	t.Helper()
	tok, err := p.local.Client().Token(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	q := url.Values{"access_token": {tok}, "user_action_set_id": {strconv.FormatInt(p.local.SetID, 10)}, "page_size": {"1000"}}
	resp, err := http.Get(p.local.URL + "/ext/v1/deliveries/get?" + q.Encode())
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var env struct {
		Errcode int `json:"errcode"`
		Data    struct {
			List []map[string]any `json:"list"`
		} `json:"data"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&env); err != nil || env.Errcode != 0 {
		t.Fatalf("deliveries/get: errcode %d, %v", env.Errcode, err)
	}
	return env.Data.List
}

func TestRelayDeliversInOrderExactlyOnce(t *testing.T) {
	p := newPair(t, map[int64]int64{})
	p.upload(t, 0, 35)
	p.upload(t, 0, 35) // resent by the caller: acknowledged again, counted once
	p.flush(t)
	// The local set was created upstream on first use; the upstream already
	// had a set of its name, which the relay adopted (31013 → found by name).
	wantOrders(t, p.upstreamOrders(t, p.up.SetID), 35)
	ds := p.deliveries(t)
	if len(ds) != 35 {
		t.Fatalf("%d deliveries listed, want 35", len(ds))
	}
	for _, d := range ds {
		if d["state"] != wxads.DeliveryDelivered || d["upstream_request_id"] == "" {
			t.Fatalf("delivery %v", d)
		}
	}
}
