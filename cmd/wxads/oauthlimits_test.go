package main

import (
	"bytes"
	"os"
	"strings"
	"testing"

	"github.com/wxads/wxads/server"
)

// The --oauth-* limits: defaults, the environment, flags over it, 0 for no
// limit, and a clear refusal of anything but a whole number.
func TestOAuthLimitFlags(t *testing.T) {
	for _, f := range oauthLimitFlags {
		t.Setenv(f.env, "")
		os.Unsetenv(f.env)
	}
	m := NewMain(&bytes.Buffer{}, &bytes.Buffer{})
	if err := m.ParseFlags(nil); err != nil {
		t.Fatal(err)
	}
	if m.Config.OAuthLimits != DefaultOAuthLimits {
		t.Errorf("defaults: %+v", m.Config.OAuthLimits)
	}
	t.Setenv("WXADS_OAUTH_APP_QPS", "20")
	t.Setenv("WXADS_OAUTH_ACCOUNT_DAILY", "1_000")
	if err := m.ParseFlags([]string{"--oauth-app-daily", "0", "--oauth-account-qps", "5"}); err != nil {
		t.Fatal(err)
	}
	want := server.OAuthLimits{AppPerSecond: 20, AppPerDay: 0, AccountPerSecond: 5, AccountPerDay: 1000}
	if m.Config.OAuthLimits != want {
		t.Errorf("from flags and environment: %+v, want %+v", m.Config.OAuthLimits, want)
	}
	if err := m.ParseFlags([]string{"--oauth-app-qps", "9"}); err != nil || m.Config.OAuthLimits.AppPerSecond != 9 {
		t.Errorf("flag over the environment: %+v %v", m.Config.OAuthLimits, err)
	}
	for _, bad := range []string{"-1", "ten", "1.5", ""} {
		err := m.ParseFlags([]string{"--oauth-account-daily", bad})
		if err == nil || !strings.Contains(err.Error(), "--oauth-account-daily") {
			t.Errorf("--oauth-account-daily %q: %v", bad, err)
		}
	}
}
