package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"github.com/wxads/wxads"
)

var _ wxads.InspectorStore = (*DB)(nil)

// AddRequests stores a batch of inspector records and their diagnostics in
// one transaction of its own, never part of an ingest group commit, and
// without an fsync of its own (synchronous=NORMAL on the writer for this
// transaction only): a crash may lose the last records, which were never
// acknowledged to anyone; ingest's own WAL fsync (walsync.go) covers them
// when it next runs.
func (db *DB) AddRequests(ctx context.Context, recs []wxads.RequestRecord) error {
	if len(recs) == 0 {
		return nil
	}
	// Compress before taking the writer: the ingest committer waits for it.
	details := make([][]byte, len(recs))
	var z detailCodec
	for i := range recs {
		var err error
		if details[i], err = z.encode(&recs[i]); err != nil {
			return err
		}
	}
	conn, release, err := db.unsyncedConn(ctx)
	if err != nil {
		return err
	}
	defer release()
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("sqlite: requests begin: %w", err)
	}
	defer tx.Rollback()
	if err := addRequests(ctx, tx, recs, details); err != nil {
		return err
	}
	return tx.Commit()
}

func addRequests(ctx context.Context, tx *sql.Tx, recs []wxads.RequestRecord, details [][]byte) error {
	ins, err := tx.PrepareContext(ctx, `INSERT INTO requests (account_id, appid, time_ms, method, route, request_id,
		http_status, errcode, errmsg, explanation, explanation_cn, hint, duration_ms, query, body_bytes,
		action_count, dry_run, detail) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`)
	if err != nil {
		return err
	}
	defer ins.Close()
	diag := map[diagRow]int64{}
	for i := range recs {
		r := &recs[i]
		res, err := ins.ExecContext(ctx, r.AccountID, r.AppID, r.TimeMS, r.Method, r.Route, r.RequestID,
			r.HTTPStatus, r.Errcode, r.Errmsg, r.Explanation, r.ExplainCN, r.Hint, r.DurationMS, r.Query,
			r.BodyBytes, r.ActionCount, r.DryRun, details[i])
		if err != nil {
			return fmt.Errorf("sqlite: insert request: %w", err)
		}
		if r.ID, err = res.LastInsertId(); err != nil {
			return err
		}
		for k, n := range r.Diagnostics() {
			diag[diagRow{r.AccountID, k}] += n
		}
	}
	for k, n := range diag {
		if _, err := tx.ExecContext(ctx, `INSERT INTO upload_diagnostics (account_id, day, set_id, kind, errcode, n)
			VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO UPDATE SET n = n + excluded.n`,
			k.account, k.Day, k.SetID, k.Kind, k.Errcode, n); err != nil {
			return fmt.Errorf("sqlite: upload diagnostics: %w", err)
		}
	}
	return nil
}

type diagRow struct {
	account int64
	wxads.DiagnosticKey
}

const requestColumns = `id, account_id, appid, time_ms, method, route, request_id, http_status, errcode, errmsg,
	explanation, explanation_cn, hint, duration_ms, query, body_bytes, action_count, dry_run, detail`

// Requests returns an advertiser's records, newest first.
func (db *DB) Requests(ctx context.Context, q wxads.RequestQuery) ([]wxads.RequestRecord, int, error) {
	where := []string{"account_id = ?"}
	args := []any{q.AccountID}
	if q.Errcode != nil {
		where, args = append(where, "errcode = ?"), append(args, *q.Errcode)
	}
	if q.Route != "" {
		where, args = append(where, "route = ?"), append(args, q.Route)
	}
	if q.Method != "" {
		where, args = append(where, "method = ?"), append(args, q.Method)
	}
	cond := strings.Join(where, " AND ")
	var total int
	if err := db.read.QueryRowContext(ctx, `SELECT COUNT(*) FROM requests WHERE `+cond, args...).Scan(&total); err != nil {
		return nil, 0, err
	}
	rows, err := db.read.QueryContext(ctx, `SELECT `+requestColumns+` FROM requests WHERE `+cond+
		` ORDER BY time_ms DESC, id DESC LIMIT ? OFFSET ?`, append(args, q.Limit, q.Offset)...)
	if err != nil {
		return nil, 0, err
	}
	defer rows.Close()
	var list []wxads.RequestRecord
	for rows.Next() {
		var r wxads.RequestRecord
		var detail []byte
		if err := rows.Scan(&r.ID, &r.AccountID, &r.AppID, &r.TimeMS, &r.Method, &r.Route, &r.RequestID,
			&r.HTTPStatus, &r.Errcode, &r.Errmsg, &r.Explanation, &r.ExplainCN, &r.Hint, &r.DurationMS, &r.Query,
			&r.BodyBytes, &r.ActionCount, &r.DryRun, &detail); err != nil {
			return nil, 0, err
		}
		if err := decodeDetail(detail, &r); err != nil {
			return nil, 0, fmt.Errorf("sqlite: request %d detail: %w", r.ID, err)
		}
		list = append(list, r)
	}
	return list, total, rows.Err()
}

