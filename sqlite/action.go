package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/wxads/wxads"
	"github.com/wxads/wxads/internal/groupcommit"
)

var _ wxads.ActionStore = (*DB)(nil)

// ErrClosed is returned for ingests that arrive after Close.
var ErrClosed = errors.New("sqlite: database closed")

// Ingest identifies and attributes the batch (on the read side), hands it
// to the group committer and waits for the commit.
func (db *DB) Ingest(ctx context.Context, accountID int64, actions []wxads.Action) (wxads.IngestResult, error) {
	if db.ingest.Closed() {
		return wxads.IngestResult{}, ErrClosed
	}
	if err := db.identify(ctx, accountID, actions); err != nil {
		return wxads.IngestResult{}, fmt.Errorf("sqlite: identify: %w", err)
	}
	r := groupcommit.NewRequest(accountID, actions)
	if err := db.ingest.Submit(ctx, r); err != nil {
		return wxads.IngestResult{}, err
	}
	return r.Res, nil
}

// commitGroup writes the batches of several requests in one transaction:
// actions (deduplicated), report rollups, ad rollups and set activation.
// It commits without waiting for the disk; the committer answers the
// group's callers after walSyncer's fsync (walsync.go).
func (db *DB) commitGroup(group []*groupcommit.Request) error {
	ctx := context.Background()
	conn, release, err := db.unsyncedConn(ctx)
	if err != nil {
		return fmt.Errorf("sqlite: ingest connection: %w", err)
	}
	defer release()
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("sqlite: ingest begin: %w", err)
	}
	defer tx.Rollback()
	w := db.newGroupWriter(ctx, tx)
	batches := make([][]wxads.Action, len(group))
	for i, r := range group {
		batches[i] = r.Actions
	}
	if err := w.loadSeen(batches...); err != nil {
		return fmt.Errorf("sqlite: ingest dedup: %w", err)
	}
	for _, r := range group {
		r.Res.Accepted, r.Res.Duplicates, err = w.addBatch(r.AccountID, r.Actions)
		if err != nil {
			return fmt.Errorf("sqlite: ingest: %w", err)
		}
	}
	if err := w.flush(); err != nil {
		return fmt.Errorf("sqlite: ingest rollups: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("sqlite: ingest commit: %w", err)
	}
	return nil
}

// ListActions returns a set's actions, most recently received first.
func (db *DB) ListActions(ctx context.Context, setID int64, offset, limit int) ([]wxads.StoredAction, int, error) {
	var total int
	if err := db.read.QueryRowContext(ctx, `SELECT COUNT(*) FROM actions WHERE set_id = ?`, setID).Scan(&total); err != nil {
		return nil, 0, err
	}
	rows, err := db.read.QueryContext(ctx, `SELECT id, set_id, COALESCE(outer_action_id, ''), action_time, action_type,
		custom_action, url, domain, appid, openid, click_id, param, claim_type, value, identified,
		attributed_ad_id, attributed_campaign_id, received_time, user_ids, product_inform, channel, identified_by
		FROM actions WHERE set_id = ? ORDER BY id DESC LIMIT ? OFFSET ?`, setID, limit, offset)
	if err != nil {
		return nil, 0, err
	}
	defer rows.Close()
	var list []wxads.StoredAction
	for rows.Next() {
		var a wxads.StoredAction
		var param, ids string
		var product sql.NullString
		if err := rows.Scan(&a.ID, &a.SetID, &a.OuterActionID, &a.ActionTime, &a.ActionType, &a.CustomAction,
			&a.URL, &a.Domain, &a.AppID, &a.OpenID, &a.ClickID, &param, &a.ClaimType, &a.Value, &a.Identified,
			&a.AttributedAdID, &a.AttributedCampaignID, &a.ReceivedTime, &ids, &product, &a.Channel,
			&a.IdentifiedBy); err != nil {
			return nil, 0, err
		}
		a.Param = []byte(param)
		if product.Valid {
			a.ProductInform = []byte(product.String)
		}
		if a.UserIDs, err = wxads.DecodeUserIDs(ids); err != nil {
			return nil, 0, err
		}
		list = append(list, a)
	}
	return list, total, rows.Err()
}

func nullString(s string) sql.NullString { return sql.NullString{String: s, Valid: s != ""} }
