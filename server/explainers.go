package server

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/wxads/wxads"
)

// Explainers say, from the value a caller sent, what the errcode alone
// cannot: the common mistakes (milliseconds for seconds, UTF-8 byte lengths
// of Chinese text, yuan with decimals for fen, a url without scheme, a
// string that is not an openid). Each returns English and Chinese, or "".

// byteLimits are the byte-length limits of string fields, by member name.
var byteLimits = map[string]int{
	"name": 32, "description": 128, "custom_action": 64, "url": 2048, "click_id": 64,
	"outer_action_id": 255, "wechat_app_id": 64, "wechat_openid": 64,
}

// explainValue explains err from the value at its parameter path in doc.
func explainValue(err *wxads.Error, doc any, now int64) (en, cn string) {
	if err == nil || err.Param == "" {
		return "", ""
	}
	v := valueAt(doc, err.Param)
	field := err.Param[strings.LastIndexByte(err.Param, '.')+1:]
	if i := strings.IndexByte(field, '['); i >= 0 {
		field = field[:i]
	}
	num, isNum := v.(json.Number)
	str, isStr := v.(string)
	switch {
	case field == "action_time" && isNum:
		return explainActionTime(err.Code, num, now)
	case field == "action_time" && isStr:
		return fmt.Sprintf("action_time is the string %q; send an integer number of Unix seconds, without quotes.", str),
			fmt.Sprintf("action_time 是字符串 %q；请传不带引号的整数 Unix 秒。", str)
	case field == "value" && isNum && err.Code == wxads.CodeWrongType:
		return explainYuan(num)
	case field == "value" && isStr:
		return fmt.Sprintf("value is the string %q; send an integer number of fen (分), without quotes.", str),
			fmt.Sprintf("value 是字符串 %q；请传不带引号的整数，单位为分。", str)
	case field == "value" && err.Code == wxads.CodeTooSmall:
		return fmt.Sprintf("value %s is negative; send 0 or more fen.", v), fmt.Sprintf("value %s 为负数；请传 0 或以上（单位：分）。", v)
	case field == "url" && isStr && err.Code == wxads.CodeBadFormat:
		return explainURL(str)
	case field == "outer_action_id" && isStr && err.Code == wxads.CodeBadChars:
		for _, c := range str {
			if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_') {
				return fmt.Sprintf("outer_action_id %q contains %q; only letters, digits and _ are allowed (e.g. replace - with _).", str, c),
					fmt.Sprintf("outer_action_id %q 含有 %q；只允许字母、数字和下划线（如把 - 换成 _）。", str, c)
			}
		}
	case field == "wechat_openid" && isStr:
		return explainOpenID(str)
	case field == "claim_type" && err.Code == wxads.CodeNotInEnum:
		return fmt.Sprintf("claim_type %v: send 0 (click attribution) or 1 (follow attribution).", jsonText(v)),
			fmt.Sprintf("claim_type %v：请传 0（点击归因）或 1（关注归因）。", jsonText(v))
	case field == "action_type" && isStr && err.Code == wxads.CodeNotInEnum && strings.ToUpper(str) != str:
		return fmt.Sprintf("action_type %q: the values are upper-case, e.g. %q.", str, strings.ToUpper(str)),
			fmt.Sprintf("action_type %q：取值为大写，如 %q。", str, strings.ToUpper(str))
	case field == "user_action_set_id" && err.Code == wxads.CodeNotAccessible:
		return fmt.Sprintf("user_action_set_id %s is not a data source of this advertiser: list yours with GET /marketing/user_action_sets/get, or create one with user_action_sets/add.", jsonText(v)),
			fmt.Sprintf("user_action_set_id %s 不是本广告主的数据源：用 user_action_sets/get 查看已有数据源，或用 user_action_sets/add 创建。", jsonText(v))
	case field == "actions" && err.Code == wxads.CodeTooMany:
		if list, ok := v.([]any); ok {
			return fmt.Sprintf("%d actions in one request; at most 50: split the upload into batches of 50.", len(list)),
				fmt.Sprintf("一次请求 %d 个行为；最多 50 个：请按 50 个一批拆分上传。", len(list))
		}
	case isStr && err.Code == wxads.CodeTooLong:
		return explainBytes(field, str)
	}
	return "", ""
}

func explainActionTime(code int, num json.Number, now int64) (en, cn string) {
	t, err := num.Int64()
	if err != nil {
		return fmt.Sprintf("action_time %s is not a whole number; send integer Unix seconds.", num),
			fmt.Sprintf("action_time %s 不是整数；请传整数 Unix 秒。", num)
	}
	switch {
	case t > 1e11:
		return fmt.Sprintf("action_time %d looks like milliseconds (%s GMT+8); send Unix seconds: %d.", t, cst(t/1000), t/1000),
			fmt.Sprintf("action_time %d 看起来是毫秒（%s）；请传 Unix 秒：%d。", t, cst(t/1000), t/1000)
	case code == wxads.CodeTooBig:
		return fmt.Sprintf("action_time %d is %s GMT+8, %s ahead of the platform's clock (%s); at most 10 s ahead is accepted: check the sender's clock, and that it sends Unix seconds, not local time.",
				t, cst(t), span(t-now), cst(now)),
			fmt.Sprintf("action_time %d 是 %s，比平台时钟（%s）快 %s；最多允许快 10 秒：请检查发送方时钟，且传的是 Unix 秒而非本地时间。",
				t, cst(t), cst(now), span(t-now))
	case code == wxads.CodeTooSmall:
		return fmt.Sprintf("action_time %d is %s GMT+8, %s before now; actions older than 30 days are refused.", t, cst(t), span(now-t)),
			fmt.Sprintf("action_time %d 是 %s，早于现在 %s；超过 30 天的行为会被拒绝。", t, cst(t), span(now-t))
	}
	return "", ""
}

