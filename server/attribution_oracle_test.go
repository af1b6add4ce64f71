package server_test

import (
	"cmp"
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/wxads/wxads"
)

var attributionSeed = flag.Uint64("attribution.seed", 0,
	"seed of TestAttributionOracle; 0 takes $WXADS_ATTRIBUTION_SEED, else a fixed default")

func attributionOracleSeed(t *testing.T) uint64 {
	if *attributionSeed != 0 {
		return *attributionSeed
	}
	if v := os.Getenv("WXADS_ATTRIBUTION_SEED"); v != "" {
		s, err := strconv.ParseUint(v, 10, 64)
		if err != nil {
			t.Fatalf("WXADS_ATTRIBUTION_SEED=%q: %v", v, err)
		}
		return s
	}
	return 6061123
}

// oEvent is an ad event the platform accepted, in the order it was stored.
type oEvent struct {
	typ, app, openid, click string
	ad, campaign, time      int64
}

// oAction is an uploaded action and what the oracle expects of it.
type oAction struct {
	req                   actionReq
	tenant                int
	identified            bool
	ad, campaign          int64
	actionType            string
	claim                 int
	stored                bool
	edge                  bool // attributed to an event exactly window seconds old
	attributedAtEventTime bool // attributed to an event at exactly action_time
	tie                   bool // another matching event had the winner's time
	justOutside           bool // a matching event was one second outside the window or after the action
}

// attrOracle computes identification and attribution from the raw inputs,
// following SPEC §6.3 literally, with nothing but loops over what it was told.
type attrOracle struct {
	window    int64
	owner     map[string]int // appid → tenant index; absent: unknown app
	followers map[[2]string]bool
	events    []oEvent // insertion order: among equal times the later one wins
	keys      map[int64]map[string]bool
	sets      map[int64][]*oAction // stored actions per set, in insertion order
}

func (o *attrOracle) addEvents(evs []oEvent) {
	for _, e := range evs {
		o.events = append(o.events, e)
		if e.typ == "FOLLOW" {
			o.followers[[2]string{e.app, e.openid}] = true
		}
	}
}

// ingest runs one accepted batch of tenant's actions at this moment.
func (o *attrOracle) ingest(batch []*oAction) {
	for _, a := range batch {
		r := a.req
		if r.Outer != "" {
			if o.keys[r.Set] == nil {
				o.keys[r.Set] = map[string]bool{}
			}
			if o.keys[r.Set][r.Outer] {
				continue // a duplicate is neither stored nor counted
			}
			o.keys[r.Set][r.Outer] = true
		}
		a.stored = true
		o.sets[r.Set] = append(o.sets[r.Set], a)
		owner, known := o.owner[r.AppID]
		a.identified = known && owner == a.tenant && o.followers[[2]string{r.AppID, r.OpenID}]
		if !a.identified {
			continue
		}
		best := -1
		for i, e := range o.events {
			if e.app != r.AppID {
				continue
			}
			var match bool
			switch {
			case a.claim == wxads.ClaimClick && r.ClickID != "":
				match = e.typ == "CLICK" && e.click == r.ClickID
			case a.claim == wxads.ClaimClick:
				match = e.typ == "CLICK" && e.openid == r.OpenID
			default:
				match = e.typ == "FOLLOW" && e.openid == r.OpenID
			}
			switch {
			case !match:
			case e.time == r.Time+1 || e.time == r.Time-o.window-1:
				a.justOutside = true
			case e.time > r.Time || e.time < r.Time-o.window:
			case best < 0 || e.time > o.events[best].time:
				best, a.tie = i, false
			case e.time == o.events[best].time:
				best, a.tie = i, true // equal times: the later-stored event wins
			}
		}
		if best >= 0 {
			e := o.events[best]
			a.ad, a.campaign = e.ad, e.campaign
			a.edge = e.time == r.Time-o.window
			a.attributedAtEventTime = e.time == r.Time
		}
	}
}

