package postgres

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/wxads/wxads"
	"github.com/wxads/wxads/internal/groupcommit"
)

// Actions are partitioned by the GMT+8 day of received_time, not
// action_time: the platform's own clock only moves forward, so every node
// writes to today's partition (created ahead, before the day starts), while
// action_time may lie days in the past and would scatter writes over old
// partitions. Dropping a day received long ago is one DROP TABLE; the
// rollups keep its report rows and action_keys its dedup keys.

// partitionAhead is how many days after the newest one written are created
// in advance, so the creation (which locks the parent table briefly) is not
// on the path of the day's first request.
const partitionAhead = 2

// ensurePartitions creates the partitions the group's received days need.
func (db *DB) ensurePartitions(ctx context.Context, group []*groupcommit.Request) error {
	var days []int64
	for _, r := range group {
		for i := range r.Actions {
			day := wxads.DayOf(r.Actions[i].ReceivedTime)
			if _, ok := db.partitions.Load(day); !ok && !containsDay(days, day) {
				days = append(days, day)
			}
		}
	}
	if len(days) == 0 {
		return nil
	}
	return db.createPartitions(ctx, days)
}

func containsDay(days []int64, day int64) bool {
	for _, d := range days {
		if d == day {
			return true
		}
	}
	return false
}

// createPartitions creates each day's partition and the next partitionAhead
// days', under an advisory lock so nodes creating the same day at once do
// not collide.
func (db *DB) createPartitions(ctx context.Context, days []int64) error {
	err := pgx.BeginFunc(ctx, db.pool, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock($1, 0)`, lockPartition); err != nil {
			return err
		}
		for _, day := range days {
			for d := day; d <= day+partitionAhead*86400; d += 86400 {
				if _, err := tx.Exec(ctx, fmt.Sprintf(`CREATE TABLE IF NOT EXISTS %s PARTITION OF actions
					FOR VALUES FROM (%d) TO (%d)`, partitionName(d), d, d+86400)); err != nil {
					return err
				}
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	for _, day := range days {
		for d := day; d <= day+partitionAhead*86400; d += 86400 {
			db.partitions.Store(d, true)
		}
	}
	return nil
}

// partitionName is actions_YYYYMMDD for the GMT+8 day starting at day.
func partitionName(day int64) string {
	return "actions_" + time.Unix(day, 0).In(wxads.CST).Format("20060102")
}

// DropActionsBefore drops the partitions of actions received before the
// GMT+8 day starting at day and returns their names. Reports are unchanged
// (they read the rollups) and dedup keys are kept.
func (db *DB) DropActionsBefore(ctx context.Context, day int64) ([]string, error) {
	rows, err := db.pool.Query(ctx, `SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
		WHERE i.inhparent = 'actions'::regclass ORDER BY c.relname`)
	if err != nil {
		return nil, err
	}
	names, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return nil, err
	}
	cut := partitionName(day)
	var dropped []string
	for _, name := range names {
		if !strings.HasPrefix(name, "actions_") || name >= cut {
			continue
		}
		if _, err := db.pool.Exec(ctx, `DROP TABLE `+pgx.Identifier{name}.Sanitize()); err != nil {
			return dropped, err
		}
		dropped = append(dropped, name)
		t, _ := time.ParseInLocation("20060102", strings.TrimPrefix(name, "actions_"), wxads.CST)
		db.partitions.Delete(t.Unix())
	}
	return dropped, nil
}