// PruneRequests applies the retention: age first (one index range), then
// each advertiser over keep.
func (db *DB) PruneRequests(ctx context.Context, before int64, keep int, diagBefore int64) (int64, error) {
	res, err := db.write.ExecContext(ctx, `DELETE FROM requests WHERE time_ms < ?`, before)
	if err != nil {
		return 0, err
	}
	gone, _ := res.RowsAffected()
	rows, err := db.read.QueryContext(ctx, `SELECT account_id FROM requests GROUP BY account_id HAVING COUNT(*) > ?`, keep)
	if err != nil {
		return gone, err
	}
	var over []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return gone, err
		}
		over = append(over, id)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return gone, err
	}
	for _, account := range over {
		res, err := db.write.ExecContext(ctx, `DELETE FROM requests WHERE id IN (SELECT id FROM requests
			WHERE account_id = ? ORDER BY time_ms DESC, id DESC LIMIT -1 OFFSET ?)`, account, keep)
		if err != nil {
			return gone, err
		}
		n, _ := res.RowsAffected()
		gone += n
	}
	_, err = db.write.ExecContext(ctx, `DELETE FROM upload_diagnostics WHERE day < ?`, diagBefore)
	return gone, err
}

// UploadDiagnostics folds the rollup cells into one row per day and set.
func (db *DB) UploadDiagnostics(ctx context.Context, q wxads.DiagnosticsQuery) ([]wxads.UploadDiagnostic, error) {
	query := `SELECT day, set_id, kind, errcode, n FROM upload_diagnostics WHERE account_id = ? AND day >= ? AND day <= ?`
	args := []any{q.AccountID, q.Start, q.End}
	if q.SetID != 0 {
		query += ` AND set_id = ?`
		args = append(args, q.SetID)
	}
	rows, err := db.read.QueryContext(ctx, query+` ORDER BY day, set_id`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var cells []wxads.DiagnosticCell
	for rows.Next() {
		var c wxads.DiagnosticCell
		if err := rows.Scan(&c.Day, &c.SetID, &c.Kind, &c.Errcode, &c.N); err != nil {
			return nil, err
		}
		cells = append(cells, c)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	return wxads.FoldDiagnostics(cells), nil
}

// Look-ups of NearestAdEvent: each a SEARCH of the index attribution uses
// (attribution_test.go plans every ad_events query of the package).
const (
	qNearestUserBefore = `SELECT type, appid, openid, ad_id, campaign_id, click_id, time FROM ad_events
		WHERE appid = ? AND openid = ? AND type = ? AND time <= ? ORDER BY time DESC, id DESC LIMIT 1`
	qNearestUserAfter = `SELECT type, appid, openid, ad_id, campaign_id, click_id, time FROM ad_events
		WHERE appid = ? AND openid = ? AND type = ? AND time > ? ORDER BY time, id LIMIT 1`
	qNearestClickBefore = `SELECT type, appid, openid, ad_id, campaign_id, click_id, time FROM ad_events
		WHERE appid = ? AND click_id = ? AND click_id <> '' AND type = ? AND time <= ? ORDER BY time DESC, id DESC LIMIT 1`
	qNearestClickAfter = `SELECT type, appid, openid, ad_id, campaign_id, click_id, time FROM ad_events
		WHERE appid = ? AND click_id = ? AND click_id <> '' AND type = ? AND time > ? ORDER BY time, id LIMIT 1`
)

// NearestAdEvent answers why an identified action was not attributed: the
// latest matching event at or before the action (so too old), else the
// earliest after it (so too late), else none.
func (db *DB) NearestAdEvent(ctx context.Context, p wxads.AdEventProbe) (wxads.AdEvent, error) {
	key, queries := p.OpenID, []string{qNearestUserBefore, qNearestUserAfter}
	if p.ClickID != "" {
		key, queries = p.ClickID, []string{qNearestClickBefore, qNearestClickAfter}
	}
	for _, q := range queries {
		var e wxads.AdEvent
		err := db.read.QueryRowContext(ctx, q, p.AppID, key, p.Type, p.At).
			Scan(&e.Type, &e.AppID, &e.OpenID, &e.AdID, &e.CampaignID, &e.ClickID, &e.Time)
		if errors.Is(err, sql.ErrNoRows) {
			continue
		}
		return e, err
	}
	return wxads.AdEvent{}, fmt.Errorf("%w: no %s for %s", wxads.ErrNotFound, p.Type, key)
}
