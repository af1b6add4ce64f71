package main

import (
	"flag"
	"fmt"
	"strconv"
	"strings"

	"github.com/wxads/wxads/server"
)

// DefaultOAuthLimits bound the calls of OAuth tokens on /v1.1 and /v3.0
// (11016–11019). They are generous — far above what one developer's test
// suite, the demo or a load test through one app makes — so a client meets
// them only when the operator lowers them to test its handling. 0 is no limit.
var DefaultOAuthLimits = server.OAuthLimits{
	AppPerSecond:     1000,
	AppPerDay:        10_000_000,
	AccountPerSecond: 500,
	AccountPerDay:    5_000_000,
}

// oauthLimitArgs holds the --oauth-* flags as given, parsed after the flag set.
type oauthLimitArgs [4]string

var oauthLimitFlags = [4]struct{ flag, env, usage string }{
	{"oauth-app-qps", "WXADS_OAUTH_APP_QPS", "calls a second one OAuth developer app may make on /v1.1 and /v3.0, over every account (11016); 0 no limit"},
	{"oauth-app-daily", "WXADS_OAUTH_APP_DAILY", "calls a GMT+8 day one OAuth developer app may make (11017); 0 no limit"},
	{"oauth-account-qps", "WXADS_OAUTH_ACCOUNT_QPS", "calls a second made with OAuth tokens for one advertiser account, over every app (11018); 0 no limit"},
	{"oauth-account-daily", "WXADS_OAUTH_ACCOUNT_DAILY", "calls a GMT+8 day made with OAuth tokens for one advertiser account (11019); 0 no limit"},
}

func oauthLimitFields(l *server.OAuthLimits) [4]*int64 {
	return [4]*int64{&l.AppPerSecond, &l.AppPerDay, &l.AccountPerSecond, &l.AccountPerDay}
}

// flags registers the --oauth-* flags, each defaulting to its variable, then to def.
func (a *oauthLimitArgs) flags(fs *flag.FlagSet, env func(name, def string) string, def server.OAuthLimits) {
	for i, f := range oauthLimitFlags {
		fs.StringVar(&a[i], f.flag, env(f.env, strconv.FormatInt(*oauthLimitFields(&def)[i], 10)),
			f.usage+" ("+f.env+")")
	}
}

// parse reads the four limits: whole numbers, 0 or more (thousands may be
// written with _ as in Go: 10_000_000).
func (a *oauthLimitArgs) parse() (server.OAuthLimits, error) {
	var l server.OAuthLimits
	for i, p := range oauthLimitFields(&l) {
		v := strings.ReplaceAll(strings.TrimSpace(a[i]), "_", "")
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil || n < 0 {
			f := oauthLimitFlags[i]
			return l, fmt.Errorf("--%s (%s) %q: want a whole number of calls, 0 for no limit. 应为非负整数，0 表示不限", f.flag, f.env, a[i])
		}
		*p = n
	}
	return l, nil
}
