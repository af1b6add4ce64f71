package postgres

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/wxads/wxads"
	"github.com/wxads/wxads/internal/groupcommit"
)

var _ wxads.ActionStore = (*DB)(nil)

// ErrClosed is returned for ingests that arrive after Close.
var ErrClosed = errors.New("postgres: database closed")

// maxAttempts bounds how often a group transaction that lost a race with
// another node's (deadlock, serialization failure) is run again.
const maxAttempts = 5

// commitTimeout bounds one group transaction, so a stalled database fails
// the waiting requests (-1, the client retries) instead of holding them.
const commitTimeout = 30 * time.Second

// Ingest identifies and attributes the batch, hands it to this node's group
// committer and waits for the commit.
func (db *DB) Ingest(ctx context.Context, accountID int64, actions []wxads.Action) (wxads.IngestResult, error) {
	if db.ingest.Closed() {
		return wxads.IngestResult{}, ErrClosed
	}
	if err := db.identify(ctx, accountID, actions); err != nil {
		return wxads.IngestResult{}, fmt.Errorf("postgres: identify: %w", err)
	}
	r := groupcommit.NewRequest(accountID, actions)
	if err := db.ingest.Submit(ctx, r); err != nil {
		return wxads.IngestResult{}, err
	}
	return r.Res, nil
}

// commitGroup writes the batches of several requests in one transaction,
// run again from the start if it lost a race with another node's.
func (db *DB) commitGroup(group []*groupcommit.Request) error {
	ctx, cancel := context.WithTimeout(context.Background(), commitTimeout)
	defer cancel()
	if err := db.ensurePartitions(ctx, group); err != nil {
		return fmt.Errorf("postgres: ingest partitions: %w", err)
	}
	for attempt := 1; ; attempt++ {
		var res []wxads.IngestResult
		err := pgx.BeginFunc(ctx, db.pool, func(tx pgx.Tx) error {
			var err error
			res, err = db.writeGroup(ctx, tx, group)
			return err
		})
		if err == nil {
			for i, r := range group {
				r.Res = res[i]
			}
			return nil
		}
		if !retryable(err) || attempt == maxAttempts {
			return fmt.Errorf("postgres: ingest (attempt %d): %w", attempt, err)
		}
	}
}

// ListActions returns a set's actions, most recently stored first.
func (db *DB) ListActions(ctx context.Context, setID int64, offset, limit int) ([]wxads.StoredAction, int, error) {
	var total int
	if err := db.pool.QueryRow(ctx, `SELECT COUNT(*) FROM actions WHERE set_id = $1`, setID).Scan(&total); err != nil {
		return nil, 0, err
	}
	rows, err := db.pool.Query(ctx, `SELECT id, set_id, COALESCE(outer_action_id, ''), action_time, action_type,
		custom_action, url, domain, appid, openid, click_id, param, claim_type, value, identified,
		attributed_ad_id, attributed_campaign_id, received_time, user_ids, product_inform, channel, identified_by
		FROM actions WHERE set_id = $1 ORDER BY id DESC LIMIT $2 OFFSET $3`, setID, limit, offset)
	if err != nil {
		return nil, 0, err
	}
	list, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (wxads.StoredAction, error) {
		var a wxads.StoredAction
		var param, ids string
		var product *string
		if err := row.Scan(&a.ID, &a.SetID, &a.OuterActionID, &a.ActionTime, &a.ActionType, &a.CustomAction,
			&a.URL, &a.Domain, &a.AppID, &a.OpenID, &a.ClickID, &param, &a.ClaimType, &a.Value, &a.Identified,
			&a.AttributedAdID, &a.AttributedCampaignID, &a.ReceivedTime, &ids, &product, &a.Channel,
			&a.IdentifiedBy); err != nil {
			return a, err
		}
		a.Param = []byte(param)
		if product != nil {
			a.ProductInform = []byte(*product)
		}
		var err error
		a.UserIDs, err = wxads.DecodeUserIDs(ids)
		return a, err
	})
	return list, total, err
}
