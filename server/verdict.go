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
// attributed (the nearest ad event, within a budget).
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
			in.identification(ctx, v, a, account)
			in.attribution(ctx, v, a)
		}
	}
	return out
}

func (in *inspector) identification(ctx context.Context, v *wxads.ActionVerdict, a *wxads.Action, account int64) {
	v.Identified = a.Identified
	if a.Identified && a.ByFollower() && a.IdentifiedBy != "" {
		// By its unionid (SPEC §11): the follower holding it is the user.
		u := wxads.ParseUserID(a.IdentifiedBy)
		who, whoCN := "", ""
		if a.FollowerOpenID != "" {
			who, whoCN = " (openid "+a.FollowerOpenID+")", "（openid "+a.FollowerOpenID+"）"
		}
		v.Identification = fmt.Sprintf("Identified by wechat_unionid %s, a follower of %s%s: attributed and counted as that follower.", u.Value, a.AppID, who)
		v.IdentificationCN = fmt.Sprintf("已识别：wechat_unionid %s 是 %s 的粉丝%s，按该粉丝归因和计数。", u.Value, a.AppID, whoCN)
		return
	}
	if a.Identified && a.IdentifiedBy != "" {
		u := wxads.ParseUserID(a.IdentifiedBy)
		v.Identification = fmt.Sprintf("Identified by %s %s matching an ad event of this advertiser.", u.Kind, u.Value)
		v.IdentificationCN = fmt.Sprintf("已识别：%s %s 与本广告主的广告事件匹配。", u.Kind, u.Value)
		return
	}
	if a.Identified {
		v.Identification = fmt.Sprintf("openid %s is a follower of %s.", a.OpenID, a.AppID)
		v.IdentificationCN = fmt.Sprintf("openid %s 是 %s 的粉丝。", a.OpenID, a.AppID)
		return
	}
	devices := deviceKinds(a)
	if a.AppID == "" {
		if devices == "" {
			v.Identification = "Not identified: the action carries neither a wechat_app_id with an openid or unionid nor a device id (a unionid without its wechat_app_id, caid_version or click_id alone identifies nobody)."
			v.IdentificationCN = "未识别：行为既没有 wechat_app_id 加 openid 或 unionid，也没有设备 ID（没有 wechat_app_id 的 unionid、仅有 caid_version 或 click_id 不能识别用户）。"
			return
		}
		v.Identification = fmt.Sprintf("Not identified: no ad event of this advertiser carries its %s (a device id matches only an event's id of the same kind and value; another advertiser's events never match).", devices)
		v.IdentificationCN = fmt.Sprintf("未识别：本广告主的广告事件中没有它的 %s（设备 ID 只与同类型、同值的事件 ID 匹配；其他广告主的事件不算）。", devices)
		return
	}
	defer func() {
		if devices != "" {
			v.Identification += fmt.Sprintf(" Nor does any ad event of this advertiser carry its %s.", devices)
			v.IdentificationCN += fmt.Sprintf("本广告主的广告事件中也没有它的 %s。", devices)
		}
	}()
	owner, err := in.owner(ctx, a.AppID)
	if err != nil {
		v.Identification = "Not identified (the reason could not be looked up)."
		v.IdentificationCN = "未识别（原因查询失败）。"
		return
	}
	if owner != account {
		v.Identification = fmt.Sprintf("Not identified: wechat_app_id %s belongs to no app of this advertiser (stored, but only this advertiser's own apps identify).", a.AppID)
		v.IdentificationCN = fmt.Sprintf("未识别：wechat_app_id %s 不是本广告主的公众号（已存储，但只有本广告主自己的公众号能识别用户）。", a.AppID)
		return
	}
	if u := a.UnionID(); u != "" {
		// A unionid identifies once the platform knows a follower holding it.
		of, ofCN := "", ""
		if a.OpenID != "" {
			of, ofCN = fmt.Sprintf("openid %s nor ", a.OpenID), fmt.Sprintf("openid %s 和", a.OpenID)
		}
		v.Identification = fmt.Sprintf("Not identified: neither %swechat_unionid %s was a follower of %s when the action arrived (a unionid identifies only when a follower of this app holds it: POST /admin/v1/apps/%s/followers with followers[].unionid).", of, u, a.AppID, a.AppID)
		v.IdentificationCN = fmt.Sprintf("未识别：行为到达时 %swechat_unionid %s 都不是 %s 的粉丝（只有本公众号某个粉丝持有的 unionid 才能识别：POST /admin/v1/apps/%s/followers，带 followers[].unionid）。", ofCN, u, a.AppID, a.AppID)
		return
	}
	v.Identification = fmt.Sprintf("Not identified: openid %s was not a follower of %s when the action arrived.", a.OpenID, a.AppID)
	v.IdentificationCN = fmt.Sprintf("未识别：行为到达时 openid %s 不是 %s 的粉丝。", a.OpenID, a.AppID)
	if en, cn := explainOpenID(a.OpenID); en != "" {
		v.Identification += " " + en
		v.IdentificationCN += cn
	} else {
		v.Identification += " An openid is per app: check it was issued for this app (not another official account or a mini program)."
		v.IdentificationCN += "openid 因公众号而异：请确认它是这个公众号下发的（不是别的公众号或小程序的）。"
	}
}

