package storetest

import (
	"bytes"
	"fmt"
	"testing"

	"github.com/wxads/wxads"
)

// issue stores a /cgi-bin/token token of appid issued at `at`.
func (f *fixture) issue(appid, hash string, at int64, limit int) error {
	return f.s.Issue(f.ctx, wxads.IssueToken{Token: wxads.Token{Hash: []byte(hash), AppID: appid,
		Kind: wxads.TokenNormal, IssuedAt: at, ExpiresAt: at + wxads.TokenTTL}, Day: dayOf(at), Limit: limit})
}

func (f *fixture) lookup(hash string) *wxads.Token {
	f.t.Helper()
	tok, err := f.s.Lookup(f.ctx, []byte(hash))
	f.must(err, "Lookup "+hash)
	return tok
}

// stable asks for appid's stable token at now; key stands for the server key.
func (f *fixture) stable(appid string, now int64, force bool, key string) (*wxads.Token, error) {
	return f.s.Stable(f.ctx, wxads.StableIssue{AppID: appid, Now: now, Day: dayOf(now), Force: force,
		NewHash: func(gen int64) []byte { return fmt.Appendf(nil, "%s/%s/%d", key, appid, gen) }})
}

func (f *fixture) mustStable(appid string, now int64, force bool) *wxads.Token {
	f.t.Helper()
	tok, err := f.stable(appid, now, force, "k")
	f.must(err, fmt.Sprintf("Stable(%s, %d, force=%v)", appid, now, force))
	return tok
}

func testTokenIssue(t *testing.T, f *fixture) {
	f.must(f.issue(appA, "a1", t0, 100), "Issue a1")
	got := f.lookup("a1")
	want := wxads.Token{Hash: []byte("a1"), AppID: appA, Kind: wxads.TokenNormal, IssuedAt: t0, ExpiresAt: t0 + wxads.TokenTTL}
	if !bytes.Equal(got.Hash, want.Hash) || got.AppID != want.AppID || got.Kind != want.Kind ||
		got.IssuedAt != want.IssuedAt || got.ExpiresAt != want.ExpiresAt || got.SupersededAt != 0 {
		t.Errorf("Lookup a1 = %+v, want %+v", *got, want)
	}
	f.must(f.issue(appB, "b1", t0+5, 100), "Issue b1")
	stable := f.mustStable(appA, t0+7, false)

	f.must(f.issue(appA, "a2", t0+10, 100), "Issue a2")
	if s := f.lookup("a1").SupersededAt; s != t0+10 {
		t.Errorf("a1 SupersededAt = %d, want %d (a2's issue time)", s, t0+10)
	}
	if s := f.lookup("a2").SupersededAt; s != 0 {
		t.Errorf("a2 SupersededAt = %d, want 0", s)
	}
	if s := f.lookup("b1").SupersededAt; s != 0 {
		t.Errorf("another app's token superseded at %d", s)
	}
	if tok, err := f.s.Lookup(f.ctx, stable.Hash); err != nil || tok.SupersededAt != 0 {
		t.Errorf("stable token after a normal issue: %+v, %v; want current", tok, err)
	}

	// A new stable generation leaves the normal token current.
	f.mustStable(appA, t0+20, true)
	if s := f.lookup("a2").SupersededAt; s != 0 {
		t.Errorf("normal token superseded at %d by a stable one", s)
	}
	if tok, err := f.s.Lookup(f.ctx, stable.Hash); err != nil || tok.SupersededAt != t0+20 {
		t.Errorf("old stable generation: %+v, %v; want superseded at %d", tok, err, t0+20)
	}

	_, err := f.s.Lookup(f.ctx, []byte("nope"))
	f.wantErr(err, wxads.ErrNotFound, "Lookup unknown")
}

func testTokenQuota(t *testing.T, f *fixture) {
	const limit = 3
	for i := range limit {
		f.must(f.issue(appA, fmt.Sprint("a", i), t0+int64(i), limit), "Issue within quota")
	}
	f.wantErr(f.issue(appA, "over", t0+10, limit), wxads.ErrQuota, "Issue over quota")
	_, err := f.s.Lookup(f.ctx, []byte("over"))
	f.wantErr(err, wxads.ErrNotFound, "Lookup of a token refused for quota")
	if s := f.lookup(fmt.Sprint("a", limit-1)).SupersededAt; s != 0 {
		t.Errorf("refused issue superseded the current token at %d", s)
	}
	f.wantErr(f.issue(appA, "over2", t0+20, limit), wxads.ErrQuota, "Issue over quota again")
	f.must(f.issue(appB, "b0", t0+30, limit), "another app's quota is its own")

	// The quota is per GMT+8 day: 23:59:59 is the old day, 00:00:00 the next.
	last := day0 + day - 1
	f.wantErr(f.issue(appA, "late", last, limit), wxads.ErrQuota, "Issue at 23:59:59 GMT+8")
	f.must(f.issue(appA, "next", day0+day, limit), "Issue the next GMT+8 day")
}

