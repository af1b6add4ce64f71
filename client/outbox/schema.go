package outbox

import (
	"context"
	"database/sql"
	"fmt"
)

// migrations are applied in order; PRAGMA user_version records how many ran.
// Append, never edit: an outbox directory outlives the binary that made it.
var migrations = []string{
	`CREATE TABLE actions (
		id              INTEGER PRIMARY KEY AUTOINCREMENT, -- enqueue order; never reused after a prune
		state           INTEGER NOT NULL,                  -- 1 pending, 2 sent, 3 dead
		set_id          INTEGER NOT NULL,
		outer_action_id TEXT    NOT NULL,
		body            BLOB    NOT NULL,                  -- the client.UserAction as JSON
		enqueued_at     INTEGER NOT NULL,                  -- Unix ms
		attempts        INTEGER NOT NULL DEFAULT 0,        -- requests that carried it
		done_at         INTEGER,                           -- Unix ms it became sent or dead
		request_id      TEXT    NOT NULL DEFAULT '',       -- upstream X-Request-Id of the last answer
		errcode         INTEGER NOT NULL DEFAULT 0,        -- dead: the refusal; pending: the last failure
		errmsg          TEXT    NOT NULL DEFAULT ''
	);
	-- the platform's dedup key: enqueueing it again is a no-op unless it is dead
	CREATE UNIQUE INDEX actions_key ON actions (set_id, outer_action_id);
	CREATE INDEX actions_state ON actions (state, id);
	CREATE INDEX actions_sent_done ON actions (done_at) WHERE state = 2;
	-- for people with the sqlite3 shell
	CREATE VIEW dead_letters AS
		SELECT id, set_id, outer_action_id, errcode, errmsg, request_id,
		       datetime(done_at / 1000, 'unixepoch') AS died_at, body
		FROM actions WHERE state = 3;`,
}

func migrate(ctx context.Context, db *sql.DB) error {
	var version int
	if err := db.QueryRowContext(ctx, `PRAGMA user_version`).Scan(&version); err != nil {
		return err
	}
	if version > len(migrations) {
		return fmt.Errorf("outbox: schema version %d is newer than this build knows (%d); "+
			"open it with the newer binary that wrote it", version, len(migrations))
	}
	for i := version; i < len(migrations); i++ {
		tx, err := db.BeginTx(ctx, nil)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, migrations[i]); err != nil {
			tx.Rollback()
			return fmt.Errorf("outbox: migration %d: %w", i+1, err)
		}
		// PRAGMA takes no bound parameters; i+1 is our own integer.
		if _, err := tx.ExecContext(ctx, fmt.Sprintf(`PRAGMA user_version = %d`, i+1)); err != nil {
			tx.Rollback()
			return err
		}
		if err := tx.Commit(); err != nil {
			return err
		}
	}
	return nil
}
