package relay_test

import (
	"context"
	"slices"
	"testing"
	"time"
)

// BenchmarkRelayDelivery uploads b.N actions to a relay, 10 an upload call,
// with an upstream on the same machine, and reports delivery throughput
// (first upload to last delivery) and the lag of each action (stored here
// → acknowledged upstream).
//
//	go test ./relay -run '^$' -bench RelayDelivery -benchtime 3000x
func BenchmarkRelayDelivery(b *testing.B) {
	p := newPair(b, map[int64]int64{})
	p.upload(b, 0, 10)
	p.flush(b) // token and set mapping in place
	b.ResetTimer()
	start := time.Now()
	p.upload(b, 10, b.N)
	p.flush(b)
	elapsed := time.Since(start)
	b.StopTimer()
	var lags []time.Duration
	seen := 0
	for after := int64(0); ; {
		ds, err := p.relay.Deliveries(context.Background(), p.local.SetID, after, 1000)
		if err != nil {
			b.Fatal(err)
		}
		if len(ds) == 0 {
			break
		}
		for _, d := range ds {
			if seen++; seen > 10 { // past the warm-up uploads
				lags = append(lags, d.DoneTime.Sub(d.EnqueuedTime))
			}
			after = d.ID
		}
	}
	slices.Sort(lags)
	b.ReportMetric(float64(b.N)/elapsed.Seconds(), "actions/s")
	b.ReportMetric(float64(lags[len(lags)/2].Milliseconds()), "p50-lag-ms")
	b.ReportMetric(float64(lags[len(lags)*99/100].Milliseconds()), "p99-lag-ms")
}
