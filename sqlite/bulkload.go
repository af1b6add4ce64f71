package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"iter"

	"github.com/wxads/wxads"
)

// bulkTxActions is how many actions one BulkLoad transaction holds.
var bulkTxActions = 100_000

// BulkLoad is a benchmark and operations helper (seeding a database with
// millions of actions, replaying an export): it stores already-validated
// actions of one advertiser exactly as Ingest would — the same dedup,
// identification, attribution, report and ad rollups and set activation,
// written by the same groupWriter — but in transactions of 100,000
// actions instead of one small group commit per request, so the cost per
// action is a few prepared inserts rather than a share of an fsync.
//
// Each transaction is durable when it commits; if BulkLoad fails, the
// transactions before the failing one stay committed and the result counts
// just those. It holds the single
// writer connection while a transaction is open, so concurrent Ingest calls
// wait for it.
func (db *DB) BulkLoad(ctx context.Context, accountID int64, actions iter.Seq[*wxads.Action]) (wxads.IngestResult, error) {
	// A large page cache keeps the index B-trees in memory across a big
	// transaction; the writer returns to SQLite's default afterwards.
	if _, err := db.write.ExecContext(ctx, `PRAGMA cache_size = -262144`); err != nil {
		return wxads.IngestResult{}, err
	}
	defer db.write.ExecContext(context.Background(), `PRAGMA cache_size = -2000`)

	var (
		res, pending wxads.IngestResult
		tx           *sql.Tx
		w            *groupWriter
		n            int
	)
	abort := func() {
		if tx != nil {
			tx.Rollback()
		}
		tx, w = nil, nil
	}
	commit := func() error {
		defer abort()
		if err := w.flush(); err != nil {
			return fmt.Errorf("sqlite: bulk load rollups: %w", err)
		}
		if err := tx.Commit(); err != nil {
			return fmt.Errorf("sqlite: bulk load commit: %w", err)
		}
		tx, n = nil, 0
		res.Accepted += pending.Accepted
		res.Duplicates += pending.Duplicates
		pending = wxads.IngestResult{}
		return nil
	}
	// addBatch keeps pointers into each chunk until flush, so every chunk
	// gets a fresh array.
	const chunkSize = 500
	chunk := make([]wxads.Action, 0, chunkSize)
	add := func() error {
		if len(chunk) == 0 {
			return nil
		}
		if w == nil {
			var err error
			if tx, err = db.write.BeginTx(ctx, nil); err != nil {
				return fmt.Errorf("sqlite: bulk load begin: %w", err)
			}
			w = db.newGroupWriter(ctx, tx)
		}
		if err := db.identify(ctx, accountID, chunk); err != nil {
			abort()
			return fmt.Errorf("sqlite: bulk load: %w", err)
		}
		accepted, dups, err := w.addBatch(accountID, chunk)
		if err != nil {
			abort()
			return fmt.Errorf("sqlite: bulk load: %w", err)
		}
		pending.Accepted += accepted
		pending.Duplicates += dups
		n += len(chunk)
		chunk = make([]wxads.Action, 0, chunkSize)
		if n >= bulkTxActions {
			return commit()
		}
		return nil
	}
	for a := range actions {
		chunk = append(chunk, *a)
		if len(chunk) == chunkSize {
			if err := add(); err != nil {
				return res, err
			}
		}
	}
	if err := add(); err != nil {
		return res, err
	}
	if w != nil {
		if err := commit(); err != nil {
			return res, err
		}
	}
	return res, nil
}
