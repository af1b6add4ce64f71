package sqlite

import (
	"context"
	"strings"

	"github.com/wxads/wxads"
)

var _ wxads.ActionSetStore = (*DB)(nil)

func (db *DB) CreateActionSet(ctx context.Context, s *wxads.ActionSet, perMinute int) error {
	tx, err := db.write.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	var recent int
	if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM action_sets WHERE creator_app_id = ? AND created_time > ?`,
		s.CreatorAppID, s.CreatedTime-60).Scan(&recent); err != nil {
		return err
	}
	if recent >= perMinute {
		return wxads.ErrTooFrequent
	}
	res, err := tx.ExecContext(ctx, `INSERT INTO action_sets
		(account_id, type, name, description, wechat_app_id, creator_app_id, created_time,
		 mobile_app_id, enable_conversion_claim)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		s.AccountID, s.Type, s.Name, s.Description, s.WechatAppID, s.CreatorAppID, s.CreatedTime,
		s.MobileAppID, s.EnableConversionClaim)
	if err != nil {
		return translate(err)
	}
	if s.ID, err = res.LastInsertId(); err != nil {
		return err
	}
	return tx.Commit()
}

func (db *DB) ActionSets(ctx context.Context, accountID int64, f wxads.ActionSetFilter) ([]*wxads.ActionSet, error) {
	var where strings.Builder
	where.WriteString(`account_id = ?`)
	args := []any{accountID}
	if f.ID != 0 {
		where.WriteString(` AND id = ?`)
		args = append(args, f.ID)
	}
	if f.WechatAppID != "" {
		where.WriteString(` AND wechat_app_id = ?`)
		args = append(args, f.WechatAppID)
	}
	rows, err := db.read.QueryContext(ctx, `SELECT id, account_id, type, name, description, wechat_app_id,
		creator_app_id, activate_status, created_time, mobile_app_id, enable_conversion_claim FROM action_sets WHERE `+where.String()+` ORDER BY id`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var list []*wxads.ActionSet
	for rows.Next() {
		s := &wxads.ActionSet{}
		if err := rows.Scan(&s.ID, &s.AccountID, &s.Type, &s.Name, &s.Description, &s.WechatAppID,
			&s.CreatorAppID, &s.ActivateStatus, &s.CreatedTime, &s.MobileAppID, &s.EnableConversionClaim); err != nil {
			return nil, err
		}
		list = append(list, s)
	}
	return list, rows.Err()
}

func (db *DB) ActionSetOwner(ctx context.Context, setID int64) (int64, error) {
	var account int64
	err := db.read.QueryRowContext(ctx, `SELECT account_id FROM action_sets WHERE id = ?`, setID).Scan(&account)
	return account, translate(err)
}