// report sums tenant's attributed stored actions per period, ad, campaign and type.
func (o *attrOracle) report(tenant int, hourly bool) []adReportRow {
	type key struct {
		period, ad, campaign int64
		typ                  string
	}
	sums := map[key]*adReportRow{}
	for _, list := range o.sets {
		for _, a := range list {
			if a.tenant != tenant || a.ad == 0 {
				continue
			}
			k := key{wxads.DayOf(a.req.Time), a.ad, a.campaign, a.actionType}
			if hourly {
				k.period = wxads.HourOf(a.req.Time)
			}
			row := sums[k]
			if row == nil {
				t := time.Unix(k.period, 0).In(wxads.CST)
				row = &adReportRow{Date: t.Format(wxads.DateLayout), AdID: k.ad, CampaignID: k.campaign, ActionType: k.typ}
				if hourly {
					hour := t.Hour()
					row.Hour = &hour
				}
				sums[k] = row
			}
			row.Conversions++
			if a.req.Value != nil {
				row.Value += *a.req.Value
			}
		}
	}
	keys := make([]key, 0, len(sums))
	for k := range sums {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(x, y key) int {
		return cmp.Or(cmp.Compare(x.period, y.period), cmp.Compare(x.ad, y.ad), cmp.Compare(x.campaign, y.campaign),
			cmp.Compare(x.typ, y.typ))
	})
	rows := make([]adReportRow, len(keys))
	for i, k := range keys {
		rows[i] = *sums[k]
	}
	return rows
}

// TestAttributionOracle sends random ad events, followers and actions of two
// advertisers, interleaved, and compares every stored action's
// identification and attribution, and both advertisers' ad reports, with a
// brute-force oracle fed the same inputs in the same order.
func TestAttributionOracle(t *testing.T) {
	seed := attributionOracleSeed(t)
	for round := range uint64(2) {
		t.Run(fmt.Sprint("seed=", seed+round), func(t *testing.T) {
			s := seed + round
			t.Cleanup(func() {
				if t.Failed() {
					t.Logf("seed %d; rerun with: go test ./server/ -run TestAttributionOracle -args -attribution.seed=%d", s, s)
				}
			})
			runAttributionOracle(t, s)
		})
	}
}