func (in *inspector) attribution(ctx context.Context, v *wxads.ActionVerdict, a *wxads.Action) {
	kind := wxads.EventClick
	if a.ClaimType == wxads.ClaimFollow {
		kind = wxads.EventFollow
	}
	switch {
	case a.AttributedAdID != 0:
		v.AdID, v.CampaignID, v.EventType, v.EventTime = a.AttributedAdID, a.AttributedCampaignID, kind, a.AttributedEventTime
		v.Attribution = fmt.Sprintf("Attributed to ad %d (campaign %d): the %s at %s, %s before action_time.",
			a.AttributedAdID, a.AttributedCampaignID, kind, cst(a.AttributedEventTime), span(a.ActionTime-a.AttributedEventTime))
		v.AttributionCN = fmt.Sprintf("归因到广告 %d（计划 %d）：%s 于 %s，早于 action_time %s。",
			a.AttributedAdID, a.AttributedCampaignID, kind, cst(a.AttributedEventTime), span(a.ActionTime-a.AttributedEventTime))
		return
	case !a.Identified:
		v.Attribution, v.AttributionCN = "Not attributed: only identified actions are.", "未归因：只有已识别的行为才归因。"
		return
	case !a.ByFollower():
		// Identified by a device id: the look-ups ran among all the
		// advertiser's apps; say what was looked for.
		u := wxads.ParseUserID(a.IdentifiedBy)
		if kind == wxads.EventClick && a.ClickID != "" {
			v.Attribution = fmt.Sprintf("Not attributed: no CLICK with click_id %s on this advertiser's apps within the attribution window before action_time.", a.ClickID)
			v.AttributionCN = fmt.Sprintf("未归因：本广告主的公众号在 action_time 前的归因窗口内没有 click_id 为 %s 的 CLICK。", a.ClickID)
			return
		}
		v.Attribution = fmt.Sprintf("Not attributed: no %s carrying %s %s on this advertiser's apps within the attribution window before action_time.", kind, u.Kind, u.Value)
		v.AttributionCN = fmt.Sprintf("未归因：本广告主的公众号在 action_time 前的归因窗口内没有带 %s %s 的 %s。", u.Kind, u.Value, kind)
		return
	case !in.budget.take():
		v.Attribution = "Not attributed: no " + kind + " within the attribution window (details not looked up: the inspector was busy)."
		v.AttributionCN = "未归因：归因窗口内没有 " + kind + "（检查器繁忙，未查询细节）。"
		return
	}
	probe := wxads.AdEventProbe{AppID: a.AppID, Type: kind, OpenID: a.UserOpenID(), At: a.ActionTime}
	who, whoCN := "openid "+a.UserOpenID(), "openid "+a.UserOpenID() // a unionid's follower's
	if kind == wxads.EventClick && a.ClickID != "" {
		probe.ClickID = a.ClickID
		who, whoCN = "click_id "+a.ClickID, "click_id "+a.ClickID
	}
	ev, err := in.store.NearestAdEvent(ctx, probe)
	switch {
	case errors.Is(err, wxads.ErrNotFound):
		v.Attribution = fmt.Sprintf("Not attributed: no %s of %s on %s.", kind, who, a.AppID)
		v.AttributionCN = fmt.Sprintf("未归因：%s 在 %s 上没有 %s。", whoCN, a.AppID, kind)
		if probe.ClickID == "" && kind == wxads.EventClick {
			v.Attribution += " Send trace.click_id from the ad's landing URL, or claim_type 1 for follow attribution."
			v.AttributionCN += "请回传广告落地页 URL 中的 trace.click_id，或用 claim_type 1 按关注归因。"
		}
	case err != nil:
		v.Attribution, v.AttributionCN = "Not attributed (the reason could not be looked up).", "未归因（原因查询失败）。"
	case ev.Time > a.ActionTime:
		v.Attribution = fmt.Sprintf("Not attributed: the %s of %s (ad %d) is at %s, %s after action_time %s; an ad event must come first.",
			kind, who, ev.AdID, cst(ev.Time), span(ev.Time-a.ActionTime), cst(a.ActionTime))
		v.AttributionCN = fmt.Sprintf("未归因：%s 的 %s（广告 %d）在 %s，晚于 action_time %s %s；广告事件必须在前。",
			whoCN, kind, ev.AdID, cst(ev.Time), cst(a.ActionTime), span(ev.Time-a.ActionTime))
	default:
		v.Attribution = fmt.Sprintf("Not attributed: the latest %s of %s (ad %d) is at %s, %s before action_time: outside the attribution window.",
			kind, who, ev.AdID, cst(ev.Time), span(a.ActionTime-ev.Time))
		v.AttributionCN = fmt.Sprintf("未归因：%s 最近的 %s（广告 %d）在 %s，早于 action_time %s，超出归因窗口。",
			whoCN, kind, ev.AdID, cst(ev.Time), span(a.ActionTime-ev.Time))
	}
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
