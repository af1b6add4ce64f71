package server

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/wxads/wxads"
	"github.com/wxads/wxads/errcode"
)

// verdicts says what became of each action of an upload and why. It runs in
// the inspector's goroutine; the only look-ups are for actions that were
// stored but not identified (the app's owner, cached) or identified but not
// attributed (the nearest ad event, within a budget). A stored action keeps
// the facts its explanations are written from (facts), and the text is
// written when the record is read (verdicttext.go); the other verdicts are
// few per upload and keep their text.
func (in *inspector) verdicts(ctx context.Context, rec *record, account int64, doc any, now int64) []wxads.ActionVerdict {
	u := rec.upload
	out := make([]wxads.ActionVerdict, rec.actions)
	for i := range out {
		out[i].Index = i
	}
	refused := map[int]bool{}
	for _, f := range u.failed {
		if f.Index < 0 || f.Index >= len(out) {
			continue
		}
		v := &out[f.Index]
		v.Verdict, v.Errcode, v.Path = wxads.VerdictRefused, f.Err.Code, f.Err.Param
		v.Errmsg, _ = errcode.Format(f.Err.Code, f.Err.Args()...)
		prefix := fmt.Sprintf("actions[%d].", f.Index)
		v.SetID = idAt(doc, prefix+"user_action_set_id")
		v.OuterActionID, _ = valueAt(doc, prefix+"outer_action_id").(string)
		v.Explanation, v.ExplainCN = explainValue(f.Err, doc, now)
		refused[f.Index] = true
	}
	first := ""
	if len(u.failed) > 0 {
		first = fmt.Sprintf("actions[%d] (errcode %d)", u.failed[0].Index, u.failed[0].Err.Code)
	}
	j := 0
	for _, idx := range u.indexes {
		if refused[idx] || idx < 0 || idx >= len(out) {
			continue
		}
		if j >= len(u.kept) {
			break
		}
		a, v := &u.kept[j], &out[idx]
		j++
		v.SetID, v.OuterActionID = a.SetID, a.OuterActionID
		switch {
		case rec.errcode != 0 && first != "":
			v.Verdict = wxads.VerdictRejected
			v.Explanation = "Not stored: the batch is atomic and " + first + " was refused. Fix it, or send partial_failure=true to store the valid actions."
			v.ExplainCN = "未存储：整批原子提交，" + first + " 被拒绝。修正它，或加 partial_failure=true 只存有效的行为。"
		case rec.errcode != 0:
			v.Verdict = wxads.VerdictRejected
			v.Explanation = fmt.Sprintf("Not stored: the request failed with errcode %d; retry it (outer_action_id makes a retry safe).", rec.errcode)
			v.ExplainCN = fmt.Sprintf("未存储：请求以错误码 %d 失败；请重试（带 outer_action_id 的重试不会重复计数）。", rec.errcode)
		case u.dryRun:
			v.Verdict = wxads.VerdictValid
			v.Explanation, v.ExplainCN = "Valid (validate_only: nothing stored).", "有效（validate_only：未存储）。"
		case a.Duplicate:
			v.Verdict = wxads.VerdictDuplicate
			v.Explanation = fmt.Sprintf("Data source %d already holds outer_action_id %q: answered as success, neither stored nor counted again.", a.SetID, a.OuterActionID)
			v.ExplainCN = fmt.Sprintf("数据源 %d 已有 outer_action_id %q：按成功应答，不再存储或计数。", a.SetID, a.OuterActionID)
		default:
			v.Verdict = wxads.VerdictStored
			in.facts(ctx, v, a, account)
		}
	}
	return out
}

// facts records, for a stored action, what its explanations are written
// from (explainStored writes them when the record is read), and sets the
// verdict's own fields: identified, and the ad credited. The look-ups run
// now, as the texts say what held when the action arrived: the app's owner
// (cached) for an unidentified action, the nearest ad event (within a
// budget) for an identified, unattributed one.
func (in *inspector) facts(ctx context.Context, v *wxads.ActionVerdict, a *wxads.Action, account int64) {
	f := &wxads.VerdictFacts{AppID: a.AppID, OpenID: a.OpenID, UnionID: a.UnionID(), IdentifiedBy: a.IdentifiedBy,
		FollowerOpenID: a.FollowerOpenID, Devices: deviceKinds(a), ClickID: a.ClickID,
		Follow: a.ClaimType == wxads.ClaimFollow, ActionTime: a.ActionTime}
	v.Identified, v.Facts = a.Identified, f
	kind := eventKind(f)
	if a.AttributedAdID != 0 {
		v.AdID, v.CampaignID, v.EventType, v.EventTime = a.AttributedAdID, a.AttributedCampaignID, kind, a.AttributedEventTime
	}
	switch {
	case !a.Identified && a.AppID != "":
		owner, err := in.owner(ctx, a.AppID)
		if err != nil {
			f.Owner = wxads.FactOwnUnknown
		} else if owner != account {
			f.Owner = wxads.FactOwnOther
		}
	case a.AttributedAdID == 0 && a.ByFollower():
		if !in.budget.take() {
			f.Nearest = wxads.FactNearBusy
			return
		}
		probe := wxads.AdEventProbe{AppID: a.AppID, Type: kind, OpenID: a.UserOpenID(), At: a.ActionTime}
		if kind == wxads.EventClick {
			probe.ClickID = a.ClickID
		}
		ev, err := in.store.NearestAdEvent(ctx, probe)
		switch {
		case errors.Is(err, wxads.ErrNotFound):
			f.Nearest = wxads.FactNearNone
		case err != nil:
			f.Nearest = wxads.FactNearFailed
		default:
			f.Nearest, f.NearestAdID, f.NearestTime = wxads.FactNearFound, ev.AdID, ev.Time
		}
	}
}

// eventKind is the ad event type an action's claim_type is attributed by.
func eventKind(f *wxads.VerdictFacts) string {
	if f.Follow {
		return wxads.EventFollow
	}
	return wxads.EventClick
}

// cst formats Unix seconds in the platform's zone.
func cst(t int64) string { return time.Unix(t, 0).In(wxads.CST).Format(wxads.TimeLayout) }

// span says a number of seconds the way a person would.
func span(s int64) string {
	switch {
	case s < 60:
		return fmt.Sprintf("%d s", s)
	case s < 3600:
		return fmt.Sprintf("%d min", s/60)
	case s < 86400:
		return fmt.Sprintf("%d h %d min", s/3600, s%3600/60)
	}
	return fmt.Sprintf("%d d %d h", s/86400, s%86400/3600)
}

// deviceKinds lists the kinds of the action's device ids ("hash_oaid,
// hash_imei"), "" when it has none.
func deviceKinds(a *wxads.Action) string {
	var kinds []string
	for _, u := range a.UserIDs {
		if wxads.IsDeviceIDKind(u.Kind) {
			kinds = append(kinds, u.Kind)
		}
	}
	return strings.Join(kinds, ", ")
}
