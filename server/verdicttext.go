package server

import (
	"fmt"

	"github.com/wxads/wxads"
)

// explainStored writes the explanations of a record's stored actions from
// the facts the inspector kept (verdict.go), when the record is read, and
// drops the facts. Records written before facts existed carry their text
// and no facts: they are left as they are.
func explainStored(recs []wxads.RequestRecord) {
	for i := range recs {
		for j := range recs[i].Actions {
			v := &recs[i].Actions[j]
			if f := v.Facts; f != nil {
				identificationText(v, f)
				attributionText(v, f)
				v.Facts = nil
			}
		}
	}
}

func identificationText(v *wxads.ActionVerdict, f *wxads.VerdictFacts) {
	if f.ByFollower(v.Identified) && f.IdentifiedBy != "" {
		// By its unionid (SPEC §11): the follower holding it is the user.
		u := wxads.ParseUserID(f.IdentifiedBy)
		who, whoCN := "", ""
		if f.FollowerOpenID != "" {
			who, whoCN = " (openid "+f.FollowerOpenID+")", "（openid "+f.FollowerOpenID+"）"
		}
		v.Identification = fmt.Sprintf("Identified by wechat_unionid %s, a follower of %s%s: attributed and counted as that follower.", u.Value, f.AppID, who)
		v.IdentificationCN = fmt.Sprintf("已识别：wechat_unionid %s 是 %s 的粉丝%s，按该粉丝归因和计数。", u.Value, f.AppID, whoCN)
		return
	}
	if v.Identified && f.IdentifiedBy != "" {
		u := wxads.ParseUserID(f.IdentifiedBy)
		v.Identification = fmt.Sprintf("Identified by %s %s matching an ad event of this advertiser.", u.Kind, u.Value)
		v.IdentificationCN = fmt.Sprintf("已识别：%s %s 与本广告主的广告事件匹配。", u.Kind, u.Value)
		return
	}
	if v.Identified {
		v.Identification = fmt.Sprintf("openid %s is a follower of %s.", f.OpenID, f.AppID)
		v.IdentificationCN = fmt.Sprintf("openid %s 是 %s 的粉丝。", f.OpenID, f.AppID)
		return
	}
	devices := f.Devices
	if f.AppID == "" {
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
	switch f.Owner {
	case wxads.FactOwnUnknown:
		v.Identification = "Not identified (the reason could not be looked up)."
		v.IdentificationCN = "未识别（原因查询失败）。"
		return
	case wxads.FactOwnOther:
		v.Identification = fmt.Sprintf("Not identified: wechat_app_id %s belongs to no app of this advertiser (stored, but only this advertiser's own apps identify).", f.AppID)
		v.IdentificationCN = fmt.Sprintf("未识别：wechat_app_id %s 不是本广告主的公众号（已存储，但只有本广告主自己的公众号能识别用户）。", f.AppID)
		return
	}
	if u := f.UnionID; u != "" {
		// A unionid identifies once the platform knows a follower holding it.
		of, ofCN := "", ""
		if f.OpenID != "" {
			of, ofCN = fmt.Sprintf("openid %s nor ", f.OpenID), fmt.Sprintf("openid %s 和", f.OpenID)
		}
		v.Identification = fmt.Sprintf("Not identified: neither %swechat_unionid %s was a follower of %s when the action arrived (a unionid identifies only when a follower of this app holds it: POST /admin/v1/apps/%s/followers with followers[].unionid).", of, u, f.AppID, f.AppID)
		v.IdentificationCN = fmt.Sprintf("未识别：行为到达时 %swechat_unionid %s 都不是 %s 的粉丝（只有本公众号某个粉丝持有的 unionid 才能识别：POST /admin/v1/apps/%s/followers，带 followers[].unionid）。", ofCN, u, f.AppID, f.AppID)
		return
	}
	v.Identification = fmt.Sprintf("Not identified: openid %s was not a follower of %s when the action arrived.", f.OpenID, f.AppID)
	v.IdentificationCN = fmt.Sprintf("未识别：行为到达时 openid %s 不是 %s 的粉丝。", f.OpenID, f.AppID)
	if en, cn := explainOpenID(f.OpenID); en != "" {
		v.Identification += " " + en
		v.IdentificationCN += cn
	} else {
		v.Identification += " An openid is per app: check it was issued for this app (not another official account or a mini program)."
		v.IdentificationCN += "openid 因公众号而异：请确认它是这个公众号下发的（不是别的公众号或小程序的）。"
	}
}

func attributionText(v *wxads.ActionVerdict, f *wxads.VerdictFacts) {
	kind := eventKind(f)
	switch {
	case v.AdID != 0:
		v.Attribution = fmt.Sprintf("Attributed to ad %d (campaign %d): the %s at %s, %s before action_time.",
			v.AdID, v.CampaignID, kind, cst(v.EventTime), span(f.ActionTime-v.EventTime))
		v.AttributionCN = fmt.Sprintf("归因到广告 %d（计划 %d）：%s 于 %s，早于 action_time %s。",
			v.AdID, v.CampaignID, kind, cst(v.EventTime), span(f.ActionTime-v.EventTime))
		return
	case !v.Identified:
		v.Attribution, v.AttributionCN = "Not attributed: only identified actions are.", "未归因：只有已识别的行为才归因。"
		return
	case !f.ByFollower(v.Identified):
		// Identified by a device id: the look-ups ran among all the
		// advertiser's apps; say what was looked for.
		u := wxads.ParseUserID(f.IdentifiedBy)
		if kind == wxads.EventClick && f.ClickID != "" {
			v.Attribution = fmt.Sprintf("Not attributed: no CLICK with click_id %s on this advertiser's apps within the attribution window before action_time.", f.ClickID)
			v.AttributionCN = fmt.Sprintf("未归因：本广告主的公众号在 action_time 前的归因窗口内没有 click_id 为 %s 的 CLICK。", f.ClickID)
			return
		}
		v.Attribution = fmt.Sprintf("Not attributed: no %s carrying %s %s on this advertiser's apps within the attribution window before action_time.", kind, u.Kind, u.Value)
		v.AttributionCN = fmt.Sprintf("未归因：本广告主的公众号在 action_time 前的归因窗口内没有带 %s %s 的 %s。", u.Kind, u.Value, kind)
		return
	case f.Nearest == wxads.FactNearBusy:
		v.Attribution = "Not attributed: no " + kind + " within the attribution window (details not looked up: the inspector was busy)."
		v.AttributionCN = "未归因：归因窗口内没有 " + kind + "（检查器繁忙，未查询细节）。"
		return
	}
	who, whoCN := "openid "+f.UserOpenID(), "openid "+f.UserOpenID() // a unionid's follower's
	byClick := kind == wxads.EventClick && f.ClickID != ""
	if byClick {
		who, whoCN = "click_id "+f.ClickID, "click_id "+f.ClickID
	}
	ev := wxads.AdEvent{AdID: f.NearestAdID, Time: f.NearestTime}
	switch {
	case f.Nearest == wxads.FactNearNone:
		v.Attribution = fmt.Sprintf("Not attributed: no %s of %s on %s.", kind, who, f.AppID)
		v.AttributionCN = fmt.Sprintf("未归因：%s 在 %s 上没有 %s。", whoCN, f.AppID, kind)
		if !byClick && kind == wxads.EventClick {
			v.Attribution += " Send trace.click_id from the ad's landing URL, or claim_type 1 for follow attribution."
			v.AttributionCN += "请回传广告落地页 URL 中的 trace.click_id，或用 claim_type 1 按关注归因。"
		}
	case f.Nearest != wxads.FactNearFound:
		v.Attribution, v.AttributionCN = "Not attributed (the reason could not be looked up).", "未归因（原因查询失败）。"
	case ev.Time > f.ActionTime:
		v.Attribution = fmt.Sprintf("Not attributed: the %s of %s (ad %d) is at %s, %s after action_time %s; an ad event must come first.",
			kind, who, ev.AdID, cst(ev.Time), span(ev.Time-f.ActionTime), cst(f.ActionTime))
		v.AttributionCN = fmt.Sprintf("未归因：%s 的 %s（广告 %d）在 %s，晚于 action_time %s %s；广告事件必须在前。",
			whoCN, kind, ev.AdID, cst(ev.Time), cst(f.ActionTime), span(ev.Time-f.ActionTime))
	default:
		v.Attribution = fmt.Sprintf("Not attributed: the latest %s of %s (ad %d) is at %s, %s before action_time: outside the attribution window.",
			kind, who, ev.AdID, cst(ev.Time), span(f.ActionTime-ev.Time))
		v.AttributionCN = fmt.Sprintf("未归因：%s 最近的 %s（广告 %d）在 %s，早于 action_time %s，超出归因窗口。",
			whoCN, kind, ev.AdID, cst(ev.Time), span(f.ActionTime-ev.Time))
	}
}
