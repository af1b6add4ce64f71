package metrics

import "time"

// The storage backends' group commit reports here (sqlite/committer.go,
// postgres/committer.go). Every method is a no-op on a nil *Registry.

// GroupBegan records a group commit about to run: how many actions it
// holds and how many batches are still queued behind it.
func (m *Registry) GroupBegan(actions, queued int) {
	if m == nil {
		return
	}
	m.groupSize.Observe(float64(actions))
	m.queueDepth.Set(float64(queued))
}

// Waited records how long one batch waited in the queue.
func (m *Registry) Waited(d time.Duration) {
	if m != nil {
		m.groupWait.Observe(d.Seconds())
	}
}

// GroupCommitted records a group commit's outcome: its duration, and the
// stored and duplicate actions when it committed, or a store error when it
// rolled back.
func (m *Registry) GroupCommitted(d time.Duration, stored, duplicates int, err error) {
	if m == nil {
		return
	}
	m.commitTime.Observe(d.Seconds())
	if err != nil {
		m.storeErrs.WithLabelValues("ingest").Inc()
		return
	}
	m.stored.Add(float64(stored))
	m.duplicates.Add(float64(duplicates))
}

// StoreError counts a failed storage operation other than the group commit.
func (m *Registry) StoreError(op string) {
	if m != nil {
		m.storeErrs.WithLabelValues(op).Inc()
	}
}
