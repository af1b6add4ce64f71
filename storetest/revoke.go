// Revocation: revoke_tokens and reset_secret end every token of an app at
// once, and the next stable token is a generation nobody held.

package storetest

import (
	"bytes"
	"fmt"
	"testing"

	"github.com/wxads/wxads"
)

// held are an app's tokens of both kinds, one of each superseded and one current.
type held struct {
	normal []string
	stable []*wxads.Token
}

func (f *fixture) holdTokens(appid string, at int64) held {
	f.t.Helper()
	var h held
	for i, name := range []string{appid + "/n1", appid + "/n2"} {
		f.must(f.issue(appid, name, at+int64(i), 100), "Issue "+name)
		h.normal = append(h.normal, name)
	}
	h.stable = append(h.stable, f.mustStable(appid, at+2, false), f.mustStable(appid, at+3, true))
	return h
}

func (h held) hashes() []string {
	list := append([]string(nil), h.normal...)
	for _, t := range h.stable {
		list = append(list, string(t.Hash))
	}
	return list
}

// wantRevoked checks every token of h is revoked at `at`, and none is current.
func (f *fixture) wantRevoked(h held, at int64, what string) {
	f.t.Helper()
	for _, hash := range h.hashes() {
		tok := f.lookup(hash)
		if tok.RevokedAt != at || tok.SupersededAt == 0 {
			f.t.Errorf("%s: token %q RevokedAt %d SupersededAt %d, want revoked at %d and not current",
				what, hash, tok.RevokedAt, tok.SupersededAt, at)
		}
	}
}

func (f *fixture) wantLive(h held, what string) {
	f.t.Helper()
	for _, hash := range h.hashes() {
		if tok := f.lookup(hash); tok.RevokedAt != 0 {
			f.t.Errorf("%s: token %q revoked at %d", what, hash, tok.RevokedAt)
		}
	}
}

// wantNewStable checks the next stable token of appid is a generation above
// every one h holds, not revoked, and reused afterwards.
func (f *fixture) wantNewStable(appid string, h held, now int64, what string) {
	f.t.Helper()
	fresh := f.mustStable(appid, now, false)
	for _, old := range h.stable {
		if fresh.Generation <= old.Generation || bytes.Equal(fresh.Hash, old.Hash) {
			f.t.Errorf("%s: stable token generation %d after generation %d was revoked, want a higher one",
				what, fresh.Generation, old.Generation)
		}
	}
	if got := f.lookup(string(fresh.Hash)); got.RevokedAt != 0 || got.SupersededAt != 0 || fresh.ExpiresAt != now+wxads.TokenTTL {
		f.t.Errorf("%s: new stable token %+v, want current for TokenTTL", what, *got)
	}
	if again := f.mustStable(appid, now+1, false); again.Generation != fresh.Generation {
		f.t.Errorf("%s: next Stable generation %d, want %d reused", what, again.Generation, fresh.Generation)
	}
}

func testRevokeTokens(t *testing.T, f *fixture) {
	a, b := f.holdTokens(appA, t0), f.holdTokens(appB, t0)
	f.must(f.s.RevokeTokens(f.ctx, appA, t0+100), "RevokeTokens")
	f.wantRevoked(a, t0+100, "after RevokeTokens")
	if s := f.lookup(a.normal[0]).SupersededAt; s != t0+1 {
		t.Errorf("a superseded token's SupersededAt changed to %d by the revoke, want %d", s, t0+1)
	}
	f.wantLive(b, "another app")
	f.wantNewStable(appA, a, t0+101, "after RevokeTokens")

	// New tokens are live and revive nothing; a second revoke ends them and
	// keeps the first revocation's time on the old ones.
	f.must(f.issue(appA, "after", t0+110, 100), "Issue after revoke")
	if tok := f.lookup("after"); tok.RevokedAt != 0 || tok.SupersededAt != 0 {
		t.Errorf("token issued after the revoke = %+v, want current", *tok)
	}
	f.wantRevoked(a, t0+100, "after new tokens")
	f.must(f.s.RevokeTokens(f.ctx, appA, t0+200), "RevokeTokens again")
	if tok := f.lookup("after"); tok.RevokedAt != t0+200 {
		t.Errorf("second revoke: RevokedAt %d, want %d", tok.RevokedAt, t0+200)
	}
	f.wantRevoked(a, t0+100, "after the second revoke")
	f.must(f.s.RevokeTokens(f.ctx, "wx00000000000000ff", t0), "RevokeTokens of an app without tokens")
}

