package wxads

import (
	"bytes"
	"encoding/json"
	"errors"
	"strings"
)

// UserID is one user id of a v3.0 action or ad event other than the WeChat
// app and openid (SPEC §11): a unionid, a hashed device or phone id, a caid
// or its version. Hex values are lower-case, so equal ids compare equal.
type UserID struct {
	Kind  string
	Value string
}

// String is the id as a report's user key: "hash_oaid:0123…".
func (u UserID) String() string { return u.Kind + ":" + u.Value }

// ParseUserID reads UserID.String's form back.
func ParseUserID(s string) UserID {
	kind, value, _ := strings.Cut(s, ":")
	return UserID{Kind: kind, Value: value}
}

// UserIDKinds are the kinds of UserID in the order they are kept: an
// action's ids are sorted by it, so the same ids are stored the same way
// whatever order they were sent in, and the first of them that matches an
// ad event is the one that identifies.
var UserIDKinds = []string{
	"wechat_unionid", "hash_imei", "hash_idfa", "hash_android_id", "hash_oaid", "hash_phone",
	"sha256_phone", "md5_sha256_imei", "md5_sha256_idfa", "md5_sha256_oaid", "caid", "caid_version",
}

// DeviceIDKinds are the kinds an ad event may carry and that identify a
// v3.0 action by matching one (SPEC §11): hashed device and phone ids and
// the caid. A unionid is a WeChat id and caid_version no id at all.
var DeviceIDKinds = []string{
	"hash_imei", "hash_idfa", "hash_android_id", "hash_oaid", "hash_phone",
	"sha256_phone", "md5_sha256_imei", "md5_sha256_idfa", "md5_sha256_oaid", "caid",
}

// IsDeviceIDKind reports whether kind is one of DeviceIDKinds.
func IsDeviceIDKind(kind string) bool {
	for _, k := range DeviceIDKinds {
		if k == kind {
			return true
		}
	}
	return false
}

// UserIDRank is kind's place in UserIDKinds, len(UserIDKinds) if none.
func UserIDRank(kind string) int {
	for i, k := range UserIDKinds {
		if k == kind {
			return i
		}
	}
	return len(UserIDKinds)
}

// EncodeUserIDs is how stores keep a list of ids: a JSON object of kind →
// value in the list's order, "" for none.
func EncodeUserIDs(ids []UserID) string {
	if len(ids) == 0 {
		return ""
	}
	var b strings.Builder
	b.WriteByte('{')
	for i, u := range ids {
		if i > 0 {
			b.WriteByte(',')
		}
		k, _ := json.Marshal(u.Kind)
		v, _ := json.Marshal(u.Value)
		b.Write(k)
		b.WriteByte(':')
		b.Write(v)
	}
	b.WriteByte('}')
	return b.String()
}

// DecodeUserIDs reads what EncodeUserIDs wrote, keeping the order.
func DecodeUserIDs(s string) ([]UserID, error) {
	if s == "" {
		return nil, nil
	}
	dec := json.NewDecoder(bytes.NewReader([]byte(s)))
	if t, err := dec.Token(); err != nil || t != json.Delim('{') {
		return nil, errors.New("wxads: user ids: not a JSON object")
	}
	var ids []UserID
	for dec.More() {
		var u UserID
		k, err := dec.Token()
		if err != nil {
			return nil, err
		}
		u.Kind, _ = k.(string)
		if err := dec.Decode(&u.Value); err != nil {
			return nil, err
		}
		ids = append(ids, u)
	}
	return ids, nil
}