func runAttributionOracle(t *testing.T, seed uint64) {
	rng := rand.New(rand.NewPCG(seed, seed^0x51ed270b27f1a4d3))
	const window = 2 * 86400
	w := newAttrWorld(t)
	h := w.h
	h.db.SetAttributionWindow(window)
	tenants := []tenant{w.a, w.b}
	sets := [][]int64{{w.setA, h.newSet(w.a, "a2")}, {w.setB}}
	apps := [][]string{{w.a.AppID, w.a2}, {w.b.AppID}}
	allApps := []string{w.a.AppID, w.a2, w.b.AppID}
	unknownApp := w.app("unknown")
	o := &attrOracle{window: window, followers: map[[2]string]bool{}, keys: map[int64]map[string]bool{},
		sets: map[int64][]*oAction{}, owner: map[string]int{w.a.AppID: 0, w.a2: 0, w.b.AppID: 1}}

	openids := make([]string, 14)
	for i := range openids {
		openids[i] = randomOpenID(rng)
	}
	clicks := make([]string, 12)
	for i := range clicks {
		clicks[i] = fmt.Sprintf("clk%02d", i)
	}
	now := harnessNow.Unix()
	base := now - 20*86400 // whole hour: harnessNow is 12:00:00
	// when is a time on the hour grid (ties and exact window edges are
	// common), sometimes a second off it, sometimes anywhere in the hour.
	when := func() int64 {
		t := base + int64(rng.IntN(20*24+1))*3600
		switch rng.IntN(10) {
		case 0:
			t++
		case 1:
			t--
		case 2:
			t += int64(rng.IntN(3600))
		}
		return min(t, now)
	}
	// near is an accepted event's time shifted onto an edge, or false.
	near := func(e oEvent) (int64, bool) {
		shifts := []int64{0, 1, -1, window, window + 1, window - 1, 3600, 86400}
		t := e.time + shifts[rng.IntN(len(shifts))]
		return t, t >= now-29*86400 && t <= now
	}
	// eventOf picks an accepted event of one of apps, or false.
	eventOf := func(apps []string) (oEvent, bool) {
		for range 8 {
			if len(o.events) == 0 {
				break
			}
			if e := o.events[rng.IntN(len(o.events))]; slices.Contains(apps, e.app) {
				return e, true
			}
		}
		return oEvent{}, false
	}
	pick := func(list []string) string { return list[rng.IntN(len(list))] }

	outers := 0
	var sent []*oAction
	for range 100 {
		switch r := rng.IntN(20); {
		case r < 7: // a batch of ad events, sometimes with a bad one
			n := 1 + rng.IntN(9)
			var evs []oEvent
			var reqs []adEventReq
			for range n {
				e := oEvent{typ: "CLICK", app: pick(allApps), openid: pick(openids), ad: 1 + int64(rng.IntN(9)), time: when()}
				e.campaign = 100 + e.ad%3
				if rng.IntN(5) < 2 {
					e.typ = "FOLLOW"
				}
				if (e.typ == "CLICK" && rng.IntN(10) < 7) || (e.typ == "FOLLOW" && rng.IntN(7) == 0) {
					e.click = pick(clicks)
				}
				if len(o.events) > 0 && rng.IntN(6) == 0 {
					// Same user, same click, same second, another ad: a tie.
					p := o.events[rng.IntN(len(o.events))]
					e.typ, e.app, e.openid, e.click, e.time = p.typ, p.app, p.openid, p.click, p.time
				}
				evs = append(evs, e)
				reqs = append(reqs, adEventReq{Type: e.typ, AppID: e.app, OpenID: e.openid, AdID: e.ad,
					CampaignID: e.campaign, ClickID: e.click, Time: e.time})
			}
			if rng.IntN(12) == 0 {
				i := rng.IntN(len(reqs))
				reqs[i].AppID = unknownApp
				wantCode(t, h.admin("POST", "/admin/v1/ad_events", map[string]any{"events": reqs}), 31011)
				continue
			}
			h.sendAdEvents(reqs...)
			o.addEvents(evs)
		case r < 9: // followers registered without an ad event
			app := pick(allApps)
			var list []string
			for range 1 + rng.IntN(3) {
				list = append(list, pick(openids))
			}
			mustOK(t, h.admin("POST", "/admin/v1/apps/"+app+"/followers", map[string]any{"openids": list}))
			for _, id := range list {
				o.followers[[2]string{app, id}] = true
			}
		default: // a batch of actions of one advertiser
			ti := 0
			if rng.IntN(10) < 3 {
				ti = 1
			}
			batch := make([]*oAction, 1+rng.IntN(14))
			for i := range batch {
				a := &oAction{tenant: ti, claim: rng.IntN(2)}
				r := &a.req
				r.Set = sets[ti][rng.IntN(len(sets[ti]))]
				switch x := rng.IntN(20); {
				case x < 16:
					r.AppID = pick(apps[ti])
				case x < 19:
					r.AppID = pick(apps[1-ti])
				default:
					r.AppID = unknownApp
				}
				r.OpenID = pick(openids)
				if rng.IntN(7) == 0 {
					r.OpenID = randomOpenID(rng)
				}
				r.Claim = a.claim
				if rng.IntN(2) == 0 {
					r.Claim = strconv.Itoa(a.claim)
				}
				if c := rng.IntN(10); (a.claim == 0 && c < 5) || c == 0 {
					r.ClickID = pick(clicks)
					if rng.IntN(8) == 0 {
						r.ClickID = "nomatch"
					}
				}
				a.actionType = []string{"COMPLETE_ORDER", "RESERVATION", "REGISTER", "CUSTOM"}[rng.IntN(4)]
				r.Type = a.actionType
				if r.Type == "CUSTOM" {
					r.Custom = pick([]string{"add_to_cart", "share"})
				}
				if rng.IntN(5) < 3 {
					r.Value = fenPtr(int64(rng.IntN(100000)))
				}
				r.Time = when()
				// Often the action follows an event of the caller's apps:
				// same app and openid (or click_id), near an edge.
				if e, ok := eventOf(apps[ti]); ok && rng.IntN(10) < 6 {
					if t, ok := near(e); ok {
						r.Time = t
					}
					r.AppID, r.OpenID, r.ClickID = e.app, e.openid, ""
					switch {
					case e.typ == "FOLLOW":
						a.claim = wxads.ClaimFollow
					case e.click != "" && rng.IntN(2) == 0:
						a.claim, r.ClickID = wxads.ClaimClick, e.click
						r.OpenID = pick(openids) // the click's openid need not match
					default:
						a.claim = wxads.ClaimClick
					}
					r.Claim = a.claim
				}
				switch x := rng.IntN(10); {
				case x < 8:
					outers++
					r.Outer = fmt.Sprintf("o%d", outers)
				case x == 8 && outers > 0:
					r.Outer = fmt.Sprintf("o%d", 1+rng.IntN(outers)) // a resend: stored once per set
				}
				batch[i] = a
			}
			reqs := make([]actionReq, len(batch))
			for i, a := range batch {
				reqs[i] = a.req
			}
			h.sendActions(tenants[ti], reqs...)
			o.ingest(batch)
			sent = append(sent, batch...)
		}
	}

	// Every stored action, oldest first, against the oracle.
	for ti, list := range sets {
		for _, set := range list {
			want := o.sets[set]
			got := readAllActions(t, h, tenants[ti], set)
			if len(got) != len(want) {
				t.Fatalf("set %d holds %d actions, oracle %d", set, len(got), len(want))
			}
			for i, g := range got {
				x := want[i]
				if g.OuterActionID != x.req.Outer || g.ActionTime != x.req.Time || g.UserID.OpenID != x.req.OpenID {
					t.Fatalf("set %d action %d is %s, oracle sent %+v", set, i, g.Raw, x.req)
				}
				var ad int64
				if g.AttributedAdID != nil {
					ad = *g.AttributedAdID
				}
				if g.Identified != x.identified || ad != x.ad {
					t.Errorf("set %d action %d: identified %v ad %d, oracle %v ad %d\n  sent %+v\n  got  %s",
						set, i, g.Identified, ad, x.identified, x.ad, x.req, g.Raw)
				}
			}
		}
	}

	// Both advertisers' ad reports, daily and hourly.
	start := time.Unix(base, 0).In(wxads.CST).AddDate(0, 0, -1).Format(wxads.DateLayout)
	end := harnessNow.Format(wxads.DateLayout)
	for ti, tn := range tenants {
		diffAdRows(t, h.adReport(tn, start, end, "DAILY"), o.report(ti, false))
		diffAdRows(t, h.adReport(tn, start, end, "HOURLY"), o.report(ti, true))
	}

	// The random world must have exercised every rule.
	var c struct {
		stored, attributed, identifiedOnly, unidentified, edges, atTime, ties, justOutside, byClickID, foreign int
	}
	for _, a := range sent {
		if !a.stored {
			continue
		}
		c.stored++
		switch {
		case a.ad != 0:
			c.attributed++
		case a.identified:
			c.identifiedOnly++
		default:
			c.unidentified++
		}
		if a.edge {
			c.edges++
		}
		if a.attributedAtEventTime {
			c.atTime++
		}
		if a.tie {
			c.ties++
		}
		if a.justOutside && a.identified {
			c.justOutside++
		}
		if a.ad != 0 && a.claim == 0 && a.req.ClickID != "" {
			c.byClickID++
		}
		if o.owner[a.req.AppID] != a.tenant || a.req.AppID == unknownApp {
			c.foreign++
		}
	}
	t.Logf("%d actions sent, %+v, %d events", len(sent), c, len(o.events))
	if c.attributed == 0 || c.identifiedOnly == 0 || c.unidentified == 0 || c.edges == 0 || c.atTime == 0 ||
		c.ties == 0 || c.justOutside == 0 ||
		c.byClickID == 0 || c.foreign == 0 || c.stored == len(sent) {
		t.Errorf("the random world missed a case: %+v of %d sent", c, len(sent))
	}
}

// readAllActions pages through ext/v1/user_actions/get and returns the
// set's actions oldest first.
func readAllActions(t *testing.T, h *harness, tn tenant, set int64) []storedAction {
	t.Helper()
	var all []storedAction
	for page := 1; ; page++ {
		list, total := h.storedActions(tn, set, page, 100)
		all = append(all, list...)
		if len(list) == 0 || len(all) >= total {
			if len(all) != total {
				t.Fatalf("set %d: read %d actions, total_number %d", set, len(all), total)
			}
			break
		}
	}
	slices.Reverse(all)
	return all
}

// randomOpenID makes a valid openid from rng.
func randomOpenID(rng *rand.Rand) string {
	const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-"
	b := []byte{'o'}
	for len(b) < 28 {
		b = append(b, alphabet[rng.IntN(len(alphabet))])
	}
	return string(b)
}
