package postgres

import (
	"context"

	"github.com/jackc/pgx/v5"

	"github.com/wxads/wxads"
)

// actionColumns are the columns a group commit writes (id is the sequence's).
var actionColumns = []string{"set_id", "outer_action_id", "action_time", "action_type", "custom_action",
	"url", "domain", "appid", "openid", "click_id", "param", "claim_type", "value", "identified",
	"attributed_ad_id", "attributed_campaign_id", "received_time", "user_ids", "product_inform", "channel",
	"identified_by"}

// qInsertActions is the multi-row alternative to COPY: one INSERT whose
// rows are 21 arrays, one round trip for any number of rows.
const qInsertActions = `INSERT INTO actions (set_id, outer_action_id, action_time, action_type, custom_action,
	url, domain, appid, openid, click_id, param, claim_type, value, identified, attributed_ad_id,
	attributed_campaign_id, received_time, user_ids, product_inform, channel, identified_by)
	SELECT s, NULLIF(o, ''), at, ty, ca, u, d, ap, op, ci, pa, ct, v, idf, ad, camp, rt, ui, pi, ch, ib
	FROM unnest($1::bigint[], $2::text[], $3::bigint[], $4::text[], $5::text[], $6::text[], $7::text[],
		$8::text[], $9::text[], $10::text[], $11::text[], $12::integer[], $13::bigint[], $14::boolean[],
		$15::bigint[], $16::bigint[], $17::bigint[], $18::text[], $19::text[], $20::text[], $21::text[])
		AS r(s, o, at, ty, ca, u, d, ap, op, ci, pa, ct, v, idf, ad, camp, rt, ui, pi, ch, ib)`

// bulk writes a group's new actions in received order, with COPY unless
// the DB was told to use the multi-row INSERT (docs/postgres.md has the
// measurement behind the default).
func (db *DB) bulk(ctx context.Context, tx pgx.Tx, rows []*wxads.Action) error {
	if len(rows) == 0 {
		return nil
	}
	if db.multiRowInsert {
		return insertActions(ctx, tx, rows)
	}
	return copyActions(ctx, tx, rows)
}

func copyActions(ctx context.Context, tx pgx.Tx, rows []*wxads.Action) error {
	i := -1
	src := pgx.CopyFromFunc(func() ([]any, error) {
		if i++; i == len(rows) {
			return nil, nil
		}
		a := rows[i]
		var outer any
		if a.OuterActionID != "" {
			outer = a.OuterActionID
		}
		return []any{a.SetID, outer, a.ActionTime, a.ActionType, a.CustomAction, a.URL, a.Domain, a.AppID,
			a.OpenID, a.ClickID, string(a.Param), int32(a.ClaimType), a.Value, a.Identified, a.AttributedAdID,
			a.AttributedCampaignID, a.ReceivedTime, wxads.EncodeUserIDs(a.UserIDs), productOf(a), a.Channel,
			a.IdentifiedBy}, nil
	})
	_, err := tx.CopyFrom(ctx, pgx.Identifier{"actions"}, actionColumns, src)
	return err
}

func insertActions(ctx context.Context, tx pgx.Tx, rows []*wxads.Action) error {
	n := len(rows)
	set, at, value, ad, camp, rt := make([]int64, n), make([]int64, n), make([]int64, n), make([]int64, n),
		make([]int64, n), make([]int64, n)
	outer, typ, custom, url, domain, appid, openid, click, param := make([]string, n), make([]string, n),
		make([]string, n), make([]string, n), make([]string, n), make([]string, n), make([]string, n),
		make([]string, n), make([]string, n)
	claim, ident := make([]int32, n), make([]bool, n)
	ids, product, channel, by := make([]string, n), make([]*string, n), make([]string, n), make([]string, n)
	for i, a := range rows {
		set[i], outer[i], at[i], typ[i], custom[i] = a.SetID, a.OuterActionID, a.ActionTime, a.ActionType, a.CustomAction
		url[i], domain[i], appid[i], openid[i], click[i] = a.URL, a.Domain, a.AppID, a.OpenID, a.ClickID
		param[i], claim[i], value[i], ident[i] = string(a.Param), int32(a.ClaimType), a.Value, a.Identified
		ad[i], camp[i], rt[i] = a.AttributedAdID, a.AttributedCampaignID, a.ReceivedTime
		ids[i], channel[i], by[i] = wxads.EncodeUserIDs(a.UserIDs), a.Channel, a.IdentifiedBy
		if p, ok := productOf(a).(string); ok {
			product[i] = &p
		}
	}
	_, err := tx.Exec(ctx, qInsertActions, set, outer, at, typ, custom, url, domain, appid, openid, click,
		param, claim, value, ident, ad, camp, rt, ids, product, channel, by)
	return err
}

// productOf is product_inform as the column takes it: NULL when absent.
func productOf(a *wxads.Action) any {
	if a.ProductInform == nil {
		return nil
	}
	return string(a.ProductInform)
}
