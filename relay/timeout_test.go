package relay_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"testing"
	"time"

	"github.com/wxads/wxads/client"
	"github.com/wxads/wxads/client/outbox"
	"github.com/wxads/wxads/relay"
)

// An upstream slower than the relay's HTTP timeout: the relay gives up on
// the answer while the upstream may still store the batch, then resends it.
// The upstream's dedup on the relay's outer_action_id keeps that at exactly
// once, and delivery stays in order.
func TestRelayUpstreamTimeouts(t *testing.T) {
	ctx := context.Background()
	p := newPair(t, map[int64]int64{})
	p.upload(t, 0, 5)
	p.flush(t) // a token and the set mapping first, so only uploads are slowed
	p.relay.Close()
	r, err := relay.Open(relay.Config{Dir: p.dir, UpstreamURL: p.up.URL, AppID: p.up.AppID, Secret: p.up.Secret,
		LocalSets: p.local.DB, Logger: slog.New(slog.NewTextHandler(io.Discard, nil)),
		ClientOptions: []client.Option{
			client.WithHTTPClient(&http.Client{Timeout: 300 * time.Millisecond}),
			client.WithRetry(client.RetryPolicy{MaxAttempts: 2, BaseDelay: time.Millisecond, MaxDelay: 5 * time.Millisecond})},
		OutboxOptions: []outbox.Option{outbox.WithBackoff(time.Millisecond, 20*time.Millisecond)}})
	if err != nil {
		t.Fatal(err)
	}
	p.relay = r
	p.fwd.Store(r)
	if _, err := p.up.Admin().SetFaults(ctx, []client.FaultRule{{Route: uploadRoute, DelayMS: 800, Count: 3}}); err != nil {
		t.Fatal(err)
	}
	p.upload(t, 5, 40)
	p.flush(t)
	rules, err := p.up.Admin().Faults(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(rules) != 1 || rules[0].Hits != 3 {
		t.Fatalf("the slow rule fired %+v, want 3 hits", rules)
	}
	wantOrders(t, p.upstreamOrders(t, p.up.SetID), 45)
}
