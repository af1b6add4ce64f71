package server

import (
	"context"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"github.com/wxads/wxads"
)

// Bounds of the inspector's hand-off from the request path: records wait
// in a channel of inspectorQueue and hold at most inspectorMemory bytes of
// bodies in all; beyond either, a record is dropped and counted, so the
// request path never waits for the inspector.
const (
	inspectorQueue   = 4096
	inspectorMemory  = 32 << 20
	inspectorBatch   = 64
	inspectorFlush   = 200 * time.Millisecond
	inspectorPruning = time.Minute
)

// InspectorStats are the inspector's counters since the server started.
type InspectorStats struct {
	Written int64 // records stored
	Dropped int64 // records dropped because the queue or the memory bound was full
	Failed  int64 // records lost to a failed write
}

// inspector writes request records off the request path: submit hands a
// record to a bounded channel; one goroutine explains records (look-ups
// only for actions not identified or attributed), writes them in batches in
// their own transactions and prunes by the retention rule.
type inspector struct {
	s     *Server
	store wxads.InspectorStore
	ch    chan *record
	flush chan chan struct{}

	mu     sync.RWMutex // guards closed against sends on a closed channel
	closed bool
	done   chan struct{}

	memory                   atomic.Int64
	written, dropped, failed atomic.Int64
	owners                   map[string]int64 // appid → account, for token calls and identification reasons
	budget                   lookupBudget
}

func newInspector(s *Server, store wxads.InspectorStore) *inspector {
	in := &inspector{s: s, store: store, ch: make(chan *record, inspectorQueue), flush: make(chan chan struct{}),
		done: make(chan struct{}), owners: map[string]int64{}}
	go in.run()
	return in
}

// submit hands rec over without ever blocking.
func (in *inspector) submit(rec *record) {
	if in == nil || rec.skip || !inspectable(rec.route) {
		return
	}
	if rec.accountID == 0 && rec.appID == "" {
		return // no advertiser to show it to
	}
	size := rec.cost()
	rec.queued = size
	if in.memory.Add(size) > inspectorMemory {
		in.memory.Add(-size)
		in.dropped.Add(1)
		return
	}
	in.mu.RLock()
	defer in.mu.RUnlock()
	if in.closed {
		in.memory.Add(-size)
		return
	}
	select {
	case in.ch <- rec:
	default:
		in.memory.Add(-size)
		in.dropped.Add(1)
	}
}

// cost is what a queued record keeps alive: the body's whole buffer (read
// into capacity, not length) and, for uploads, the decoded actions it
// shares with Ingest. Counting the body alone let a flood of large batches
// hold several times the inspector's memory bound (500 uploads of 1 MiB:
// 225 MB of live heap, most of it decoded action_param strings, waiting in
// this queue).
func (rec *record) cost() int64 {
	n := int64(cap(rec.body)) + 1024
	if u := rec.upload; u != nil {
		n += int64(cap(u.indexes))*8 + int64(len(u.failed))*64
		for i := range u.kept {
			a := &u.kept[i]
			n += int64(len(a.Param) + len(a.URL) + len(a.Domain) + len(a.OuterActionID) + len(a.AppID) +
				len(a.OpenID) + len(a.ClickID) + len(a.ActionType) + len(a.CustomAction) + 256)
		}
	}
	return n
}

func (in *inspector) run() {
	defer close(in.done)
	tick := time.NewTicker(inspectorFlush)
	defer tick.Stop()
	lastPrune := time.Now()
	var batch []*record
	write := func() {
		if len(batch) > 0 {
			in.write(batch)
			batch = batch[:0]
		}
	}
	for {
		select {
		case rec, ok := <-in.ch:
			if !ok {
				write()
				return
			}
			if batch = append(batch, rec); len(batch) >= inspectorBatch {
				write()
			}
		case done := <-in.flush:
			for len(in.ch) > 0 {
				batch = append(batch, <-in.ch)
			}
			write()
			close(done)
		case <-tick.C:
			write()
			if time.Since(lastPrune) >= inspectorPruning {
				in.prune()
				lastPrune = time.Now()
			}
		}
	}
}

// write explains and stores a batch; a failed write loses the batch (it is
// counted and logged), never the requests it describes.
func (in *inspector) write(batch []*record) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	in.budget.refill(time.Now())
	recs := make([]wxads.RequestRecord, 0, len(batch))
	for _, rec := range batch {
		if r, ok := in.explain(ctx, rec); ok {
			recs = append(recs, r)
		}
		in.memory.Add(-rec.queued)
	}
	if err := in.store.AddRequests(ctx, recs); err != nil {
		in.failed.Add(int64(len(recs)))
		in.s.log.LogAttrs(ctx, slog.LevelWarn, "inspector: write failed", slog.Int("records", len(recs)), slog.Any("err", err))
		return
	}
	in.written.Add(int64(len(recs)))
}

func (in *inspector) prune() {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	now := in.s.cfg.Clock.Now().Unix()
	diagBefore := wxads.DayOf(now - wxads.DiagnosticsKeepSeconds)
	if _, err := in.store.PruneRequests(ctx, (now-wxads.RequestKeepSeconds)*1000, wxads.RequestKeepCount, diagBefore); err != nil {
		in.s.log.LogAttrs(ctx, slog.LevelWarn, "inspector: prune failed", slog.Any("err", err))
	}
	if n := in.dropped.Load(); n > 0 {
		in.s.log.LogAttrs(ctx, slog.LevelWarn, "inspector: records dropped since start (queue or memory bound full)",
			slog.Int64("dropped", n))
	}
}

// close writes what is queued and stops the goroutine.
func (in *inspector) close() {
	in.mu.Lock()
	if !in.closed {
		in.closed = true
		close(in.ch)
	}
	in.mu.Unlock()
	<-in.done
}

// FlushRequests waits until every record submitted before the call is
// stored (tests and the dashboard's "refresh" use it); ctx bounds the wait.
func (s *Server) FlushRequests(ctx context.Context) error {
	if s.inspector == nil {
		return nil
	}
	done := make(chan struct{})
	select {
	case s.inspector.flush <- done:
	case <-s.inspector.done:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
	select {
	case <-done:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// InspectorStats returns the inspector's counters (zero when it is off).
func (s *Server) InspectorStats() InspectorStats {
	if s.inspector == nil {
		return InspectorStats{}
	}
	return InspectorStats{Written: s.inspector.written.Load(), Dropped: s.inspector.dropped.Load(),
		Failed: s.inspector.failed.Load()}
}

// Close stops the inspector after writing what it holds. Call it after the
// HTTP server has stopped and before the store closes.
func (s *Server) Close() error {
	if s.inspector != nil {
		s.inspector.close()
	}
	return nil
}

// lookupBudget bounds the look-ups that explain unattributed actions, so an
// upload flood of unattributable actions cannot turn the inspector into a
// second read load: past the budget a verdict says it was not looked up.
type lookupBudget struct {
	left int
	at   time.Time
}

const lookupsPerSecond = 200

func (b *lookupBudget) refill(now time.Time) {
	if now.Sub(b.at) >= time.Second {
		b.left, b.at = lookupsPerSecond, now
	}
}

func (b *lookupBudget) take() bool {
	if b.left <= 0 {
		return false
	}
	b.left--
	return true
}

// startInspector starts the inspector when a store for it is configured.
func (s *Server) startInspector() {
	if s.cfg.Inspector == nil {
		s.cfg.Inspector, _ = s.cfg.Stores.(wxads.InspectorStore)
	}
	if s.cfg.Inspector != nil {
		s.inspector = newInspector(s, s.cfg.Inspector)
	}
}
