// Package bench drives a wxads server with user_actions/add (and token and
// report) load and measures it against two ceilings run in the same
// process: a naive HTTP server that only decodes (BaselineHTTP) and the
// same rows written straight into a fresh SQLite store (BaselineStore).
// `wxads bench` and bench/loadgen are its command lines; on a shared
// machine only the ratios of one run mean anything (docs/performance.md).
package bench

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"time"
)

// Target is what the load is sent to: a server and the data source the
// setup created on it.
type Target struct {
	Base      string
	AccountID int64
	AppID     string
	Secret    string
	Token     string
	Set       int64
}

// Users is how many distinct openids the batches name; the first half are
// registered followers, so identification, attribution look-ups and
// distinct-user rollups do real work.
const Users = 100000

// OpenID is user u's openid: 28 characters starting with 'o'.
func OpenID(u int) string { return fmt.Sprintf("oLoadGen%020d", u) }

// Setup creates an advertiser, app, data source and Users/2 followers over
// the admin API of the server at base.
func Setup(client *http.Client, base, admin string) (Target, error) {
	var adv struct {
		Data struct {
			AccountID int64 `json:"account_id"`
		}
	}
	if err := callJSON(client, "POST", base+"/admin/v1/advertisers", admin, map[string]any{"name": "bench"}, &adv); err != nil {
		return Target{}, err
	}
	var app struct {
		Data struct{ AppID, Secret string }
	}
	if err := callJSON(client, "POST", base+"/admin/v1/apps", admin,
		map[string]any{"account_id": adv.Data.AccountID, "name": "bench"}, &app); err != nil {
		return Target{}, err
	}
	t := Target{Base: base, AccountID: adv.Data.AccountID, AppID: app.Data.AppID, Secret: app.Data.Secret}
	var tok struct {
		AccessToken string `json:"access_token"`
	}
	if err := callJSON(client, "GET", t.tokenURL(), "", nil, &tok); err != nil {
		return t, err
	}
	t.Token = tok.AccessToken
	var set struct {
		Errcode int
		Errmsg  string
		Data    struct {
			ID int64 `json:"user_action_set_id"`
		}
	}
	if err := callJSON(client, "POST", base+"/marketing/user_action_sets/add?access_token="+t.Token, "",
		map[string]any{"type": "WECHAT", "name": fmt.Sprint("bench-", time.Now().UnixNano()), "wechat_app_id": t.AppID}, &set); err != nil {
		return t, err
	}
	if set.Errcode != 0 {
		return t, fmt.Errorf("create data source: errcode %d %s", set.Errcode, set.Errmsg)
	}
	t.Set = set.Data.ID
	for lo := 0; lo < Users/2; lo += 10000 {
		openids := make([]string, 0, 10000)
		for u := lo; u < min(lo+10000, Users/2); u++ {
			openids = append(openids, OpenID(u))
		}
		var f struct{ Errcode int }
		if err := callJSON(client, "POST", base+"/admin/v1/apps/"+t.AppID+"/followers", admin,
			map[string]any{"openids": openids}, &f); err != nil {
			return t, err
		}
	}
	return t, nil
}

func (t Target) tokenURL() string {
	return fmt.Sprintf("%s/cgi-bin/token?grant_type=client_credential&appid=%s&secret=%s", t.Base, t.AppID, t.Secret)
}

// Batch is a user_actions/add body of size actions for set, each with an
// outer_action_id unique to (run, worker, n, i) and an openid spread over
// Users.
func Batch(set int64, appid string, run int64, worker, n, size int) []byte {
	var buf bytes.Buffer
	buf.WriteString(`{"actions":[`)
	now := time.Now().Unix()
	for i := range size {
		if i > 0 {
			buf.WriteByte(',')
		}
		fmt.Fprintf(&buf, `{"user_action_set_id":%d,"url":"https://shop.example.com/item?id=%d","action_time":%d,`+
			`"action_type":"COMPLETE_ORDER","outer_action_id":"lg_%d_%d_%d_%d",`+
			`"user_id":{"wechat_app_id":"%s","wechat_openid":"%s"},`+
			`"action_param":{"source":"Biz","claim_type":1,"value":%d,"product_id":"sku-%d","price":12.345,"tags":["a","b"]}}`,
			set, i, now-int64(i), run, worker, n, i, appid, OpenID((worker*1000003+n*50+i)*7919%Users), 1000+i, i)
	}
	buf.WriteString(`]}`)
	return buf.Bytes()
}

func callJSON(client *http.Client, method, url, bearer string, body, out any) error {
	var rd io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequest(method, url, rd)
	if err != nil {
		return err
	}
	if bearer != "" {
		req.Header.Set("Authorization", "Bearer "+bearer)
	}
	resp, err := client.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("%s %s: HTTP %d %s", method, url, resp.StatusCode, raw)
	}
	return json.Unmarshal(raw, out)
}
