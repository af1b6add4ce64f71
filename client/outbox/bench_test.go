package outbox_test

import (
	"context"
	"sync/atomic"
	"testing"

	"github.com/wxads/wxads/client"
	"github.com/wxads/wxads/client/outbox"
	"github.com/wxads/wxads/wxadstest"
)

// noSend is a Sender for benchmarks of the local side alone.
type noSend struct{}

func (noSend) AddBatch(context.Context, []client.UserAction, client.AddOptions) (*client.BatchResult, error) {
	return &client.BatchResult{}, nil
}

// benchOutbox opens an outbox sending with sender (nil: to the server).
func benchOutbox(b *testing.B, sender outbox.Sender) (*wxadstest.Server, *outbox.Outbox) {
	srv := wxadstest.NewServer(b)
	if sender == nil {
		sender = srv.Client().UserActions
	}
	ob, err := outbox.Open(b.TempDir(), sender)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { ob.Close() })
	return srv, ob
}

// BenchmarkEnqueue is one action per Enqueue: one fsynced transaction each.
func BenchmarkEnqueue(b *testing.B) {
	srv, ob := benchOutbox(b, noSend{})
	ctx := context.Background()
	b.ResetTimer()
	for i := range b.N {
		if err := ob.Enqueue(ctx, action(srv, srv.SetID, i)); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkEnqueueParallel is concurrent callers, one action each.
func BenchmarkEnqueueParallel(b *testing.B) {
	srv, ob := benchOutbox(b, noSend{})
	ctx := context.Background()
	var seq atomic.Int64
	b.SetParallelism(8)
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if err := ob.Enqueue(ctx, action(srv, srv.SetID, int(seq.Add(1)))); err != nil {
				b.Error(err)
				return
			}
		}
	})
}

// BenchmarkDeliver is enqueue-to-acknowledged throughput against an
// in-process server: b.N actions enqueued 50 per call, then flushed.
func BenchmarkDeliver(b *testing.B) {
	srv, ob := benchOutbox(b, nil)
	ctx := context.Background()
	acts := make([]client.UserAction, 0, outbox.MaxBatch)
	b.ResetTimer()
	go ob.Run(ctx)
	for i := range b.N {
		acts = append(acts, action(srv, srv.SetID, i))
		if len(acts) == cap(acts) || i == b.N-1 {
			if err := ob.Enqueue(ctx, acts...); err != nil {
				b.Fatal(err)
			}
			acts = acts[:0]
		}
	}
	if err := ob.Flush(ctx); err != nil {
		b.Fatal(err)
	}
}
