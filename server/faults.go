package server

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/wxads/wxads"
	"github.com/wxads/wxads/errcode"
)

// FaultRule makes matching API calls fail (SPEC §12), so a client's retry
// logic meets the platform's real error shapes. Rules live in memory on
// the node that received PUT /admin/v1/faults: behind a load balancer, set
// them on every node.
type FaultRule struct {
	Route      string  `json:"route"`       // "POST /marketing/user_actions/add", or a path for any method; "" any route
	Errcode    int     `json:"errcode"`     // the code answered; 0 with http_status set: -1
	HTTPStatus int     `json:"http_status"` // 0: 200, as the platform answers its refusals
	DelayMS    int     `json:"delay_ms"`    // wait before answering; alone, a slow but normal call
	Rate       float64 `json:"rate"`        // fraction of matching calls faulted at random; 0: all
	Count      int     `json:"count"`       // fault only the next count calls; 0: no limit
	AppID      string  `json:"appid"`       // only this app's calls; "" any app
	// AccountID: only calls acting for this advertiser — with a token of one
	// of its apps, or an OAuth token it granted (which has no app); 0 any.
	AccountID int64 `json:"account_id"`
	Hits      int64 `json:"hits"` // faults given so far (read only)
}

// maxFaultDelay bounds delay_ms: a longer one would outlast any client's timeout anyway.
const maxFaultDelay = 120_000

// faultSet is the node's rules; the zero value has none.
type faultSet struct {
	mu     sync.Mutex
	rules  []FaultRule
	routes map[string]bool // "METHOD /path" of every route that can be faulted
}

// faulted wraps a route's handler with the fault check. For routes behind
// authed it runs after the token check, so a rule can name the caller's
// appid or advertiser.
func (s *Server) faulted(method, pattern string, a api, h handler) handler {
	if s.faults.routes == nil {
		s.faults.routes = map[string]bool{}
	}
	route := method + " " + pattern
	s.faults.routes[route] = true
	return func(w http.ResponseWriter, r *http.Request) error {
		var who faultCaller
		if s.faults.wantsCaller(route, pattern) {
			who = callerOfFault(r)
		}
		f, delay := s.faults.pick(route, pattern, who)
		if delay > 0 {
			t := time.NewTimer(delay)
			select {
			case <-t.C:
			case <-r.Context().Done():
				t.Stop()
				return nil // the caller is gone
			}
		}
		if f == nil {
			return h(w, r)
		}
		s.writeFault(w, r, a, f)
		return nil
	}
}

// faultCaller is who a call acts for, as far as a rule can name it.
type faultCaller struct {
	appid   string
	account int64
}

// callerOfFault is the calling app and advertiser after authed (an OAuth
// token has an advertiser but no app), else the appid of a token call, in
// the query or the stable_token body. The body read is put back for the
// handler.
func callerOfFault(r *http.Request) faultCaller {
	if c, ok := r.Context().Value(callerKey{}).(*caller); ok {
		who := faultCaller{account: c.adv.ID}
		if c.app != nil {
			who.appid = c.app.AppID
		}
		return who
	}
	return faultCaller{appid: tokenCallAppID(r)}
}

func tokenCallAppID(r *http.Request) string {
	if id := r.URL.Query().Get("appid"); id != "" || r.Body == nil || r.Method != http.MethodPost {
		return id
	}
	head, _ := io.ReadAll(io.LimitReader(r.Body, 4096))
	r.Body = readCloser{io.MultiReader(bytes.NewReader(head), r.Body), r.Body}
	var v struct {
		AppID string `json:"appid"`
	}
	json.Unmarshal(head, &v)
	return v.AppID
}

type readCloser struct {
	io.Reader
	io.Closer
}

// pick walks the rules in order: a delay-only rule that fires adds its delay
// and the walk goes on; the first failing rule that fires is the answer.
func (fs *faultSet) pick(route, path string, who faultCaller) (*FaultRule, time.Duration) {
	fs.mu.Lock()
	defer fs.mu.Unlock()
	var delay time.Duration
	for i := range fs.rules {
		f := &fs.rules[i]
		if !f.matches(route, path) || f.AppID != "" && f.AppID != who.appid || f.AccountID != 0 && f.AccountID != who.account {
			continue
		}
		if f.Count > 0 && f.Hits >= int64(f.Count) || f.Rate > 0 && rand.Float64() >= f.Rate {
			continue
		}
		f.Hits++
		delay += time.Duration(f.DelayMS) * time.Millisecond
		if f.Errcode != 0 || f.HTTPStatus != 0 {
			c := *f
			return &c, delay
		}
	}
	return nil, delay
}

func (f *FaultRule) matches(route, path string) bool {
	return f.Route == "" || f.Route == route || f.Route == path
}

// wantsCaller reports whether a rule for the route names an app or an
// advertiser: only then is the caller worth finding.
func (fs *faultSet) wantsCaller(route, path string) bool {
	fs.mu.Lock()
	defer fs.mu.Unlock()
	for i := range fs.rules {
		if (fs.rules[i].AppID != "" || fs.rules[i].AccountID != 0) && fs.rules[i].matches(route, path) {
			return true
		}
	}
	return false
}

