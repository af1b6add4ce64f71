package redis

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
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
//   - A node uses its cache only under a lease: a PONG on its subscription
//     connection proves it has read every message published before its
//     PING (one connection, in order), so it may trust its cache until the
//     PING's send time + lease. It PINGs every lease/4.
//   - Before taking a lease it registers in a sorted set, scored by Redis's
//     own clock: until now + lease. The registration outlives the lease
//     (the PING was sent before it). A node that was not registered (first
//     start, or stalled past its lease) drops its cache and takes no lease
//     from a PING sent before it registered: a write since may not have
//     counted on it.
//   - A write publishes its scope and reads the registered nodes in one
//     Lua script, then waits until each has applied it and acked on the
//     writer's channel, or until a lease has passed (a node that has not
//     applied it by then stopped using its cache: dead, partitioned, or its
//     subscription dropped before it knew).
//   - Any error on the subscription drops the cache ("*") and the lease;
//     only a PONG after resubscribing gives the lease back.
type AuthBus struct {
	client  *goredis.Client
	channel string
	nodes   string // the registry (sorted set)
	id      string // this node, random per process
	lease   time.Duration
	start   time.Time // monotonic origin

	live atomic.Int64 // cache usable until start+live (ns); 0 none

	// Log, when set, hears when the subscription is lost (the cache is
	// bypassed until it is back).
	Log *slog.Logger

	mu      sync.Mutex
	seq     uint64
	waiters map[uint64]*ackWaiter

	cancel context.CancelFunc
	done   chan struct{}
}

type ackWaiter struct {
	need map[string]bool // registered nodes not acked yet; nil until known
	got  map[string]bool // acks that came first
	ch   chan struct{}
}

// AuthBus returns the invalidation bus on the store's connection; key and
// channel names start with prefix (every node of a deployment must use the
// same). lease 0 means DefaultAuthLease.
func (s *NonceStore) AuthBus(prefix string, lease time.Duration) *AuthBus {
	if lease <= 0 {
		lease = DefaultAuthLease
	}
	var id [8]byte
	rand.Read(id[:])
	return &AuthBus{client: s.client, channel: prefix, nodes: prefix + ":nodes", id: hex.EncodeToString(id[:]),
		lease: lease, start: time.Now(), waiters: map[uint64]*ackWaiter{}}
}

// publishScript: KEYS[1] channel, KEYS[2] registry; ARGV[1] message. Drops
// registrations past, publishes, and returns who was registered then — in
// one atomic step, so no node registers in between unseen.
var publishScript = goredis.NewScript(`
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', now)
redis.call('PUBLISH', KEYS[1], ARGV[1])
return redis.call('ZRANGE', KEYS[2], 0, -1)`)

// registerScript: KEYS[1] registry; ARGV[1] node, ARGV[2] ms. Returns 1 if
// the node was registered already (unexpired), 0 if it registers afresh.
var registerScript = goredis.NewScript(`
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local old = redis.call('ZSCORE', KEYS[1], ARGV[1])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
redis.call('ZADD', KEYS[1], now + tonumber(ARGV[2]), ARGV[1])
if old and tonumber(old) > now then return 1 end
return 0`)

func (b *AuthBus) ackChannel(node string) string { return b.channel + ":ack:" + node }
func (b *AuthBus) now() time.Duration            { return time.Since(b.start) }

// Live reports whether the cache may be used now: a PONG answered within
// the lease.
func (b *AuthBus) Live() bool { return int64(b.now()) < b.live.Load() }

// Publish sends scope to every node and waits for each registered one to
// apply it, or for a lease to pass (a node that has not applied it by then
// no longer uses its cache).
func (b *AuthBus) Publish(ctx context.Context, scope string) error {
	w := &ackWaiter{got: map[string]bool{}, ch: make(chan struct{})}
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
	msg := b.id + " " + strconv.FormatUint(seq, 10) + " " + scope
	nodes, err := publishScript.Run(ctx, b.client, []string{b.channel, b.nodes}, msg).StringSlice()
	if err != nil {
		return fmt.Errorf("redis: auth invalidation: %w", err)
	}
	b.mu.Lock()
	w.need = map[string]bool{}
	for _, n := range nodes {
		if !w.got[n] {
			w.need[n] = true
		}
	}
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

// settle closes w.ch once every registered node has acked; b.mu held.
func (b *AuthBus) settle(w *ackWaiter) {
	if w.need != nil && len(w.need) == 0 {
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
			err := b.session(ctx, apply)
			if b.live.Swap(0) != 0 && ctx.Err() == nil && b.Log != nil {
				b.Log.Warn("token cache off until Redis is subscribed again; checks read the store", "err", err)
			}
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
		// Writers need not wait for a node that is gone.
		ctx, cancel := context.WithTimeout(context.Background(), b.lease)
		defer cancel()
		b.client.ZRem(ctx, b.nodes, b.id)
	}
}

// session runs one subscription until it fails or goes quiet.
func (b *AuthBus) session(ctx context.Context, apply func(string)) error {
	ps := b.client.Subscribe(ctx, b.channel, b.ackChannel(b.id))
	defer ps.Close()
	sctx, stop := context.WithCancel(ctx)
	defer stop()
	var pings sync.Map // payload → send time
	var n atomic.Int64
	ping := func() error {
		p := strconv.FormatInt(n.Add(1), 10)
		pings.Store(p, b.now()) // taken before it is written: the lease errs short
		return ps.Ping(sctx, p)
	}
	go func() {
		tick := time.NewTicker(b.lease / 4)
		defer tick.Stop()
		for ping() == nil { // on failure the receive loop fails too
			select {
			case <-sctx.Done():
				return
			case <-tick.C:
			}
		}
	}()
	lastPong := b.now()
	fresh := b.now() // no lease from a PING sent before the session registered
	for {
		msg, err := ps.ReceiveTimeout(ctx, b.lease)
		var ne net.Error
		if errors.As(err, &ne) && ne.Timeout() && b.now()-lastPong < 3*b.lease {
			continue // quiet, but PONGs still come
		} else if err != nil {
			return err
		}
		switch m := msg.(type) {
		case *goredis.Pong:
			sent, ok := pings.LoadAndDelete(m.Payload)
			if !ok {
				continue
			}
			lastPong = b.now()
			known, err := registerScript.Run(ctx, b.client, []string{b.nodes}, b.id,
				(b.lease + b.lease/10).Milliseconds()).Int()
			if err != nil {
				return err
			}
			if known == 0 {
				// Writes since the last registration lapsed did not wait
				// for this node: forget what it knew, and lease only from
				// a PING sent after now.
				b.live.Store(0)
				apply("*")
				fresh = b.now()
				go ping() // the lease sooner than the next tick
			} else if sent.(time.Duration) > fresh {
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
	if w := b.waiters[seq]; w != nil && w.need == nil {
		w.got[node] = true
	} else if w != nil {
		delete(w.need, node)
		b.settle(w)
	}
}
