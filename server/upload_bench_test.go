package server_test

import (
	"bytes"
	"fmt"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"
)

// BenchmarkUpload measures user_actions/add through the HTTP handler (no
// network): decode, validate, auth, group commit. One op is one action.
//
//	go test -run '^$' -bench Upload -benchtime 100000x ./server/
func BenchmarkUpload(b *testing.B) {
	h := newHarness(b)
	tn := h.newTenant()
	set := h.newSet(tn, "bench")
	openids := h.followers(tn.AppID, 1000)
	handler := h.srv.Config.Handler
	url := "/marketing/user_actions/add?access_token=" + tn.Token
	var seq atomic.Int64
	now := h.clock.Now().Unix()
	body := func() []byte {
		var buf bytes.Buffer
		n := seq.Add(1)
		buf.WriteString(`{"actions":[`)
		for i := range 50 {
			if i > 0 {
				buf.WriteByte(',')
			}
			fmt.Fprintf(&buf, `{"user_action_set_id":%d,"url":"https://shop.example.com/item?id=%d","action_time":%d,`+
				`"action_type":"COMPLETE_ORDER","outer_action_id":"b%d_%d","user_id":{"wechat_app_id":"%s","wechat_openid":"%s"},`+
				`"action_param":{"source":"Biz","claim_type":1,"value":%d,"product_id":"sku-%d","price":12.345,"tags":["a","b"]}}`,
				set, i, now-int64(i), n, i, tn.AppID, openids[(int(n)*50+i)%len(openids)], 1000+i, i)
		}
		buf.WriteString(`]}`)
		return buf.Bytes()
	}
	b.SetParallelism(8)
	b.ResetTimer()
	start := time.Now()
	var actions atomic.Int64
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			req := httptest.NewRequest("POST", url, bytes.NewReader(body()))
			rec := httptest.NewRecorder()
			handler.ServeHTTP(rec, req)
			if rec.Code != http.StatusOK || !bytes.Equal(rec.Body.Bytes(), []byte(`{"errcode":0,"errmsg":""}`)) {
				b.Fatalf("upload: %d %s", rec.Code, rec.Body)
			}
			actions.Add(50)
		}
	})
	b.ReportMetric(float64(actions.Load())/time.Since(start).Seconds(), "actions/s")
}