// writeFault answers like the platform would, in the route's envelope,
// marked as injected so nobody mistakes it for a real outage.
func (s *Server) writeFault(w http.ResponseWriter, r *http.Request, a api, f *FaultRule) {
	status := f.HTTPStatus
	if status == 0 {
		status = http.StatusOK
	}
	en, cn := errcode.Format(f.Errcode)
	e := &wxads.Error{Code: f.Errcode, Message: en + " (fault injected by wxads)", MessageCN: cn + "（wxads 注入的故障）"}
	closeIfBodyUnread(w, r)
	recordFrom(r.Context()).fail(e, e.Message, e.MessageCN)
	w.Header().Set("X-Wxads-Fault", "1")
	if a == apiTencent {
		writeJSON(w, status, tencentEnvelope{Code: e.Code, Message: e.Message, MessageCN: e.MessageCN})
		return
	}
	writeJSON(w, status, wechatEnvelope{Errcode: e.Code, Errmsg: e.Message})
}

// checkFault validates rule i and fills its defaults.
func (fs *faultSet) checkFault(i int, f *FaultRule) error {
	p := func(name string) string { return fmt.Sprintf("rules[%d].%s", i, name) }
	if f.Route != "" && !fs.routes[f.Route] && !fs.hasPath(f.Route) {
		return wxads.Errorf(wxads.CodeNotInEnum, p("route"), strings.Join(fs.routeList(), ", "))
	}
	if f.HTTPStatus != 0 && (f.HTTPStatus < 400 || f.HTTPStatus > 599) {
		return wxads.Errorf(wxads.CodeNotInEnum, p("http_status"), "0 (200), 400-599")
	}
	if f.HTTPStatus != 0 && f.Errcode == 0 {
		f.Errcode = wxads.CodeSystemBusy
	}
	if f.Errcode != 0 && !errcode.Known(f.Errcode) {
		return wxads.Literal(wxads.CodeNotInEnum, fmt.Sprintf("%s: %d is not a platform error code (see `wxads errcode`)", p("errcode"), f.Errcode))
	}
	if f.Errcode == 0 && f.DelayMS == 0 {
		return wxads.Literal(wxads.CodeRequired, fmt.Sprintf("%s: a rule needs an errcode, an http_status or a delay_ms", p("errcode")))
	}
	if f.DelayMS < 0 || f.DelayMS > maxFaultDelay {
		return wxads.Literal(wxads.CodeNotInEnum, fmt.Sprintf("%s must be between 0 and %d", p("delay_ms"), maxFaultDelay))
	}
	if f.Rate < 0 || f.Rate > 1 {
		return wxads.Literal(wxads.CodeNotInEnum, fmt.Sprintf("%s must be between 0 and 1 (0: every call)", p("rate")))
	}
	if f.AccountID < 0 {
		return wxads.Errorf(wxads.CodeTooSmall, p("account_id"), "-1")
	}
	if f.Count < 0 {
		return wxads.Literal(wxads.CodeNotInEnum, fmt.Sprintf("%s must be 0 (no limit) or more", p("count")))
	}
	f.Hits = 0
	return nil
}

func (fs *faultSet) hasPath(path string) bool {
	for r := range fs.routes {
		if r[strings.IndexByte(r, ' ')+1:] == path {
			return true
		}
	}
	return false
}

func (fs *faultSet) routeList() []string {
	list := make([]string, 0, len(fs.routes))
	for r := range fs.routes {
		list = append(list, r)
	}
	sort.Strings(list)
	return list
}

func (fs *faultSet) set(rules []FaultRule) {
	fs.mu.Lock()
	fs.rules = rules
	fs.mu.Unlock()
}

func (fs *faultSet) list() []FaultRule {
	fs.mu.Lock()
	defer fs.mu.Unlock()
	return append([]FaultRule{}, fs.rules...)
}

// putFaults is PUT /admin/v1/faults: the rules replace the node's rules.
func (s *Server) putFaults(w http.ResponseWriter, r *http.Request) error {
	var req struct {
		Rules []FaultRule `json:"rules"`
	}
	if err := s.readObject(w, r, &req); err != nil {
		return err
	}
	if req.Rules == nil {
		return wxads.Errorf(wxads.CodeRequired, "rules")
	}
	for i := range req.Rules {
		if err := s.faults.checkFault(i, &req.Rules[i]); err != nil {
			return err
		}
	}
	s.faults.set(req.Rules)
	return writeData(w, apiWeChat, map[string]any{"rules": req.Rules})
}

// getFaults is GET /admin/v1/faults: the rules with their hit counts.
func (s *Server) getFaults(w http.ResponseWriter, r *http.Request) error {
	return writeData(w, apiWeChat, map[string]any{"rules": s.faults.list(), "routes": s.faults.routeList()})
}

// deleteFaults is DELETE /admin/v1/faults.
func (s *Server) deleteFaults(w http.ResponseWriter, r *http.Request) error {
	s.faults.set(nil)
	return writeData(w, apiWeChat, map[string]any{"rules": []FaultRule{}})
}

// FaultRules returns the node's rules with their hit counts (the dashboard's panel).
func (s *Server) FaultRules() []FaultRule { return s.faults.list() }
