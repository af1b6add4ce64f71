package main

import (
	"bytes"
	"context"
	"errors"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/wxads/wxads"
	"github.com/wxads/wxads/postgres"
	"github.com/wxads/wxads/postgres/pgtest"
	"github.com/wxads/wxads/sqlite"
)

// OAuth developer apps, codes and tokens survive wxads migrate: the same
// look-ups answer the same, and new client ids continue past the copied ones.
func TestMigrateOAuth(t *testing.T) {
	url := pgtest.FreshSchema(t)
	dir := t.TempDir()
	ctx := context.Background()
	const t0 int64 = 1795406400
	src, err := sqlite.Open(filepath.Join(dir, "wxads.db"))
	if err != nil {
		t.Fatal(err)
	}
	adv := &wxads.Advertiser{Name: "Acme", Status: wxads.StatusApproved, CreatedTime: t0}
	must(t, src.CreateAdvertiser(ctx, adv))
	c := &wxads.OAuthClient{Name: "Dev", SecretHash: []byte{9, 9}, RedirectURIs: []string{"https://a.example/cb"}, CreatedTime: t0}
	must(t, src.CreateOAuthClient(ctx, c))
	must(t, src.IssueOAuthCode(ctx, wxads.OAuthCode{Hash: []byte("code"), ClientID: c.ID, AccountID: adv.ID,
		Scopes: []string{"user_actions"}, IssuedAt: t0, ExpiresAt: t0 + 300}))
	_, err = src.RedeemOAuthCode(ctx, []byte("code"), t0, nil,
		wxads.OAuthToken{Hash: []byte("access"), IssuedAt: t0, ExpiresAt: t0 + wxads.OAuthAccessTTL},
		wxads.OAuthToken{Hash: []byte("refresh"), IssuedAt: t0, ExpiresAt: t0 + wxads.OAuthRefreshTTL})
	must(t, err)
	must(t, src.TouchOAuthToken(ctx, []byte("access"), t0+60)) // the grant's "last used"
	must(t, src.Close())

	var out, errOut bytes.Buffer
	if code := runMigrate([]string{"--from", "sqlite:" + dir, "--to", url}, &out, &errOut); code != 0 {
		t.Fatalf("migrate exited %d: %s", code, errOut.String())
	}
	src, err = sqlite.Open(filepath.Join(dir, "wxads.db"))
	must(t, err)
	defer src.Close()
	dst, err := postgres.Open(ctx, url)
	must(t, err)
	defer dst.Close()
	for _, get := range []func(o wxads.OAuthStore) (any, error){
		func(o wxads.OAuthStore) (any, error) { return o.OAuthClient(ctx, c.ID) },
		func(o wxads.OAuthStore) (any, error) { return o.LookupOAuthToken(ctx, []byte("access")) },
		func(o wxads.OAuthStore) (any, error) { return o.LookupOAuthToken(ctx, []byte("refresh")) },
		func(o wxads.OAuthStore) (any, error) { return o.OAuthGrants(ctx, adv.ID, t0+120) },
	} {
		a, errA := get(src)
		b, errB := get(dst)
		if errA != nil || errB != nil || !reflect.DeepEqual(a, b) {
			t.Errorf("SQLite %+v (%v), PostgreSQL %+v (%v)", a, errA, b, errB)
		}
	}
	// The code stays used.
	_, err = dst.RedeemOAuthCode(ctx, []byte("code"), t0, nil, wxads.OAuthToken{Hash: []byte("a2")}, wxads.OAuthToken{Hash: []byte("r2")})
	if !errors.Is(err, wxads.ErrCodeUsed) {
		t.Errorf("redeeming the copied code: %v, want ErrCodeUsed", err)
	}
	next := &wxads.OAuthClient{Name: "Next", SecretHash: []byte{1}, RedirectURIs: []string{"https://b.example/cb"}, CreatedTime: t0}
	must(t, dst.CreateOAuthClient(ctx, next))
	if next.ID <= c.ID {
		t.Errorf("new client id %d, want above the copied %d", next.ID, c.ID)
	}
}
