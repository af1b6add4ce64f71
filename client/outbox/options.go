package outbox

import (
	"io"
	"log/slog"
	"time"

	"github.com/wxads/wxads/client"
)

// Option configures Open.
type Option func(*config)

type config struct {
	batchSize    int
	maxBodyBytes int
	backoffBase  time.Duration
	backoffMax   time.Duration
	poll         time.Duration
	retention    time.Duration
	observer     func(Event)
	logger       *slog.Logger
	now          func() time.Time
}

func defaultConfig() config {
	return config{
		batchSize:    MaxBatch,
		maxBodyBytes: 1<<20 - 1024, // the platform refuses bodies over 1 MiB (45002)
		backoffBase:  500 * time.Millisecond,
		backoffMax:   30 * time.Second,
		poll:         5 * time.Second,
		logger:       slog.New(slog.NewTextHandler(io.Discard, nil)),
		now:          time.Now,
	}
}

// MaxBatch is the most actions one user_actions/add request may carry.
const MaxBatch = client.MaxBatch

// WithBatchSize caps the actions per request (1–50; default 50). Requests
// are also kept under 1 MB of body whatever the count.
func WithBatchSize(n int) Option {
	return func(c *config) {
		if n >= 1 && n <= MaxBatch {
			c.batchSize = n
		}
	}
}

// WithBackoff sets the wait after a failed request: base doubling per
// consecutive failure up to max, each wait jittered between half and all of
// it. Defaults 500 ms and 30 s.
func WithBackoff(base, max time.Duration) Option {
	return func(c *config) {
		if base > 0 {
			c.backoffBase = base
		}
		if max >= c.backoffBase {
			c.backoffMax = max
		}
	}
}

// WithPollInterval sets how often an idle sender looks for work it was not
// told about (default 5 s). Enqueue and Replay wake it at once anyway.
func WithPollInterval(d time.Duration) Option {
	return func(c *config) {
		if d > 0 {
			c.poll = d
		}
	}
}

// WithRetention makes the sender delete sent actions older than d (by the
// time they were acknowledged). Zero, the default, keeps them forever;
// pending and dead actions are never pruned.
func WithRetention(d time.Duration) Option {
	return func(c *config) { c.retention = d }
}

// WithObserver calls fn for every Event, synchronously from the goroutine
// that caused it (Enqueue's or Replay's caller, or the sender), after the
// change is committed and before Flush can see it — so concurrently when
// Enqueue is called concurrently. fn must be quick, safe for concurrent
// use, and must not call back into the Outbox.
func WithObserver(fn func(Event)) Option {
	return func(c *config) { c.observer = fn }
}

// WithLogger logs retries, stalls and dead letters (default: discarded).
func WithLogger(l *slog.Logger) Option {
	return func(c *config) {
		if l != nil {
			c.logger = l
		}
	}
}