func testStableToken(t *testing.T, f *fixture) {
	first := f.mustStable(appA, t0, false)
	if first.Generation < 1 || first.AppID != appA || first.Kind != wxads.TokenStable || first.IssuedAt != t0 ||
		first.ExpiresAt != t0+wxads.TokenTTL || first.SupersededAt != 0 {
		t.Errorf("first stable token = %+v", *first)
	}
	if want := fmt.Appendf(nil, "k/%s/%d", appA, first.Generation); !bytes.Equal(first.Hash, want) {
		t.Errorf("hash %q, want NewHash(generation) %q", first.Hash, want)
	}
	if got := f.lookup(string(first.Hash)); got.Kind != wxads.TokenStable || got.Generation != first.Generation {
		t.Errorf("Lookup stable = %+v", *got)
	}
	// Reused while at least StableMinLeft remains.
	for _, now := range []int64{t0 + 1, first.ExpiresAt - wxads.StableMinLeft} {
		if tok := f.mustStable(appA, now, false); tok.Generation != first.Generation || !bytes.Equal(tok.Hash, first.Hash) {
			t.Errorf("Stable at %d left: generation %d, want %d reused", first.ExpiresAt-now, tok.Generation, first.Generation)
		}
	}
	other := f.mustStable(appB, t0, false)
	now := first.ExpiresAt - wxads.StableMinLeft + 1
	second := f.mustStable(appA, now, false)
	if second.Generation <= first.Generation || second.IssuedAt != now || second.ExpiresAt != now+wxads.TokenTTL {
		t.Errorf("Stable with %d s left = %+v, want a new generation", wxads.StableMinLeft-1, *second)
	}
	if s := f.lookup(string(first.Hash)).SupersededAt; s != now {
		t.Errorf("previous generation SupersededAt = %d, want %d", s, now)
	}
	if s := f.lookup(string(other.Hash)).SupersededAt; s != 0 {
		t.Errorf("another app's stable token superseded at %d", s)
	}
	// A store whose current token the caller's key does not derive issues anew.
	rekeyed, err := f.stable(appA, now+1, false, "k2")
	f.must(err, "Stable with another key")
	if rekeyed.Generation <= second.Generation || !bytes.Equal(rekeyed.Hash, fmt.Appendf(nil, "k2/%s/%d", appA, rekeyed.Generation)) {
		t.Errorf("Stable with another key = %+v, want a new generation of that key", *rekeyed)
	}
}

func testStableForced(t *testing.T, f *fixture) {
	// The day starts 00:00 GMT+8; forced refreshes ForceMinInterval apart.
	start := day0 + 60
	gen := f.mustStable(appA, start-100, false).Generation
	for i := range wxads.ForceDailyLimit {
		now := start + int64(i*wxads.ForceMinInterval)
		tok := f.mustStable(appA, now, true)
		if tok.Generation <= gen || tok.IssuedAt != now {
			t.Fatalf("forced refresh %d: %+v, want a generation after %d", i+1, *tok, gen)
		}
		gen = tok.Generation
		if i == 0 {
			_, err := f.stable(appA, now+wxads.ForceMinInterval-1, true, "k")
			f.wantErr(err, wxads.ErrTooFrequent, "forced refresh within ForceMinInterval")
		}
	}
	now := start + int64(wxads.ForceDailyLimit*wxads.ForceMinInterval)
	_, err := f.stable(appA, now, true, "k")
	f.wantErr(err, wxads.ErrQuota, "forced refresh over ForceDailyLimit")
	if tok := f.mustStable(appA, now, false); tok.Generation != gen {
		t.Errorf("unforced Stable after the quota: generation %d, want %d", tok.Generation, gen)
	}
	f.mustStable(appB, now, true) // another app's forced quota is its own
	if tok := f.mustStable(appA, day0+day, true); tok.Generation <= gen {
		t.Errorf("forced refresh the next day: generation %d, want after %d", tok.Generation, gen)
	}
}