func testResetSecret(t *testing.T, f *fixture) {
	f.twoAdvertisers(appA, appB)
	a, b := f.holdTokens(appA, t0), f.holdTokens(appB, t0)
	f.must(f.s.ResetSecret(f.ctx, appA, []byte("new hash"), t0+50), "ResetSecret")
	app, err := f.s.App(f.ctx, appA)
	f.must(err, "App")
	if string(app.SecretHash) != "new hash" {
		t.Errorf("after ResetSecret: secret hash %q", app.SecretHash)
	}
	f.wantRevoked(a, t0+50, "after ResetSecret")
	f.wantLive(b, "another app")
	f.wantNewStable(appA, a, t0+51, "after ResetSecret")
	if app, err := f.s.App(f.ctx, appB); err != nil || !bytes.Equal(app.SecretHash, []byte{1}) {
		t.Errorf("another app's secret: %+v, %v", app, err)
	}

	// An unknown app: ErrNotFound, and its stray tokens are not revoked.
	const unknown = "wx00000000000000ff"
	u := f.holdTokens(unknown, t0)
	f.wantErr(f.s.ResetSecret(f.ctx, unknown, []byte("x"), t0+60), wxads.ErrNotFound, "ResetSecret unknown")
	f.wantLive(u, "tokens of the unknown app after a failed ResetSecret")
}

// testStaleSecret: an issue carrying the secret hash the caller verified
// fails with ErrSecretChanged, storing and counting nothing, once the app's
// secret is another (a reset_secret won the race with the token call).
func testStaleSecret(t *testing.T, f *fixture) {
	f.twoAdvertisers(appA)
	current := []byte{1} // the fixture apps' secret hash
	issue := func(hash string, secret []byte) error {
		return f.s.Issue(f.ctx, wxads.IssueToken{Token: wxads.Token{Hash: []byte(hash), AppID: appA,
			Kind: wxads.TokenNormal, IssuedAt: t0, ExpiresAt: t0 + wxads.TokenTTL}, Day: dayOf(t0), Limit: 2,
			SecretHash: secret})
	}
	stable := func(secret []byte) (*wxads.Token, error) {
		return f.s.Stable(f.ctx, wxads.StableIssue{AppID: appA, Now: t0, Day: dayOf(t0), SecretHash: secret,
			NewHash: func(gen int64) []byte { return fmt.Appendf(nil, "k/%s/%d", appA, gen) }})
	}
	f.must(issue("n1", current), "Issue under the current secret")
	f.wantErr(issue("stale", []byte("old")), wxads.ErrSecretChanged, "Issue under another secret")
	_, err := f.s.Lookup(f.ctx, []byte("stale"))
	f.wantErr(err, wxads.ErrNotFound, "Lookup of a token refused for a stale secret")
	if s := f.lookup("n1").SupersededAt; s != 0 {
		t.Errorf("a refused issue superseded the current token at %d", s)
	}
	f.must(issue("n2", current), "Issue within a quota the refused one did not count")

	_, err = stable([]byte("old"))
	f.wantErr(err, wxads.ErrSecretChanged, "Stable under another secret")
	tok, err := stable(current)
	f.must(err, "Stable under the current secret")

	f.must(f.s.ResetSecret(f.ctx, appA, []byte("new"), t0+1), "ResetSecret")
	f.wantErr(issue("after", current), wxads.ErrSecretChanged, "Issue under the secret just reset")
	_, err = stable(current)
	f.wantErr(err, wxads.ErrSecretChanged, "Stable under the secret just reset")
	if got, err := stable([]byte("new")); err != nil || got.Generation <= tok.Generation {
		t.Errorf("Stable under the new secret = %+v, %v; want a new generation", got, err)
	}
	_, err = f.s.Stable(f.ctx, wxads.StableIssue{AppID: "wx00000000000000ff", Now: t0, Day: dayOf(t0),
		SecretHash: current, NewHash: func(int64) []byte { return []byte("x") }})
	f.wantErr(err, wxads.ErrSecretChanged, "Stable for an app that does not exist")
}
