package main

import (
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/wxads/wxads"
	"github.com/wxads/wxads/sqlite"
)

// TestDemoV3App: --demo makes an ANDROID set through /v3.0, names it in
// the banner, and uploads installs of which most are identified by a
// device id of an ad click (hash_oaid or hash_imei) and attributed to the
// app campaign's ads, the organic ones not identified; a restart reuses
// the set and stores nothing twice.
func TestDemoV3App(t *testing.T) {
	dir := t.TempDir()
	args := []string{"--addr", "127.0.0.1:0", "--data", dir, "--demo"}
	m := startMain(t, args...)
	out := m.stdout.String()
	match := regexp.MustCompile(`(?m)^\s+v3\.0 ANDROID set\s+([0-9]+)\s`).FindStringSubmatch(out)
	if match == nil {
		t.Fatalf("the banner does not name the v3.0 set:\n%s", out)
	}
	setID, _ := strconv.ParseInt(match[1], 10, 64)
	if err := m.Close(); err != nil {
		t.Fatal(err)
	}
	count := func() (total, byOAID, byIMEI, attributed, organic, products int) {
		t.Helper()
		db, err := sqlite.Open(filepath.Join(dir, "wxads.db"))
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		sets, err := db.ActionSets(t.Context(), 1, wxads.ActionSetFilter{ID: setID})
		if err != nil || len(sets) != 1 || sets[0].Type != "ANDROID" || sets[0].MobileAppID != demoV3MobileAppID {
			t.Fatalf("the v3.0 set %d: %+v, %v", setID, sets, err)
		}
		list, total, err := db.ListActions(t.Context(), setID, 0, 1000)
		if err != nil {
			t.Fatal(err)
		}
		for _, a := range list {
			switch {
			case strings.HasPrefix(a.IdentifiedBy, "hash_oaid:"):
				byOAID++
			case strings.HasPrefix(a.IdentifiedBy, "hash_imei:"):
				byIMEI++
			}
			if a.AttributedAdID != 0 {
				attributed++
				if a.AttributedCampaignID != demoV3Campaign {
					t.Errorf("attributed to campaign %d: %+v", a.AttributedCampaignID, a)
				}
			}
			if strings.HasPrefix(a.OuterActionID, "demo_v3_organic_") {
				organic++
				if a.Identified {
					t.Errorf("an organic install was identified: %+v", a)
				}
			}
			if a.ProductInform != nil {
				products++
			}
		}
		return total, byOAID, byIMEI, attributed, organic, products
	}
	total, byOAID, byIMEI, attributed, organic, products := count()
	t.Logf("v3.0 set %d: %d actions, %d identified by hash_oaid, %d by hash_imei, %d attributed, %d organic, %d with product_inform",
		setID, total, byOAID, byIMEI, attributed, organic, products)
	if byOAID == 0 || byIMEI == 0 || attributed < byOAID+byIMEI || organic != 8 || products == 0 {
		t.Errorf("want installs identified by both kinds, all attributed, 8 organic, some products")
	}

	m2 := startMain(t, args...)
	if !strings.Contains(m2.stdout.String(), "v3.0 ANDROID set    "+match[1]+" ") {
		t.Errorf("after a restart the banner names another set:\n%s", m2.stdout.String())
	}
	if err := m2.Close(); err != nil {
		t.Fatal(err)
	}
	if again, _, _, _, _, _ := count(); again != total {
		t.Errorf("a restart stored the v3.0 actions again: %d, then %d", total, again)
	}
}
