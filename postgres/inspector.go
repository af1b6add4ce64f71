package postgres

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5"

	"github.com/wxads/wxads"
)

var _ wxads.InspectorStore = (*DB)(nil)

var requestCopyColumns = []string{"id", "account_id", "appid", "time_ms", "method", "route", "request_id",
	"http_status", "errcode", "errmsg", "explanation", "explanation_cn", "hint", "duration_ms", "query", "body",
	"body_bytes", "action_count", "dry_run", "actions"}

// AddRequests stores a batch of inspector records (ids drawn from the
// sequence first, then one COPY) and adds their diagnostics, in one
// transaction of its own, never part of an ingest group commit.
func (db *DB) AddRequests(ctx context.Context, recs []wxads.RequestRecord) error {
	if len(recs) == 0 {
		return nil
	}
	return pgx.BeginFunc(ctx, db.pool, func(tx pgx.Tx) error {
		rows, err := tx.Query(ctx, `SELECT nextval(pg_get_serial_sequence('requests', 'id')) FROM generate_series(1, $1)`, len(recs))
		if err != nil {
			return err
		}
		ids, err := pgx.CollectRows(rows, pgx.RowTo[int64])
		if err != nil {
			return err
		}
		data := make([][]any, len(recs))
		diag := map[diagRow]int64{}
		for i := range recs {
			r := &recs[i]
			r.ID = ids[i]
			var actions any
			if len(r.Actions) > 0 {
				b, err := json.Marshal(r.Actions)
				if err != nil {
					return err
				}
				actions = string(b)
			}
			data[i] = []any{r.ID, r.AccountID, r.AppID, r.TimeMS, r.Method, r.Route, r.RequestID, int32(r.HTTPStatus),
				int32(r.Errcode), r.Errmsg, r.Explanation, r.ExplainCN, r.Hint, r.DurationMS, r.Query, r.Body,
				int32(r.BodyBytes), int32(r.ActionCount), r.DryRun, actions}
			for k, n := range r.Diagnostics() {
				diag[diagRow{r.AccountID, k}] += n
			}
		}
		if _, err := tx.CopyFrom(ctx, pgx.Identifier{"requests"}, requestCopyColumns, pgx.CopyFromRows(data)); err != nil {
			return fmt.Errorf("postgres: requests: %w", err)
		}
		return addDiagnostics(ctx, tx, diag)
	})
}

type diagRow struct {
	account int64
	wxads.DiagnosticKey
}

// addDiagnostics upserts the counts in key order (nodes add concurrently).
func addDiagnostics(ctx context.Context, tx pgx.Tx, diag map[diagRow]int64) error {
	if len(diag) == 0 {
		return nil
	}
	var account, day, set, n []int64
	var kind []string
	var code []int32
	for _, k := range sortedKeys(diag, func(a, b diagRow) int {
		return cmp.Or(cmp.Compare(a.account, b.account), cmp.Compare(a.Day, b.Day), cmp.Compare(a.SetID, b.SetID),
			cmp.Compare(a.Kind, b.Kind), cmp.Compare(a.Errcode, b.Errcode))
	}) {
		account, day, set, n = append(account, k.account), append(day, k.Day), append(set, k.SetID), append(n, diag[k])
		kind, code = append(kind, k.Kind), append(code, int32(k.Errcode))
	}
	_, err := tx.Exec(ctx, `INSERT INTO upload_diagnostics (account_id, day, set_id, kind, errcode, n)
		SELECT * FROM unnest($1::bigint[], $2::bigint[], $3::bigint[], $4::text[], $5::integer[], $6::bigint[])
		ON CONFLICT (account_id, day, set_id, kind, errcode) DO UPDATE SET n = upload_diagnostics.n + excluded.n`,
		account, day, set, kind, code, n)
	return err
}

