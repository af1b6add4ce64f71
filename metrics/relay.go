package metrics

import (
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// RelayStats is a relay's queue as RelaySource reads it.
type RelayStats struct {
	Pending, Delivered, Dead int64
	LagSeconds               float64 // age of the oldest pending action; 0 when none
}

// RelaySource installs the relay's gauges (SPEC §12, docs/RELAY.md), read
// at scrape time; one read serves the gauges of a scrape.
func (m *Registry) RelaySource(read func() (RelayStats, error)) {
	if m == nil {
		return
	}
	var mu sync.Mutex
	var last RelayStats
	var at time.Time
	get := func() RelayStats {
		mu.Lock()
		defer mu.Unlock()
		if time.Since(at) > time.Second {
			if st, err := read(); err == nil {
				last, at = st, time.Now()
			}
		}
		return last
	}
	gauge := func(name, help string, pick func(RelayStats) float64) prometheus.GaugeFunc {
		return prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: name, Help: help}, func() float64 { return pick(get()) })
	}
	m.reg.MustRegister(
		gauge("wxads_relay_pending_actions", "Actions stored here and not yet acknowledged upstream.", func(s RelayStats) float64 { return float64(s.Pending) }),
		gauge("wxads_relay_delivered_actions", "Actions acknowledged upstream (kept until pruned).", func(s RelayStats) float64 { return float64(s.Delivered) }),
		gauge("wxads_relay_dead_actions", "Actions refused upstream for their content, waiting for `wxads relay replay --dead`; alert when above 0.", func(s RelayStats) float64 { return float64(s.Dead) }),
		gauge("wxads_relay_lag_seconds", "Age of the oldest pending action: the delivery lag; alert when it grows.", func(s RelayStats) float64 { return s.LagSeconds }),
	)
}
