package server_test

import (
	"encoding/json"
	"fmt"
	"net/url"
	"strings"
	"testing"
	"time"
)

const (
	oaidA = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
	oaidB = "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"
)

// v3AppSet makes an ANDROID set of tn through /v3.0/user_action_sets/add.
func (h *harness) v3AppSet(tn tenant, name string) int64 {
	h.t.Helper()
	d := decodeData[struct {
		ID int64 `json:"user_action_set_id"`
	}](h.t, mustOK(h.t, h.v3Post(tn, "user_action_sets/add", nil, map[string]any{"type": "ANDROID", "name": name,
		"mobile_app_id": 1110})))
	return d.ID
}

// v3Dev is a device-only v3.0 action.
func v3Dev(at int64, outer string, ids map[string]any, mutate ...func(map[string]any)) map[string]any {
	a := map[string]any{"action_time": at, "action_type": "ACTIVATE_APP", "outer_action_id": outer, "user_id": ids}
	for _, m := range mutate {
		m(a)
	}
	return a
}

type v3Stored struct {
	OuterActionID  string          `json:"outer_action_id"`
	UserIDs        json.RawMessage `json:"user_ids"`
	ProductInform  json.RawMessage `json:"product_inform"`
	Channel        string          `json:"channel"`
	IdentifiedBy   string          `json:"identified_by"`
	Identified     bool            `json:"identified"`
	AttributedAdID *int64          `json:"attributed_ad_id"`
}

func (h *harness) v3Stored(tn tenant, set int64) map[string]v3Stored {
	h.t.Helper()
	d := decodeData[struct {
		List []v3Stored `json:"list"`
	}](h.t, mustOK(h.t, h.api(tn, "GET", "/ext/v1/user_actions/get", url.Values{"user_action_set_id": {fmt.Sprint(set)},
		"page_size": {"100"}}, nil)))
	m := map[string]v3Stored{}
	for _, a := range d.List {
		m[a.OuterActionID] = a
	}
	return m
}

