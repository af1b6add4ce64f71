package client

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"github.com/wxads/wxads"
	"github.com/wxads/wxads/errcode"
)

// APIError is a refusal by the platform: a non-zero errcode (WeChat
// envelope) or code (Tencent envelope), or an HTTP status without one.
type APIError struct {
	Code       int    // platform errcode/code
	Message    string // errmsg / message
	MessageCN  string // message_cn (Tencent envelope) or the registry's Chinese
	Param      string // parameter path parsed from the message when present
	RequestID  string // X-Request-Id of the response
	HTTPStatus int
	Route      string
}

func (e *APIError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "wxads: errcode %d", e.Code)
	if e.Param != "" {
		b.WriteString(" (" + e.Param + ")")
	}
	if e.Message != "" {
		b.WriteString(": " + e.Message)
	}
	if e.Route != "" {
		b.WriteString(" [" + e.Route)
		if e.RequestID != "" {
			b.WriteString(" request " + e.RequestID)
		}
		b.WriteString("]")
	}
	return b.String()
}

// Hint is what to do about the error, from the errcode registry ("" when
// the registry has no advice for the code).
func (e *APIError) Hint() string { return errcode.Hint(e.Code) }

// Is matches the sentinels by code, so errors.Is(err, ErrInvalidToken)
// holds for any *APIError with one of the sentinel's codes.
func (e *APIError) Is(target error) bool {
	s, ok := target.(*sentinel)
	if !ok {
		return false
	}
	for _, c := range s.codes {
		if c == e.Code {
			return true
		}
	}
	return false
}

// sentinel is an error value standing for a family of codes.
type sentinel struct {
	name  string
	codes []int
}

func (s *sentinel) Error() string { return "wxads: " + s.name }

// Sentinels for errors.Is. A token sentinel covers both API sides.
var (
	ErrInvalidToken      error = &sentinel{"invalid access_token", []int{wxads.CodeInvalidAccessToken, codeV11TokenInvalid}}
	ErrTokenExpired      error = &sentinel{"access_token expired", []int{wxads.CodeAccessTokenExpired, codeV11TokenExpired}}
	ErrInvalidCredential error = &sentinel{"invalid credential (wrong secret or superseded token)", []int{wxads.CodeInvalidCredential}}
	ErrIPNotWhitelisted  error = &sentinel{"caller IP not in whitelist", []int{wxads.CodeIPNotWhitelisted}}
	ErrQuotaExceeded     error = &sentinel{"daily quota exceeded", []int{wxads.CodeDailyQuota, wxads.CodeOAuthAppDaily, wxads.CodeOAuthAccountDaily}}
	ErrTooFrequent       error = &sentinel{"too frequent", []int{wxads.CodeTooFrequent, wxads.CodeActionSetRateLimit, wxads.CodeOAuthAppQPS, wxads.CodeOAuthAccountQPS}}
	ErrNotAccessible     error = &sentinel{"id does not exist or belongs to another advertiser", []int{wxads.CodeNotAccessible}}
	ErrSystemBusy        error = &sentinel{"system busy", []int{wxads.CodeSystemBusy, wxads.CodeMarketingSystemBusy}}
	ErrUnauthorized      error = &sentinel{"api unauthorized (advertiser not approved)", []int{wxads.CodeAPIUnauthorized}}
)

// codeMarketingSystemError is seed 000's 51001 "system error".
const codeMarketingSystemError = 51001

// v1.1 token codes (SPEC §4).
const (
	codeV11TokenExpired = 11000
	codeV11TokenInvalid = 11002
	codeV11Missing      = 12000
)

// tokenRejected reports whether code means the token the call used is no
// longer good, so a fresh one may make the call succeed.
func tokenRejected(code int) bool {
	switch code {
	case wxads.CodeInvalidCredential, wxads.CodeInvalidAccessToken, wxads.CodeAccessTokenExpired,
		codeV11TokenExpired, codeV11TokenInvalid:
		return true
	}
	return false
}

