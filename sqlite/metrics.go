package sqlite

import "github.com/wxads/wxads/metrics"

// SetMetrics makes the group commit report its batch sizes, queue wait and
// depth, commit time, ingested actions and failures to m. Call it before the
// first Ingest; nil turns the reports off.
func (db *DB) SetMetrics(m *metrics.Registry) { db.ingest.SetMetrics(m) }
