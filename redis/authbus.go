package redis

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"net"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	goredis "github.com/redis/go-redis/v9"
)

// DefaultAuthLease is how long a node may use its token cache on the
// strength of one answered PING on its subscription, and so the longest an
// auth write waits for a node that received its message but never acked.
const DefaultAuthLease = time.Second

// AuthBus carries token-cache invalidations between the nodes sharing one
// store (it implements server.AuthBus). How it stays exact:
//
//   - A write that changes a token check publishes its scope on one channel
//     and waits until every subscriber PUBLISH reached (Redis counts them)
//     has applied it and acked on the writer's own channel.
//   - A node uses its cache only under a lease: a PONG on its subscription
//     connection proves it has read every message published before its
//     PING (one connection, in order), so it may trust its cache until the
//     PING's send time + lease. It PINGs every lease/4.
//   - A subscriber that was reached but does not ack (stalled, partitioned,
//     dead) holds its lease at most lease past the PUBLISH: the writer waits
//     that long and no longer.
//   - A subscriber that was not reached (not subscribed at the time) held no
//     usable cache: any error on the subscription drops the cache ("*") and
//     the lease, and only a PONG after resubscribing gives it back.
type AuthBus struct {
	client  *goredis.Client
	channel string
	id      string // this node, random per process
	lease   time.Duration
	start   time.Time // monotonic origin

	live atomic.Int64 // cache usable until start+live (ns); 0 none

	mu      sync.Mutex
	seq     uint64
	waiters map[uint64]*ackWaiter

	cancel context.CancelFunc
	done   chan struct{}
}

type ackWaiter struct {
	need int64 // subscribers reached; -1 until PUBLISH answers
	got  map[string]bool
	ch   chan struct{}
}

// AuthBus returns the invalidation bus on the store's connection; channel
// names start with prefix (every node of a deployment must use the same).
// lease 0 means DefaultAuthLease.
func (s *NonceStore) AuthBus(prefix string, lease time.Duration) *AuthBus {
	if lease <= 0 {
		lease = DefaultAuthLease
	}
	var id [8]byte
	rand.Read(id[:])
	return &AuthBus{client: s.client, channel: prefix, id: hex.EncodeToString(id[:]), lease: lease,
		start: time.Now(), waiters: map[uint64]*ackWaiter{}}
}

func (b *AuthBus) ackChannel(node string) string { return b.channel + ":ack:" + node }
func (b *AuthBus) now() time.Duration            { return time.Since(b.start) }

// Live reports whether the cache may be used now: a PONG answered within
// the lease.
func (b *AuthBus) Live() bool { return int64(b.now()) < b.live.Load() }

// Publish sends scope to every node and waits for each one reached to
// apply it, or for the lease to pass (a node that has not applied it by
// then no longer uses its cache).
func (b *AuthBus) Publish(ctx context.Context, scope string) error {
	w := &ackWaiter{need: -1, got: map[string]bool{}, ch: make(chan struct{})}
	b.mu.Lock()
	b.seq++
	seq := b.seq
	b.waiters[seq] = w // before PUBLISH: acks can beat its answer
	b.mu.Unlock()
	defer func() {
		b.mu.Lock()
		delete(b.waiters, seq)
		b.mu.Unlock()
	}()
	n, err := b.client.Publish(ctx, b.channel, b.id+" "+strconv.FormatUint(seq, 10)+" "+scope).Result()
	if err != nil {
		return fmt.Errorf("redis: auth invalidation: %w", err)
	}
	b.mu.Lock()
	w.need = n
	b.settle(w)
	b.mu.Unlock()
	// A tenth more than the lease: clocks of two machines tick at rates
	// that differ by far less.
	t := time.NewTimer(b.lease + b.lease/10)
	defer t.Stop()
	select {
	case <-w.ch:
	case <-t.C:
	case <-ctx.Done():
		return ctx.Err()
	}
	return nil
}

// settle closes w.ch once every node reached has acked; b.mu held.
func (b *AuthBus) settle(w *ackWaiter) {
	if w.need >= 0 && int64(len(w.got)) >= w.need {
		select {
		case <-w.ch:
		default:
			close(w.ch)
		}
	}
}

// Subscribe starts the subscription; apply gets every scope published by
// any node, and "*" whenever messages may have been missed.
func (b *AuthBus) Subscribe(apply func(scope string)) {
	ctx, cancel := context.WithCancel(context.Background())
	b.cancel, b.done = cancel, make(chan struct{})
	go func() {
		defer close(b.done)
		for ctx.Err() == nil {
			b.session(ctx, apply)
			b.live.Store(0)
			apply("*") // what was missed meanwhile is unknown
			select {
			case <-ctx.Done():
			case <-time.After(b.lease / 4):
			}
		}
	}()
}

// Close stops the subscription (before the store's client is closed).
func (b *AuthBus) Close() {
	if b.cancel != nil {
		b.cancel()
		<-b.done
	}
}

// session runs one subscription until it fails or goes quiet.
func (b *AuthBus) session(ctx context.Context, apply func(string)) {
	ps := b.client.Subscribe(ctx, b.channel, b.ackChannel(b.id))
	defer ps.Close()
	sctx, stop := context.WithCancel(ctx)
	defer stop()
	var pings sync.Map // payload → send time
	go func() {
		tick := time.NewTicker(b.lease / 4)
		defer tick.Stop()
		for n := 0; ; n++ {
			p := strconv.Itoa(n)
			pings.Store(p, b.now()) // taken before it is written: the lease errs short
			if ps.Ping(sctx, p) != nil {
				return // the receive loop sees the failure too
			}
			select {
			case <-sctx.Done():
				return
			case <-tick.C:
			}
		}
	}()
	lastPong := b.now()
	for {
		msg, err := ps.ReceiveTimeout(ctx, b.lease)
		var ne net.Error
		if errors.As(err, &ne) && ne.Timeout() && b.now()-lastPong < 3*b.lease {
			continue // quiet, but PONGs still come
		} else if err != nil {
			return
		}
		switch m := msg.(type) {
		case *goredis.Pong:
			if sent, ok := pings.LoadAndDelete(m.Payload); ok {
				lastPong = b.now()
				b.live.Store(int64(sent.(time.Duration) + b.lease))
			}
		case *goredis.Message:
			if m.Channel == b.channel {
				b.received(ctx, m.Payload, apply)
			} else {
				b.acked(m.Payload)
			}
		}
	}
}

// received applies a published scope and acks it to its publisher.
func (b *AuthBus) received(ctx context.Context, payload string, apply func(string)) {
	node, rest, _ := strings.Cut(payload, " ")
	seq, scope, ok := strings.Cut(rest, " ")
	if !ok {
		scope = "*" // not ours to read: drop everything rather than guess
	}
	apply(scope)
	go b.client.Publish(ctx, b.ackChannel(node), b.id+" "+seq)
}

// acked counts a node's ack of one of this node's messages.
func (b *AuthBus) acked(payload string) {
	node, s, _ := strings.Cut(payload, " ")
	seq, err := strconv.ParseUint(s, 10, 64)
	if err != nil {
		return
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	if w := b.waiters[seq]; w != nil {
		w.got[node] = true
		b.settle(w)
	}
}
