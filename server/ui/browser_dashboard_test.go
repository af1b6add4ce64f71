package ui_test

import (
	"encoding/json"
	"fmt"
	"net/url"
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/wxads/wxads"
)

// TestBrowserDashboard drives the dashboard in a real headless Chromium:
// one browser, the steps a newcomer takes, screenshots in the temp dir.
func TestBrowserDashboard(t *testing.T) {
	w := newWorld(t)
	ctx := newBrowser(t, 1440, 900)
	shots := t.TempDir()
	if dir := os.Getenv("WXADS_SCREENSHOTS"); dir != "" { // keep them, e.g. to look at
		shots = dir
	}
	base := w.srv.URL
	t.Cleanup(func() { t.Logf("screenshots in %s", shots) })

	signInBrowser(t, ctx, base, w.appid, w.secret)
	screenshot(t, ctx, shots, "sources.png")

	t.Run("report chart and table match the JSON API", func(t *testing.T) {
		today := time.Now().In(wxads.CST)
		from, to := today.AddDate(0, 0, -13).Format(wxads.DateLayout), today.Format(wxads.DateLayout)
		step(t, ctx, "open the report", chromedp.Navigate(pathFor(base, "/ui/sources/"+strconv.FormatInt(w.setID, 10),
			url.Values{"from": {from}, "to": {to}, "gran": {"DAILY"}})), chromedp.WaitVisible("#chart svg"))
		screenshot(t, ctx, shots, "report.png")

		var api struct {
			List []struct {
				Date       string `json:"date"`
				Raw        int64  `json:"raw_action_count"`
				Identified int64  `json:"identified_action_count"`
				Users      int64  `json:"identified_user_count"`
			} `json:"list"`
		}
		dr, _ := json.Marshal(map[string]string{"start_date": from, "end_date": to})
		w.api("GET", "/marketing/user_action_set_reports/get?"+url.Values{"user_action_set_id": {strconv.FormatInt(w.setID, 10)},
			"date_range": {string(dr)}, "time_granularity": {"DAILY"}}.Encode(), w.token(w.appid, w.secret), nil, &api)
		if len(api.List) < 10 {
			t.Fatalf("the seeded world should fill most of 14 days; API has %d rows", len(api.List))
		}
		chart := eval[map[string]map[string]int64](t, ctx, `(() => {
			const out = {};
			for (const c of document.querySelectorAll("#chart circle[data-series]")) {
				(out[c.dataset.series] ??= {})[c.dataset.label] = Number(c.dataset.value);
			}
			return out; })()`)
		table := eval[[][]string](t, ctx, `Array.from(document.querySelectorAll("#report-table tbody tr")).map(
			tr => Array.from(tr.querySelectorAll("td")).map(td => td.textContent.trim()))`)
		if len(table) != len(api.List) {
			t.Fatalf("table has %d rows, the API %d", len(table), len(api.List))
		}
		var nonZero int
		for i, row := range api.List {
			want := []string{row.Date, itoa(row.Raw), itoa(row.Identified), itoa(row.Users)}
			if got := table[i][:4]; strings.Join(got, "|") != strings.Join(want, "|") {
				t.Errorf("table row %d = %v, API %v", i, got, want)
			}
			if chart["raw"][row.Date] != row.Raw || chart["identified"][row.Date] != row.Identified || chart["users"][row.Date] != row.Users {
				t.Errorf("chart at %s = %d/%d/%d, API %d/%d/%d", row.Date, chart["raw"][row.Date], chart["identified"][row.Date],
					chart["users"][row.Date], row.Raw, row.Identified, row.Users)
			}
			if row.Raw > 0 {
				nonZero++
			}
		}
		if nonZero == 0 || len(chart["raw"]) != 14 {
			t.Errorf("chart has %d days, %d with actions; want 14 days, some non-empty", len(chart["raw"]), nonZero)
		}
		// By action type, the seed's names label the rows.
		step(t, ctx, "aggregate by action type", chromedp.Navigate(pathFor(base, "/ui/sources/"+strconv.FormatInt(w.setID, 10),
			url.Values{"from": {from}, "to": {to}, "gran": {"DAILY"}, "agg": {"ACTION_TYPE"}})), chromedp.WaitVisible("#chart svg"))
		body := eval[string](t, ctx, `document.querySelector("#report-table").textContent`)
		if !strings.Contains(body, "下单量") || !strings.Contains(body, "销售线索量") {
			t.Errorf("ACTION_TYPE table lacks 下单量/销售线索量: %.300s", body)
		}
	})

	t.Run("ads and diagnostics charts are not empty", func(t *testing.T) {
		for _, page := range []string{"/ui/ads", "/ui/diagnostics"} {
			step(t, ctx, "open "+page, chromedp.Navigate(base+page), chromedp.WaitVisible("#chart svg"))
			if sum := eval[int](t, ctx, `Array.from(document.querySelectorAll("#chart circle[data-value]")).reduce((s, c) => s + Number(c.dataset.value), 0)`); sum == 0 {
				t.Errorf("%s: the chart's points add up to 0", page)
			}
			screenshot(t, ctx, shots, strings.ReplaceAll(strings.TrimPrefix(page, "/ui/"), "/", "-")+".png")
		}
	})

	t.Run("narrow screen has no sideways scroll", func(t *testing.T) {
		step(t, ctx, "emulate 375 px", chromedp.EmulateViewport(375, 800))
		defer step(t, ctx, "back to 1440 px", chromedp.EmulateViewport(1440, 900))
		for _, page := range []string{"/ui/sources", "/ui/sources/" + strconv.FormatInt(w.setID, 10), "/ui/ads", "/ui/diagnostics",
			"/ui/live", "/ui/explorer?route=actions_add", "/ui/errcodes?q=40164"} {
			step(t, ctx, "open "+page, chromedp.Navigate(base+page), chromedp.WaitVisible("main h1"))
			if overflow := eval[int](t, ctx, `document.documentElement.scrollWidth - window.innerWidth`); overflow > 0 {
				t.Errorf("%s at 375 px is %d px wider than the screen", page, overflow)
			}
		}
		step(t, ctx, "open the report", chromedp.Navigate(base+"/ui/sources/"+strconv.FormatInt(w.setID, 10)), chromedp.WaitVisible("#chart svg"))
		screenshot(t, ctx, shots, "report-375.png")
	})

	t.Run("explorer sends a call and shows its curl", func(t *testing.T) {
		step(t, ctx, "open the explorer", chromedp.Navigate(base+"/ui/explorer?route=sets_get"), chromedp.WaitVisible("#send"),
			chromedp.Click("#send"), chromedp.WaitVisible("#curl"))
		screenshot(t, ctx, shots, "explorer.png")
		curl := eval[string](t, ctx, `document.querySelector("#curl").textContent`)
		wantPrefix := "curl '" + base + "/marketing/user_action_sets/get?"
		if !strings.HasPrefix(curl, wantPrefix) || !strings.Contains(curl, "user_action_set_id="+strconv.FormatInt(w.setID, 10)) ||
			!strings.Contains(curl, "access_token=") {
			t.Errorf("curl = %q, want %q… with the set id and a token", curl, wantPrefix)
		}
		if code := eval[string](t, ctx, `document.querySelector("#result-code").textContent`); code != "0" {
			t.Errorf("errcode shown %q, want 0", code)
		}
		if resp := eval[string](t, ctx, `document.querySelector("#response").textContent`); !strings.Contains(resp, "Demo Advertiser conversions") {
			t.Errorf("response lacks the data source: %.300s", resp)
		}
		// A refused call is explained from the registry.
		step(t, ctx, "open report_get", chromedp.Navigate(base+"/ui/explorer?route=report_get"), chromedp.WaitVisible("#p-date_range"))
		eval[bool](t, ctx, `(() => { document.querySelector("#p-date_range").value = ""; return true })()`)
		step(t, ctx, "send it without date_range", chromedp.Click("#send"), chromedp.WaitVisible("#result-code"))
		if code := eval[string](t, ctx, `document.querySelector("#result-code").textContent`); code == "0" || code == "" {
			t.Errorf("a call without date_range showed errcode %q", code)
		}
		if n := eval[int](t, ctx, `document.querySelectorAll("#result .explain").length`); n == 0 {
			t.Error("the refused call's errcode is not explained")
		}
	})

	t.Run("live events follow a new call and expand to its verdicts", func(t *testing.T) {
		step(t, ctx, "open live events", chromedp.Navigate(base+"/ui/live"), chromedp.WaitVisible("#live-form"))
		if n := eval[int](t, ctx, `document.querySelectorAll("#live details").length`); n == 0 {
			t.Fatal("the seeded uploads are not listed")
		}
		// An upload whose action_time is in milliseconds, sent while the page is open.
		rid := fmt.Sprintf("browser-live-%d", time.Now().UnixNano())
		body := map[string]any{"actions": []map[string]any{{"user_action_set_id": w.setID, "url": "https://shop.example.com/x",
			"action_time": time.Now().UnixMilli(), "action_type": "COMPLETE_ORDER",
			"user_id":      map[string]any{"wechat_app_id": w.appid, "wechat_openid": "oLiveUser0000000000000000001"},
			"action_param": map[string]any{"source": "Biz", "claim_type": 0}}}}
		env := w.raw("POST", "/marketing/user_actions/add?access_token="+url.QueryEscape(w.token(w.appid, w.secret)), rid, body)
		if env.Errcode != 18003 {
			t.Fatalf("the millisecond upload got errcode %d, want 18003", env.Errcode)
		}
		sel := fmt.Sprintf(`#live details[data-request-id=%q]`, rid)
		waitFor(t, ctx, "the new call on the page (no reload)", fmt.Sprintf(`document.querySelector(%q)`, sel))
		step(t, ctx, "expand it", chromedp.Click(sel+" summary"), chromedp.WaitVisible(sel+" table.verdicts"))
		screenshot(t, ctx, shots, "live.png")
		verdict := eval[string](t, ctx, fmt.Sprintf(`document.querySelector(%q).textContent`, sel+" table.verdicts"))
		if !strings.Contains(verdict, "refused") || !strings.Contains(verdict, "18003") {
			t.Errorf("verdicts = %.400s, want the action refused with 18003", verdict)
		}
		explained := eval[string](t, ctx, fmt.Sprintf(`document.querySelector(%q).textContent`, sel))
		if !strings.Contains(explained, "millisecond") && !strings.Contains(explained, "毫秒") {
			t.Errorf("the entry does not say the time looks like milliseconds: %.600s", explained)
		}
		// The errcode filter keeps only matching calls.
		step(t, ctx, "filter by 18003", chromedp.Navigate(base+"/ui/live?errcode=18003"), chromedp.WaitVisible("#live"))
		if codes := eval[[]string](t, ctx, `Array.from(document.querySelectorAll("#live details")).map(d => d.dataset.errcode)`); len(codes) == 0 || slices.ContainsFunc(codes, func(c string) bool { return c != "18003" }) {
			t.Errorf("filtered list shows errcodes %v", codes)
		}
	})

	t.Run("language toggle is remembered", func(t *testing.T) {
		step(t, ctx, "open sources", chromedp.Navigate(base+"/ui/sources"), chromedp.WaitVisible("#lang-toggle"))
		before := eval[string](t, ctx, `document.querySelector("main h1").textContent`)
		step(t, ctx, "toggle", chromedp.Click("#lang-toggle"))
		waitFor(t, ctx, "the other language", fmt.Sprintf(`document.querySelector("main h1") && document.querySelector("main h1").textContent !== %q`, before))
		after := eval[string](t, ctx, `document.querySelector("main h1").textContent`)
		step(t, ctx, "reload", chromedp.Navigate(base+"/ui/sources"), chromedp.WaitVisible("main h1"))
		if again := eval[string](t, ctx, `document.querySelector("main h1").textContent`); again != after {
			t.Errorf("after reload the heading is %q, want %q (language not remembered)", again, after)
		}
		if (before == "数据源") == (after == "数据源") || (before != "Data sources" && after != "Data sources") {
			t.Errorf("toggle went %q → %q, want 数据源 ↔ Data sources", before, after)
		}
		screenshot(t, ctx, shots, "sources-other-language.png")
	})

	t.Run("another advertiser's report is not reachable", func(t *testing.T) {
		step(t, ctx, "tamper with the URL", chromedp.Navigate(base+"/ui/sources/"+strconv.FormatInt(w.other.setID, 10)),
			chromedp.WaitVisible("#error-message"))
		if body := eval[string](t, ctx, `document.body.textContent`); strings.Contains(body, "Other Advertiser") {
			t.Error("the error page reveals the other advertiser")
		}
	})

	t.Run("a form without its CSRF token is refused", func(t *testing.T) {
		step(t, ctx, "open the explorer", chromedp.Navigate(base+"/ui/explorer?route=sets_get"), chromedp.WaitVisible("#send"))
		eval[bool](t, ctx, `(() => { document.querySelector('#explorer-form input[name=csrf]').remove(); return true })()`)
		step(t, ctx, "submit", chromedp.Click("#send"), chromedp.WaitVisible("#error-message"))
		if h := eval[string](t, ctx, `document.querySelector(".error h1").textContent`); h != "403" {
			t.Errorf("submitting without CSRF showed %q, want 403", h)
		}
	})
}

func itoa(v int64) string { return strconv.FormatInt(v, 10) }