// Requests returns an advertiser's records, newest first.
func (db *DB) Requests(ctx context.Context, q wxads.RequestQuery) ([]wxads.RequestRecord, int, error) {
	where := []string{"account_id = $1"}
	args := []any{q.AccountID}
	add := func(cond string, v any) {
		args = append(args, v)
		where = append(where, cond+" = $"+strconv.Itoa(len(args)))
	}
	if q.Errcode != nil {
		add("errcode", *q.Errcode)
	}
	if q.Route != "" {
		add("route", q.Route)
	}
	if q.Method != "" {
		add("method", q.Method)
	}
	cond := strings.Join(where, " AND ")
	var total int
	if err := db.pool.QueryRow(ctx, `SELECT COUNT(*) FROM requests WHERE `+cond, args...).Scan(&total); err != nil {
		return nil, 0, err
	}
	n := len(args)
	rows, err := db.pool.Query(ctx, `SELECT `+strings.Join(requestCopyColumns, ", ")+` FROM requests WHERE `+cond+
		` ORDER BY time_ms DESC, id DESC LIMIT $`+strconv.Itoa(n+1)+` OFFSET $`+strconv.Itoa(n+2), append(args, q.Limit, q.Offset)...)
	if err != nil {
		return nil, 0, err
	}
	list, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (wxads.RequestRecord, error) {
		var r wxads.RequestRecord
		var actions []byte
		if err := row.Scan(&r.ID, &r.AccountID, &r.AppID, &r.TimeMS, &r.Method, &r.Route, &r.RequestID,
			&r.HTTPStatus, &r.Errcode, &r.Errmsg, &r.Explanation, &r.ExplainCN, &r.Hint, &r.DurationMS, &r.Query,
			&r.Body, &r.BodyBytes, &r.ActionCount, &r.DryRun, &actions); err != nil {
			return r, err
		}
		if actions != nil {
			if err := json.Unmarshal(actions, &r.Actions); err != nil {
				return r, fmt.Errorf("postgres: request %d verdicts: %w", r.ID, err)
			}
		}
		return r, nil
	})
	return list, total, err
}

// PruneRequests applies the retention: age first, then each advertiser's
// records past the newest keep, then old diagnostics.
func (db *DB) PruneRequests(ctx context.Context, before int64, keep int, diagBefore int64) (int64, error) {
	tag, err := db.pool.Exec(ctx, `DELETE FROM requests WHERE time_ms < $1`, before)
	if err != nil {
		return 0, err
	}
	gone := tag.RowsAffected()
	tag, err = db.pool.Exec(ctx, `DELETE FROM requests WHERE id IN (SELECT id FROM (SELECT id,
		row_number() OVER (PARTITION BY account_id ORDER BY time_ms DESC, id DESC) AS rank FROM requests) r
		WHERE rank > $1)`, keep)
	if err != nil {
		return gone, err
	}
	gone += tag.RowsAffected()
	_, err = db.pool.Exec(ctx, `DELETE FROM upload_diagnostics WHERE day < $1`, diagBefore)
	return gone, err
}

// UploadDiagnostics folds the rollup cells into one row per day and set.
func (db *DB) UploadDiagnostics(ctx context.Context, q wxads.DiagnosticsQuery) ([]wxads.UploadDiagnostic, error) {
	query := `SELECT day, set_id, kind, errcode, n FROM upload_diagnostics WHERE account_id = $1 AND day >= $2 AND day <= $3`
	args := []any{q.AccountID, q.Start, q.End}
	if q.SetID != 0 {
		query += ` AND set_id = $4`
		args = append(args, q.SetID)
	}
	rows, err := db.pool.Query(ctx, query+` ORDER BY day, set_id`, args...)
	if err != nil {
		return nil, err
	}
	cells, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (wxads.DiagnosticCell, error) {
		var c wxads.DiagnosticCell
		err := row.Scan(&c.Day, &c.SetID, &c.Kind, &c.Errcode, &c.N)
		return c, err
	})
	if err != nil {
		return nil, err
	}
	return wxads.FoldDiagnostics(cells), nil
}

// NearestAdEvent answers why an identified action was not attributed: the
// latest matching event at or before the action (so too old), else the
// earliest after it (so too late), else none.
func (db *DB) NearestAdEvent(ctx context.Context, p wxads.AdEventProbe) (wxads.AdEvent, error) {
	match, key := `openid = $2`, p.OpenID
	if p.ClickID != "" {
		match, key = `click_id = $2 AND click_id <> ''`, p.ClickID
	}
	for _, order := range []string{`time <= $4 ORDER BY time DESC, id DESC`, `time > $4 ORDER BY time, id`} {
		var e wxads.AdEvent
		err := db.pool.QueryRow(ctx, `SELECT type, appid, openid, ad_id, campaign_id, click_id, time FROM ad_events
			WHERE appid = $1 AND `+match+` AND type = $3 AND `+order+` LIMIT 1`, p.AppID, key, p.Type, p.At).
			Scan(&e.Type, &e.AppID, &e.OpenID, &e.AdID, &e.CampaignID, &e.ClickID, &e.Time)
		if errors.Is(err, pgx.ErrNoRows) {
			continue
		}
		return e, err
	}
	return wxads.AdEvent{}, fmt.Errorf("%w: no %s for %s", wxads.ErrNotFound, p.Type, key)
}
