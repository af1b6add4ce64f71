package errcode

import "regexp"

// placeholder matches the tables' placeholders: {PARAM}, {Param}, {Value},
// {TYPE}, {Enum}, {Object}, {agency_token}, and seed 000's "{ Param }".
var placeholder = regexp.MustCompile(`\{\s*[A-Za-z_]+\s*\}`)

// Format returns code's message (as Message chooses it) with placeholders
// filled. The English and the Chinese message are filled separately, each
// in its own order of appearance: the i-th placeholder gets args[i], and
// placeholders beyond the last arg get args[0], which by convention is the
// parameter's path (e.g. "actions[3].user_id.wechat_openid"). Without args
// the messages are returned as they stand, placeholders included.
func Format(code int, args ...string) (en, cn string) {
	en, cn = Message(code)
	return Fill(en, args...), Fill(cn, args...)
}

// Fill fills the placeholders of msg as Format does; use it on an entry
// Lookup returned.
func Fill(msg string, args ...string) string {
	if len(args) == 0 {
		return msg
	}
	i := 0
	return placeholder.ReplaceAllStringFunc(msg, func(string) string {
		a := args[0]
		if i < len(args) {
			a = args[i]
		}
		i++
		return a
	})
}