// TestV3DeviceIdentification: a v3.0 action is identified by a hashed device
// id that an ad event of the same advertiser carried (any of its apps), the
// same kind and value (hex in any case); attributed to the latest CLICK with
// that id, or by click_id among the advertiser's apps; its ids,
// product_inform and channel are stored and read back; the report counts
// the device as one user.
func TestV3DeviceIdentification(t *testing.T) {
	h, flush := inspectorHarness(t)
	a, b := h.newTenant(), h.newTenant()
	set := h.v3AppSet(a, "game")
	now := h.clock.Now().Unix()
	mustOK(t, h.admin("POST", "/admin/v1/ad_events", map[string]any{"events": []map[string]any{
		{"type": "CLICK", "appid": a.AppID, "ad_id": 7, "campaign_id": 3, "time": now - 3600,
			"user_id": map[string]any{"hash_oaid": strings.ToUpper(oaidA), "hash_imei": hashIMEI}},
		{"type": "CLICK", "appid": a.AppID, "openid": openIDOf("clicker"), "ad_id": 8, "click_id": "clk8", "time": now - 600},
		{"type": "CLICK", "appid": b.AppID, "ad_id": 99, "time": now - 60, "user_id": map[string]any{"hash_oaid": oaidB}},
	}}))
	listed := decodeData[struct {
		List []struct {
			AdID   int64           `json:"ad_id"`
			OpenID string          `json:"openid"`
			UserID json.RawMessage `json:"user_id"`
		} `json:"list"`
	}](t, mustOK(t, h.admin("GET", "/admin/v1/ad_events?appid="+a.AppID, nil)))
	if len(listed.List) != 2 || string(listed.List[0].UserID) != `{"hash_imei":"`+hashIMEI+`","hash_oaid":"`+oaidA+`"}` ||
		listed.List[0].OpenID != "" || listed.List[1].UserID != nil {
		t.Errorf("GET /admin/v1/ad_events: %+v", listed.List)
	}

	mustOK(t, h.v3Upload(a, set, url.Values{"partial_failure": {"true"}},
		v3Dev(now, "click", map[string]any{"hash_oaid": oaidA}, func(m map[string]any) {
			m["product_inform"] = map[string]any{"content_type": "EC", "product_id": "p1"}
			m["channel"] = "CHANNEL_NATURAL"
		}),
		v3Dev(now, "upper", map[string]any{"hash_imei": strings.ToUpper(hashIMEI), "wechat_unionid": "u1"}),
		v3Dev(now, "click_id", map[string]any{"hash_oaid": oaidA}, func(m map[string]any) { m["trace"] = map[string]any{"click_id": "clk8"} }),
		v3Dev(now, "other_tenant", map[string]any{"hash_oaid": oaidB}),
		v3Dev(now, "kind", map[string]any{"hash_idfa": oaidA}),
		v3Dev(now, "follow", map[string]any{"hash_oaid": oaidA}, func(m map[string]any) {
			m["action_param"] = map[string]any{"claim_type": 1}
		}),
	))
	flush()
	got := h.v3Stored(a, set)
	for outer, w := range map[string]struct {
		by string
		ad int64
	}{
		"click": {"hash_oaid:" + oaidA, 7}, "upper": {"hash_imei:" + hashIMEI, 7}, "click_id": {"hash_oaid:" + oaidA, 8},
		"other_tenant": {"", 0}, "kind": {"", 0}, "follow": {"hash_oaid:" + oaidA, 0},
	} {
		s := got[outer]
		ad := int64(0)
		if s.AttributedAdID != nil {
			ad = *s.AttributedAdID
		}
		if s.IdentifiedBy != w.by || s.Identified != (w.by != "") || ad != w.ad {
			t.Errorf("%s: identified %v by %q, ad %d; want by %q, ad %d", outer, s.Identified, s.IdentifiedBy, ad, w.by, w.ad)
		}
	}
	if s := got["click"]; string(s.UserIDs) != `{"hash_oaid":"`+oaidA+`"}` || string(s.ProductInform) != `{"content_type":"EC","product_id":"p1"}` ||
		s.Channel != "CHANNEL_NATURAL" {
		t.Errorf("stored fields: %+v", s)
	}
	if s := got["upper"]; string(s.UserIDs) != `{"wechat_unionid":"u1","hash_imei":"`+hashIMEI+`"}` {
		t.Errorf("stored ids: %s", s.UserIDs)
	}

	// Four identified actions of two devices.
	day := time.Unix(now, 0).In(time.FixedZone("CST", 8*3600)).Format("2006-01-02")
	rep := decodeData[struct {
		List []struct {
			Raw        int `json:"raw_action_count"`
			Identified int `json:"identified_action_count"`
			Users      int `json:"identified_user_count"`
		} `json:"list"`
	}](t, mustOK(t, h.api(a, "GET", "/marketing/user_action_set_reports/get", url.Values{
		"user_action_set_id": {fmt.Sprint(set)}, "time_granularity": {"DAILY"},
		"date_range": {`{"start_date":"` + day + `","end_date":"` + day + `"}`}}, nil)))
	if len(rep.List) != 1 || rep.List[0].Raw != 6 || rep.List[0].Identified != 4 || rep.List[0].Users != 2 {
		t.Errorf("report %+v; want raw 6, identified 4, users 2", rep.List)
	}

	// The inspector says why, in both languages.
	page := h.requests(a, url.Values{"route": {"/v3.0/user_actions/add"}})
	if len(page.List) != 1 || len(page.List[0].Actions) != 6 {
		t.Fatalf("inspector: %+v", page)
	}
	vs := page.List[0].Actions
	for i, w := range []struct{ ident, identCN, attr string }{
		{"Identified by hash_oaid " + oaidA + " matching an ad event of this advertiser", "与本广告主的广告事件匹配", "Attributed to ad 7"},
		{"Identified by hash_imei " + hashIMEI, "hash_imei", "Attributed to ad 7"},
		{"Identified by hash_oaid", "hash_oaid", "Attributed to ad 8"},
		{"no ad event of this advertiser carries its hash_oaid", "本广告主的广告事件中没有它的 hash_oaid", "only identified"},
		{"no ad event of this advertiser carries its hash_idfa", "hash_idfa", "only identified"},
		{"Identified by hash_oaid", "hash_oaid", "no FOLLOW carrying hash_oaid " + oaidA},
	} {
		v := vs[i]
		if !strings.Contains(v.Identification, w.ident) || !strings.Contains(v.IdentificationCN, w.identCN) ||
			!strings.Contains(v.Attribution, w.attr) || v.AttributionCN == "" {
			t.Errorf("actions[%d]: %q / %q / %q; want ~%q / ~%q / ~%q", i, v.Identification, v.IdentificationCN,
				v.Attribution, w.ident, w.identCN, w.attr)
		}
	}
}

