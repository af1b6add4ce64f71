package wxads

import (
	"errors"
	"fmt"
	"math"
	"strconv"
)

// Error is a platform error: a code from the error-code registry, the path of
// the parameter it is about, and any further values that fill the code's
// message template. Cause is for the log only and never reaches the client.
type Error struct {
	Code      int
	Param     string   // parameter path, e.g. "actions[3].user_id.wechat_openid"
	Values    []string // further placeholder values, e.g. a limit
	Message   string   // literal errmsg overriding the registry's (seed FAQ literals)
	MessageCN string   // literal message_cn, where the registry's Chinese would not fit Message
	Cause     error
}

// Errorf builds an Error for code about param; values fill further placeholders.
func Errorf(code int, param string, values ...string) *Error {
	return &Error{Code: code, Param: param, Values: values}
}

// Literal builds an Error whose errmsg is fixed text (e.g. 48001 "api unauthorized").
func Literal(code int, msg string) *Error {
	return &Error{Code: code, Message: msg}
}

// Internal wraps an unexpected failure as errcode -1; the cause is logged, not sent.
func Internal(cause error) *Error {
	return &Error{Code: CodeSystemBusy, Cause: cause}
}

func (e *Error) Error() string {
	s := fmt.Sprintf("wxads: errcode %d", e.Code)
	if e.Param != "" {
		s += " (" + e.Param + ")"
	}
	if e.Message != "" {
		s += ": " + e.Message
	}
	if e.Cause != nil {
		s += ": " + e.Cause.Error()
	}
	return s
}

func (e *Error) Unwrap() error { return e.Cause }

// Args returns the placeholder arguments in order: the parameter path first.
func (e *Error) Args() []string {
	if e.Param == "" && len(e.Values) == 0 {
		return nil
	}
	return append([]string{e.Param}, e.Values...)
}

// ErrorCode returns the platform code of err: 0 for nil, the code of a
// wrapped *Error, else -1.
func ErrorCode(err error) int {
	if err == nil {
		return 0
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return CodeSystemBusy
}

// ErrNotFound is returned by stores when a looked-up row does not exist.
var ErrNotFound = errors.New("wxads: not found")

// ErrConflict is returned by stores when a unique key is already taken.
var ErrConflict = errors.New("wxads: conflict")

// LessThan formats the value of an 18003 ("Valid values must be less than
// {Value}") for an inclusive maximum: the first value refused.
func LessThan(max int64) string {
	if max == math.MaxInt64 {
		return "9223372036854775808"
	}
	return strconv.FormatInt(max+1, 10)
}

// GreaterThan formats the value of an 18004 ("Valid values must be greater
// than {Value}") for an inclusive minimum: the last value refused.
func GreaterThan(min int64) string {
	if min == math.MinInt64 {
		return "-9223372036854775809"
	}
	return strconv.FormatInt(min-1, 10)
}
