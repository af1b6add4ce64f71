package postgres

import (
	"context"
	"strconv"

	"github.com/jackc/pgx/v5"

	"github.com/wxads/wxads"
)

var _ wxads.ActionSetStore = (*DB)(nil)

// CreateActionSet counts the creator's sets of the last minute and inserts
// under the creator's lock, so the limit holds when several nodes create at
// once.
func (db *DB) CreateActionSet(ctx context.Context, s *wxads.ActionSet, perMinute int) error {
	return pgx.BeginFunc(ctx, db.pool, func(tx pgx.Tx) error {
		if err := lock(ctx, tx, lockActionSet, s.CreatorAppID); err != nil {
			return err
		}
		var recent int
		if err := tx.QueryRow(ctx, `SELECT COUNT(*) FROM action_sets WHERE creator_app_id = $1 AND created_time > $2`,
			s.CreatorAppID, s.CreatedTime-60).Scan(&recent); err != nil {
			return err
		}
		if recent >= perMinute {
			return wxads.ErrTooFrequent
		}
		err := tx.QueryRow(ctx, `INSERT INTO action_sets
			(account_id, type, name, description, wechat_app_id, creator_app_id, created_time,
			 mobile_app_id, enable_conversion_claim)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id`,
			s.AccountID, s.Type, s.Name, s.Description, s.WechatAppID, s.CreatorAppID, s.CreatedTime,
			s.MobileAppID, s.EnableConversionClaim).Scan(&s.ID)
		return translate(err)
	})
}

func (db *DB) ActionSets(ctx context.Context, accountID int64, f wxads.ActionSetFilter) ([]*wxads.ActionSet, error) {
	where := `account_id = $1`
	args := []any{accountID}
	if f.ID != 0 {
		args = append(args, f.ID)
		where += ` AND id = $` + strconv.Itoa(len(args))
	}
	if f.WechatAppID != "" {
		args = append(args, f.WechatAppID)
		where += ` AND wechat_app_id = $` + strconv.Itoa(len(args))
	}
	rows, err := db.pool.Query(ctx, `SELECT id, account_id, type, name, description, wechat_app_id,
		creator_app_id, activate_status, created_time, mobile_app_id, enable_conversion_claim FROM action_sets WHERE `+where+` ORDER BY id`, args...)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(row pgx.CollectableRow) (*wxads.ActionSet, error) {
		s := &wxads.ActionSet{}
		err := row.Scan(&s.ID, &s.AccountID, &s.Type, &s.Name, &s.Description, &s.WechatAppID,
			&s.CreatorAppID, &s.ActivateStatus, &s.CreatedTime, &s.MobileAppID, &s.EnableConversionClaim)
		return s, err
	})
}

func (db *DB) ActionSetOwner(ctx context.Context, setID int64) (int64, error) {
	var account int64
	err := db.pool.QueryRow(ctx, `SELECT account_id FROM action_sets WHERE id = $1`, setID).Scan(&account)
	return account, translate(err)
}