// TestAdEventsUserID: the device ids of POST /admin/v1/ad_events follow the
// v3.0 formats with their codes and paths; openid becomes optional with a
// device id, except for a FOLLOW.
func TestAdEventsUserID(t *testing.T) {
	h := newHarness(t)
	tn := h.newTenant()
	now := harnessNow.Unix()
	one := func(e map[string]any) map[string]any {
		base := map[string]any{"type": "CLICK", "appid": tn.AppID, "ad_id": 1, "time": now - 60}
		for k, v := range e {
			base[k] = v
		}
		return map[string]any{"events": []any{base}}
	}
	ids := func(k string, v any) map[string]any { return map[string]any{"user_id": map[string]any{k: v}} }
	with := func(e map[string]any, k string, v any) map[string]any { e[k] = v; return e }
	for _, c := range []struct {
		name  string
		body  map[string]any
		code  int
		param string
	}{
		{"hash_oaid without openid", one(ids("hash_oaid", oaidA)), 0, ""},
		{"every kind", one(map[string]any{"user_id": map[string]any{"hash_imei": hashIMEI, "hash_idfa": hashIMEI,
			"hash_android_id": hashIMEI, "hash_oaid": hashIMEI, "hash_phone": hashIMEI, "sha256_phone": sha256ID,
			"md5_sha256_imei": sha256ID, "md5_sha256_idfa": sha256ID, "md5_sha256_oaid": sha256ID, "caid": "c"}}), 0, ""},
		{"with openid", one(with(ids("hash_imei", hashIMEI), "openid", openIDOf("x"))), 0, ""},
		{"null user_id", one(map[string]any{"user_id": nil, "openid": openIDOf("x")}), 0, ""},
		{"FOLLOW with device and openid", one(with(with(ids("hash_oaid", oaidA), "openid", openIDOf("f")), "type", "FOLLOW")), 0, ""},

		{"no openid, no device id", one(nil), 18001, "events[0].openid"},
		{"only non-device ids", one(ids("wechat_unionid", "u")), 18001, "events[0].openid"},
		{"FOLLOW needs openid", one(with(ids("hash_oaid", oaidA), "type", "FOLLOW")), 18001, "events[0].openid"},
		{"bad openid with device", one(with(ids("hash_oaid", oaidA), "openid", "bad")), 18005, "events[0].openid"},
		{"user_id not an object", one(map[string]any{"user_id": "x"}), 18002, "events[0].user_id"},
		{"short hash", one(ids("hash_oaid", "0123")), 18005, "events[0].user_id.hash_oaid"},
		{"not hex", one(ids("hash_imei", strings.Repeat("z", 32))), 18005, "events[0].user_id.hash_imei"},
		{"md5 where sha256", one(ids("sha256_phone", hashIMEI)), 18005, "events[0].user_id.sha256_phone"},
		{"empty", one(ids("hash_idfa", "")), 31001, "events[0].user_id.hash_idfa"},
		{"not a string", one(ids("hash_oaid", 7)), 18002, "events[0].user_id.hash_oaid"},
		{"caid too long", one(ids("caid", strings.Repeat("c", 65))), 18007, "events[0].user_id.caid"},
		{"type checked first", one(with(ids("hash_oaid", "x"), "type", "VIEW")), 18009, "events[0].type"},
	} {
		t.Run(c.name, func(t *testing.T) {
			h.clock.Set(time.Unix(now, 0))
			e := h.admin("POST", "/admin/v1/ad_events", c.body)
			wantCode(t, e, c.code)
			if c.param != "" && !strings.Contains(e.Errmsg, "'"+c.param+"'") {
				t.Errorf("errmsg %q does not name '%s'", e.Errmsg, c.param)
			}
		})
	}
}
