package bench

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"sync"
	"time"
)

// Load is one timed run: Clients goroutines each sending one request at a
// time for Duration.
type Load struct {
	// Mode is "upload", "token", "report" (uploads plus ReportClients
	// reading reports) or "templates" (GET /v1.1/adcreative_templates/get).
	Mode     string
	Clients  int
	Batch    int // actions per upload request (1–50)
	Duration time.Duration
	// ReportClients read HOURLY ACTION_TYPE reports during a "report" run:
	// of the run's own data source over its last two days, or of Reports
	// when set (an existing data source, e.g. one holding 10 M actions).
	ReportClients int
	Reports       *ReportTarget
	// Run makes this run's outer_action_ids distinct from any earlier run's.
	Run int64
}

// Result is what a run measured. Actions counts only acknowledged ones
// (errcode 0).
type Result struct {
	Elapsed          time.Duration
	Requests         int64
	Actions          int64
	Errors           map[string]int64 // "errcode N", "HTTP N" or "transport"
	Latency          Percentiles
	ReportLatency    Percentiles // "report" mode only
	Reports          int64
	ActionsPerSecond float64
}

// Percentiles of request latency.
type Percentiles struct{ P50, P90, P99, Max time.Duration }

func percentiles(d []time.Duration) Percentiles {
	if len(d) == 0 {
		return Percentiles{}
	}
	slices.Sort(d)
	at := func(p float64) time.Duration { return d[int(float64(len(d)-1)*p)] }
	return Percentiles{at(.5), at(.9), at(.99), d[len(d)-1]}
}

func (p Percentiles) String() string {
	r := func(d time.Duration) time.Duration { return d.Round(10 * time.Microsecond) }
	return fmt.Sprintf("p50=%s p90=%s p99=%s max=%s", r(p.P50), r(p.P90), r(p.P99), r(p.Max))
}

// NewClient is an HTTP client keeping one idle connection per load client.
func NewClient(clients int) *http.Client {
	return &http.Client{Timeout: 30 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: clients + 4}}
}

// Drive runs l against t.
func Drive(ctx context.Context, client *http.Client, t Target, l Load) Result {
	ctx, cancel := context.WithTimeout(ctx, l.Duration)
	defer cancel()
	var mu sync.Mutex
	res := Result{Errors: map[string]int64{}}
	var lat, reportLat []time.Duration
	worker := func(w int, report bool) {
		var local []time.Duration
		var requests, actions, reports int64
		errs := map[string]int64{}
		for n := 0; ctx.Err() == nil; n++ {
			var method, u string
			var body []byte
			acked := 0
			switch {
			case report:
				method, u = "GET", l.Reports.url(t)
			case l.Mode == "token":
				method, u = "GET", t.tokenURL()
			case l.Mode == "templates":
				method, u = "GET", t.templatesURL(l.Run, w, n)
			default:
				method, u = "POST", t.Base+"/marketing/user_actions/add?version=v1.0&access_token="+t.Token
				body, acked = Batch(t.Set, t.AppID, l.Run, w, n, l.Batch), l.Batch
			}
			code, took := call(client, method, u, body)
			if ctx.Err() != nil && code == "transport" {
				break // cut off by the end of the run, not a server failure
			}
			local = append(local, took)
			if report {
				reports++
			} else {
				requests++
			}
			if code != "" {
				errs[code]++
			} else {
				actions += int64(acked)
			}
		}
		mu.Lock()
		defer mu.Unlock()
		if report {
			reportLat = append(reportLat, local...)
			res.Reports += reports
		} else {
			lat = append(lat, local...)
			res.Requests += requests
			res.Actions += actions
		}
		for k, v := range errs {
			res.Errors[k] += v
		}
	}
	start := time.Now()
	var wg sync.WaitGroup
	for w := range l.Clients {
		wg.Go(func() { worker(w, false) })
	}
	if l.Mode == "report" {
		for w := range max(l.ReportClients, 1) {
			wg.Go(func() { worker(l.Clients+w, true) })
		}
	}
	wg.Wait()
	res.Elapsed = time.Since(start)
	res.Latency, res.ReportLatency = percentiles(lat), percentiles(reportLat)
	res.ActionsPerSecond = float64(res.Actions) / res.Elapsed.Seconds()
	return res
}

