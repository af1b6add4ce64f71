package ingest

import (
	"strings"

	"github.com/wxads/wxads"
)

// Shape is the API an upload body follows. The WeChat user_actions/add and
// the Tencent v3.0 one share every rule of §6.3 (typing, limits, dedup key,
// action_param normalization); they differ only in what a Shape holds, so
// one decoder serves both (docs/ARCHITECTURE.md, "v3.0").
type Shape struct {
	actionTypes []string
	typeHint    string // the enum as an error message lists it
	maxCustom   int
	maxOpenID   int
	required    [numFields]bool
	// v3: user_action_set_id is at the top of the body, not in each action;
	// user_id has the v3.0 kinds; action_param needs no source or
	// claim_type; an action needs some user id or a click id.
	v3 bool
}

// WeChat is the shape of POST /marketing/user_actions/add (SPEC §6.3).
var WeChat = &Shape{
	actionTypes: actionTypes,
	typeHint:    strings.Join(actionTypes, ", "),
	maxCustom:   maxCustomBytes,
	maxOpenID:   maxOpenIDBytes,
	required:    required,
}

// V3 is the shape of POST /v3.0/user_actions/add (SPEC §11).
var V3 = &Shape{
	actionTypes: V3ActionTypes,
	typeHint:    "COMPLETE_ORDER, REGISTER, PURCHASE, … (the v3.0 ActionType enum, " + "see docs/v3.md)",
	maxCustom:   128,
	maxOpenID:   64,
	required:    [numFields]bool{fTime: true, fType: true},
	v3:          true,
}

// DecodeShape is Decode for the API shape sh. For V3 the actions' SetID is
// left 0: the caller fills in the body's top-level user_action_set_id.
func DecodeShape(body []byte, now int64, sh *Shape) (Batch, error) {
	d := decoder{s: scanner{data: body, text: string(body)}}
	d.action.s = &d.s
	d.action.now = now
	d.action.shape = sh
	b, err := d.body()
	if err != nil {
		return Batch{}, err
	}
	return b, nil
}

// IDKinds tells which user ids a v3.0 action carried (Batch.Kinds).
type IDKinds uint16

const (
	KindWechatAppID IDKinds = 1 << iota
	KindOpenID
	KindUnionID
	KindDevice // a hashed device id or phone, or a caid
)

// v3IDFormats are the v3.0 user_id kinds and their formats: hexLen > 0 is
// exactly that many hex digits, else a string of 1–max bytes.
var v3IDFormats = map[string]struct {
	hexLen, max int
	kind        IDKinds
}{
	"hash_imei": {32, 0, KindDevice}, "hash_idfa": {32, 0, KindDevice},
	"hash_android_id": {32, 0, KindDevice}, "hash_oaid": {32, 0, KindDevice},
	"hash_phone": {32, 0, KindDevice}, "sha256_phone": {64, 0, KindDevice},
	"md5_sha256_imei": {64, 0, KindDevice}, "md5_sha256_idfa": {64, 0, KindDevice},
	"md5_sha256_oaid": {64, 0, KindDevice},
	"wechat_openid":   {0, 64, KindOpenID}, "wechat_unionid": {0, 64, KindUnionID},
	"wechat_app_id": {0, maxAppIDBytes, KindWechatAppID},
	"caid":          {0, 64, KindDevice}, "caid_version": {0, 32, 0},
}

// v3UserID reads one member of a v3.0 user_id. A member's problem is
// reported as user_id.<member>; the first one sent wins.
func (d *actionDecoder) v3UserID(key []byte) {
	f, ok := v3IDFormats[string(key)]
	if !ok {
		d.s.skip()
		return
	}
	name := string(key)
	fail := func(code int, values ...string) {
		if d.errs[fUserKind] == nil {
			d.set(fUserKind, wxads.Errorf(code, "user_id."+name, values...))
		}
	}
	var v string
	switch d.s.peek() {
	case '"':
		v = d.s.strText()
	case 'n':
		d.s.literal("null")
		return
	case '-', '0', '1', '2', '3', '4', '5', '6', '7', '8', '9':
		// caid_version is a version number ("20230330"): clients send it
		// as a string or as a JSON integer; it is kept as its decimal text.
		text, isInt := d.s.number()
		if name != "caid_version" || !isInt || text[0] == '-' {
			fail(wxads.CodeWrongType, "string")
			return
		}
		v = string(text)
	default:
		d.s.skip()
		fail(wxads.CodeWrongType, "string")
		return
	}
	v, code, _ := UserIDValue(name, v)
	if code != 0 {
		fail(code)
		return
	}
	d.kinds |= f.kind
	switch f.kind {
	case KindOpenID:
		d.a.OpenID = v
	case KindWechatAppID:
		d.a.AppID = v
	default:
		d.keepUserID(wxads.UserID{Kind: name, Value: v})
	}
}

// UserIDValue checks v as the v3.0 user_id member kind and returns it
// normalized (hex lower-cased, so that equal ids match exactly), or the
// error code: 31001 empty, 18005 not the hex digits the kind needs, 18007
// too long. known is false for a kind the v3.0 user_id does not have.
// POST /admin/v1/ad_events checks its events' device ids with it.
func UserIDValue(kind, v string) (norm string, code int, known bool) {
	f, ok := v3IDFormats[kind]
	switch {
	case !ok:
		return "", 0, false
	case v == "":
		return "", wxads.CodeEmptyString, true
	case f.hexLen > 0 && (len(v) != f.hexLen || !isHex(v)):
		return "", wxads.CodeBadFormat, true
	case f.hexLen == 0 && len(v) > f.max:
		return "", wxads.CodeTooLong, true
	case f.hexLen > 0:
		return strings.ToLower(v), 0, true
	}
	return v, 0, true
}

// keepUserID adds u to the action's ids in wxads.UserIDKinds order; a
// repeated member replaces the earlier one, as in encoding/json.
func (d *actionDecoder) keepUserID(u wxads.UserID) {
	ids := d.a.UserIDs
	rank := wxads.UserIDRank(u.Kind)
	i := 0
	for i < len(ids) && wxads.UserIDRank(ids[i].Kind) < rank {
		i++
	}
	if i < len(ids) && ids[i].Kind == u.Kind {
		ids[i] = u
		return
	}
	d.a.UserIDs = append(ids[:i], append([]wxads.UserID{u}, ids[i:]...)...)
}

func isHex(v string) bool {
	for _, c := range []byte(v) {
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F') {
			return false
		}
	}
	return true
}

// v3Finish applies the v3.0 rules that span fields, after the per-field
// ones: some user id or a click id.
func (d *actionDecoder) v3Finish() *wxads.Error {
	if d.a.Param == nil {
		d.a.Param = []byte("{}")
	}
	if d.kinds == 0 && d.a.ClickID == "" {
		return wxads.Errorf(wxads.CodeRequired, "user_id")
	}
	return nil
}