// explainYuan explains a value sent with decimals: most likely yuan.
func explainYuan(num json.Number) (en, cn string) {
	s := num.String()
	if !strings.ContainsAny(s, ".eE") {
		return "", ""
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return "", ""
	}
	fen := int64(f*100 + 0.5)
	return fmt.Sprintf("value %s has decimals: value is an integer number of fen (分), not yuan; %s yuan is %d.", s, s, fen),
		fmt.Sprintf("value %s 带小数：value 的单位是分（整数），不是元；%s 元应传 %d。", s, s, fen)
}

func explainURL(u string) (en, cn string) {
	if scheme, _, ok := strings.Cut(u, "://"); ok {
		return fmt.Sprintf("url scheme %q is not http or https; send an absolute http(s) URL.", scheme),
			fmt.Sprintf("url 的协议 %q 不是 http 或 https；请传完整的 http(s) 地址。", scheme)
	}
	fixed := "https://" + strings.TrimLeft(u, "/")
	return fmt.Sprintf("url %q has no scheme; send an absolute URL such as %q.", u, fixed),
		fmt.Sprintf("url %q 缺少协议；请传完整地址，如 %q。", u, fixed)
}

// explainOpenID says why a string does not look like an openid (SPEC §4:
// 28 characters of [A-Za-z0-9_-] starting with o), "" when it does.
func explainOpenID(s string) (en, cn string) {
	ok := len(s) == 28 && s[0] == 'o'
	for _, c := range s {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-') {
			ok = false
		}
	}
	if ok {
		return "", ""
	}
	return fmt.Sprintf("%q does not look like an openid (28 characters of [A-Za-z0-9_-], starting with o): is it a unionid, a phone number or your own user id?", s),
		fmt.Sprintf("%q 不像 openid（28 个 [A-Za-z0-9_-] 字符，以 o 开头）：是不是 unionid、手机号或自己的用户 ID？", s)
}

// explainBytes explains a length limit counted in UTF-8 bytes.
func explainBytes(field, s string) (en, cn string) {
	limit, known := byteLimits[field]
	wide := 0
	for _, c := range s {
		if c >= 0x2E80 {
			wide++
		}
	}
	most, mostCN := "", ""
	if known {
		most, mostCN = fmt.Sprintf(", at most %d", limit), fmt.Sprintf("，最多 %d 字节", limit)
	}
	if wide > 0 {
		return fmt.Sprintf("%s is %d bytes: %d Chinese characters are %d bytes in UTF-8 (3 each)%s.", field, len(s), wide, 3*wide, most),
			fmt.Sprintf("%s 为 %d 字节：%d 个汉字按 UTF-8 占 %d 字节（每个 3 字节）%s。", field, len(s), wide, 3*wide, mostCN)
	}
	return fmt.Sprintf("%s is %d bytes (%d characters)%s.", field, len(s), utf8.RuneCountInString(s), most),
		fmt.Sprintf("%s 为 %d 字节（%d 个字符）%s。", field, len(s), utf8.RuneCountInString(s), mostCN)
}

// explainRequest explains a refused request from its body as a whole, or
// from the value its error names.
func explainRequest(rec *record, doc any, now int64) (en, cn string) {
	if rec.errcode == wxads.CodeBadJSON && len(rec.body) > 0 {
		b := strings.TrimSpace(string(rec.body[:min(len(rec.body), 64)]))
		switch {
		case strings.HasPrefix(b, "["):
			return "The body is a JSON array; send an object, e.g. {\"actions\":[…]}.", "请求体是 JSON 数组；请传对象，如 {\"actions\":[…]}。"
		case strings.HasPrefix(b, "null"):
			return "The body is JSON null; send an object.", "请求体是 JSON null；请传对象。"
		case strings.Contains(b, "=") && !strings.HasPrefix(b, "{"):
			return "The body looks form-encoded (key=value); send JSON with Content-Type: application/json.",
				"请求体像表单编码（key=value）；请用 JSON 并设置 Content-Type: application/json。"
		case !utf8.Valid(rec.body):
			return "The body is not valid UTF-8 (GBK?); encode JSON as UTF-8.", "请求体不是合法 UTF-8（GBK？）；请用 UTF-8 编码 JSON。"
		}
		return "", ""
	}
	return explainValue(&wxads.Error{Code: rec.errcode, Param: rec.errParam}, doc, now)
}

// valueAt returns the JSON value at a parameter path such as
// actions[3].user_id.wechat_openid, nil when there is none.
func valueAt(doc any, path string) any {
	v := doc
	for part := range strings.SplitSeq(path, ".") {
		name, rest, _ := strings.Cut(part, "[")
		if m, ok := v.(map[string]any); ok && name != "" {
			v = m[name]
		} else if name != "" {
			return nil
		}
		for rest != "" {
			idx, after, _ := strings.Cut(rest, "]")
			i, err := strconv.Atoi(idx)
			list, ok := v.([]any)
			if err != nil || !ok || i < 0 || i >= len(list) {
				return nil
			}
			v = list[i]
			rest = strings.TrimPrefix(after, "[")
		}
	}
	return v
}

// idAt reads an id sent as a number or a string of digits; 0 when neither.
func idAt(doc any, path string) int64 {
	var s string
	switch v := valueAt(doc, path).(type) {
	case json.Number:
		s = v.String()
	case string:
		s = v
	}
	id, err := parseID(s)
	if err != nil {
		return 0
	}
	return id
}

func jsonText(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}