// Retryable reports whether err is a transient outcome worth the same
// request again: a network error, -1, 30000 (the 300xx range), 51001,
// 45011, the OAuth per-second limits 11016/11018 (the next second has room;
// the daily 11017/11019 do not, until GMT+8 midnight), or an HTTP 5xx.
// Validation and permission errors are not. A cancelled or expired
// context is not either.
func Retryable(err error) bool {
	if err == nil || errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return false
	}
	var ae *APIError
	if !errors.As(err, &ae) {
		var ne *NetworkError
		return errors.As(err, &ne)
	}
	switch {
	case ae.HTTPStatus >= 500:
		return true
	case ae.Code == wxads.CodeSystemBusy, ae.Code == wxads.CodeTooFrequent, ae.Code == codeMarketingSystemError,
		ae.Code == wxads.CodeOAuthAppQPS, ae.Code == wxads.CodeOAuthAccountQPS:
		return true
	case ae.Code >= 30000 && ae.Code < 30100:
		// 30000 is "unable to process your request, please retry"; 31xxx
		// and 32xxx are validation and state errors, never retried.
		return true
	}
	return false
}

// NetworkError is a failure to get an answer at all: the request may or may
// not have reached the platform.
type NetworkError struct {
	Route string
	Err   error
}

func (e *NetworkError) Error() string { return "wxads: " + e.Route + ": " + e.Err.Error() }
func (e *NetworkError) Unwrap() error { return e.Err }

// placeholderRE matches the registry's message placeholders ({PARAM}, {Value}, …).
var placeholderRE = regexp.MustCompile(`\{\s*[A-Za-z_]+\s*\}`)

// paramOf recovers the parameter path from an errmsg by matching it against
// the code's message in the registry: the first placeholder is the path
// (SPEC §3). It returns "" when the message does not fit the template.
func paramOf(code int, msg string) string {
	tmpl, _ := errcode.Message(code)
	loc := placeholderRE.FindAllStringIndex(tmpl, -1)
	if len(loc) == 0 || msg == "" {
		return ""
	}
	var pat strings.Builder
	pat.WriteString("^")
	prev := 0
	for _, l := range loc {
		pat.WriteString(regexp.QuoteMeta(tmpl[prev:l[0]]))
		pat.WriteString("(.*?)")
		prev = l[1]
	}
	pat.WriteString(regexp.QuoteMeta(tmpl[prev:]))
	pat.WriteString("$")
	re, err := regexp.Compile(pat.String())
	if err != nil {
		return ""
	}
	m := re.FindStringSubmatch(msg)
	if m == nil {
		// A message of its own leads with the parameter's path, as in
		// "followers[2].unionid: unionid … is already held by …".
		if path, _, ok := strings.Cut(msg, ": "); ok && path != "" && !strings.ContainsAny(path, " \t") {
			return path
		}
		return ""
	}
	return m[1]
}

// actionIndex parses the index out of a path such as "actions[3].url".
func actionIndex(param string) (int, bool) {
	rest, ok := strings.CutPrefix(param, "actions[")
	if !ok {
		return 0, false
	}
	end := strings.IndexByte(rest, ']')
	if end < 0 {
		return 0, false
	}
	n, err := strconv.Atoi(rest[:end])
	return n, err == nil
}

// reindex rewrites the action index of a path: actions[3].url → actions[103].url.
func reindex(param string, offset int) string {
	i, ok := actionIndex(param)
	if !ok {
		return param
	}
	end := strings.IndexByte(param, ']')
	return "actions[" + strconv.Itoa(i+offset) + param[end:]
}

// newAPIError builds an APIError from an envelope's fields, filling the
// Chinese message from the registry when the envelope had none.
func newAPIError(code int, msg, msgCN string) *APIError {
	if msgCN == "" {
		_, cn := errcode.Message(code)
		if p := paramOf(code, msg); p != "" {
			cn = errcode.Fill(cn, p)
		}
		msgCN = cn
	}
	return &APIError{Code: code, Message: msg, MessageCN: msgCN, Param: paramOf(code, msg)}
}