// call sends one request and returns "" when it succeeded (HTTP 200,
// errcode 0), else what went wrong.
//
// took is the latency: from sending the request to having read the whole
// response, as load tools measure it. Checking the envelope comes after:
// decoding a 4 320-row report's 0.5 MB took the client milliseconds of CPU
// that were counted as the server's report latency before (issue 14).
func call(client *http.Client, method, u string, body []byte) (code string, took time.Duration) {
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	req, err := http.NewRequest(method, u, rd)
	if err != nil {
		return "transport", 0
	}
	req.Header.Set("Content-Type", "application/json")
	t0 := time.Now()
	resp, err := client.Do(req)
	if err != nil {
		return "transport", time.Since(t0)
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	took = time.Since(t0)
	if err != nil {
		return "transport", took
	}
	if resp.StatusCode != http.StatusOK {
		return fmt.Sprint("HTTP ", resp.StatusCode), took
	}
	return envelopeCode(raw), took
}

// envelopeCode is "" for a success envelope, else what failed.
func envelopeCode(raw []byte) string {
	// The WeChat envelope carries errcode, the Tencent one (v1.1) code.
	var env struct{ Errcode, Code int }
	if json.Unmarshal(raw, &env) != nil {
		return "bad JSON"
	}
	if env.Errcode != 0 {
		return fmt.Sprint("errcode ", env.Errcode)
	}
	if env.Code != 0 {
		return fmt.Sprint("code ", env.Code)
	}
	return ""
}

// gmt8 is the time zone reports count days and hours in (SPEC §6.4).
var gmt8 = time.FixedZone("GMT+8", 8*3600)

// ReportTarget is a data source the report clients read instead of the
// run's own: its set, a token of its app, the days to ask for (HOURLY
// allows at most 31) and the report's shape.
type ReportTarget struct {
	Set         int64
	Token       string
	End         time.Time // the last day asked for (GMT+8)
	Days        int
	Granularity string // HOURLY (default) or DAILY
	Aggregation string // ACTION_TYPE (default), DOMAIN or NONE (no aggregation)
}

// url is the report the clients of a "report" run ask for.
func (r *ReportTarget) url(t Target) string {
	if r == nil {
		return t.reportURL("HOURLY", "ACTION_TYPE")
	}
	end := r.End.In(gmt8)
	dr := fmt.Sprintf(`{"start_date":"%s","end_date":"%s"}`, end.AddDate(0, 0, 1-max(r.Days, 1)).Format(time.DateOnly),
		end.Format(time.DateOnly))
	gran, agg := cmp.Or(r.Granularity, "HOURLY"), cmp.Or(r.Aggregation, "ACTION_TYPE")
	q := url.Values{"access_token": {r.Token}, "user_action_set_id": {fmt.Sprint(r.Set)}, "date_range": {dr},
		"time_granularity": {gran}}
	if agg != "NONE" {
		q.Set("aggregation", agg)
	}
	return t.Base + "/marketing/user_action_set_reports/get?" + q.Encode()
}

// reportURL asks for the last two days of t's data source, which holds
// every action a run sends (action_time is now minus at most 49 s).
func (t Target) reportURL(granularity, aggregation string) string {
	now := time.Now().In(gmt8)
	dr := fmt.Sprintf(`{"start_date":"%s","end_date":"%s"}`, now.AddDate(0, 0, -1).Format(time.DateOnly), now.Format(time.DateOnly))
	q := url.Values{"access_token": {t.Token}, "user_action_set_id": {fmt.Sprint(t.Set)},
		"date_range": {dr}, "time_granularity": {granularity}}
	if aggregation != "" {
		q.Set("aggregation", aggregation)
	}
	return t.Base + "/marketing/user_action_set_reports/get?" + q.Encode()
}

// RawCount sums raw_action_count over t's report: after a run it must equal
// the actions acknowledged over all runs against t.
func RawCount(client *http.Client, t Target) (int64, error) {
	var out struct {
		Errcode int
		Errmsg  string
		Data    struct {
			List []struct {
				Raw int64 `json:"raw_action_count"`
			}
		}
	}
	if err := callJSON(client, "GET", t.reportURL("DAILY", ""), "", nil, &out); err != nil {
		return 0, err
	}
	if out.Errcode != 0 {
		return 0, fmt.Errorf("report: errcode %d %s", out.Errcode, out.Errmsg)
	}
	var n int64
	for _, r := range out.Data.List {
		n += r.Raw
	}
	return n, nil
}
