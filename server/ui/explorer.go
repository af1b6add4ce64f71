package ui

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"

	"github.com/wxads/wxads"
	"github.com/wxads/wxads/errcode"
)

type explorerField struct {
	param
	Value string
}

type explorerResult struct {
	Curl    string
	Status  int
	Body    string
	Code    int
	HasCode bool
	Entries []errcode.Entry
	Hint    string
	Error   string // why the call was not sent
}

type explorerData struct {
	Endpoints []endpoint
	Endpoint  *endpoint
	Fields    []explorerField
	Raw       string
	AsApp     string
	Result    *explorerResult
}

// visible reports whether the session may use e: admin routes are for the
// operator only.
func visible(c *ctx, e *endpoint) bool { return e.Auth != "admin" || c.s.admin }

// examples fills an example's placeholders from the session.
func (u *UI) examples(r *http.Request, c *ctx, appid string) *strings.Replacer {
	now := u.cfg.Clock.Now()
	var set string
	if c.account != 0 {
		if sets, err := u.cfg.Stores.ActionSets(r.Context(), c.account, wxads.ActionSetFilter{}); err == nil && len(sets) > 0 {
			set = itoa(sets[0].ID)
		}
	}
	account := ""
	if c.account != 0 {
		account = itoa(c.account)
	}
	return strings.NewReplacer("{appid}", appid, "{set}", set, "{account}", account,
		"{now}", itoa(now.Unix()), "{today}", now.In(wxads.CST).Format(wxads.DateLayout),
		"{week_ago}", now.In(wxads.CST).AddDate(0, 0, -6).Format(wxads.DateLayout))
}

func (u *UI) explorerData(r *http.Request, c *ctx, id string, fromForm bool) (*explorerData, error) {
	d := &explorerData{AsApp: c.s.appid}
	for _, e := range endpoints {
		if visible(c, &e) {
			d.Endpoints = append(d.Endpoints, e)
		}
	}
	if id == "" {
		id = "report_get"
	}
	d.Endpoint = endpointByID(id)
	if d.Endpoint == nil || !visible(c, d.Endpoint) {
		return nil, errNotFound
	}
	if c.s.admin {
		d.AsApp = strings.TrimSpace(r.FormValue("as_app"))
	}
	fill := u.examples(r, c, d.AsApp)
	for _, p := range d.Endpoint.Params {
		f := explorerField{param: p, Value: fill.Replace(p.Example)}
		if fromForm {
			f.Value = r.PostFormValue("p." + p.Name)
		}
		d.Fields = append(d.Fields, f)
	}
	d.Raw = fill.Replace(d.Endpoint.BodyHint)
	if fromForm {
		d.Raw = r.PostFormValue("raw")
	}
	return d, nil
}

// explorerPage shows the form of one endpoint (?route=ID).
func (u *UI) explorerPage(w http.ResponseWriter, r *http.Request, c *ctx) error {
	d, err := u.explorerData(r, c, r.URL.Query().Get("route"), false)
	if err != nil {
		return err
	}
	return u.render(w, r, c, http.StatusOK, "explorer", "explorer_title", d)
}

// explorerSend sends the form's call through the API in-process, as the
// signed-in app (a stable token, which no other client of the app loses)
// or, for admin routes, with the admin token.
func (u *UI) explorerSend(w http.ResponseWriter, r *http.Request, c *ctx) error {
	d, err := u.explorerData(r, c, r.PostFormValue("route"), true)
	if err != nil {
		return err
	}
	d.Result = u.send(r, c, d)
	return u.render(w, r, c, http.StatusOK, "explorer", "explorer_title", d)
}

func (u *UI) send(r *http.Request, c *ctx, d *explorerData) *explorerResult {
	e := d.Endpoint
	res := &explorerResult{}
	path := e.Path
	query := url.Values{}
	body := map[string]any{}
	for _, f := range d.Fields {
		if f.Value == "" {
			continue
		}
		switch f.In {
		case "path":
			path = strings.ReplaceAll(path, "{"+f.Name+"}", url.PathEscape(f.Value))
		case "query":
			query.Set(f.Name, f.Value)
		case "body":
			v, err := typed(f.Kind, f.Value)
			if err != nil {
				res.Error = fmt.Sprintf("%s: %v", f.Name, err)
				return res
			}
			body[f.Name] = v
		}
	}
	var payload []byte
	switch {
	case strings.TrimSpace(d.Raw) != "":
		payload = []byte(d.Raw)
	case e.Method != http.MethodGet && (len(body) > 0 || e.Method == http.MethodPost):
		payload, _ = json.Marshal(body)
	}
	header := http.Header{}
	curlAuth := ""
	switch e.Auth {
	case "token", "v11":
		if d.AsApp == "" {
			res.Error = c.lang.T("as_app")
			return res
		}
		tok, err := u.cfg.Token(r.Context(), d.AsApp)
		if err != nil {
			res.Error = fmt.Sprintf("access_token: %v", err)
			return res
		}
		query.Set("access_token", tok)
		if e.Auth == "v11" {
			var n [8]byte
			rand.Read(n[:])
			query.Set("timestamp", itoa(u.cfg.Clock.Now().Unix()))
			query.Set("nonce", hex.EncodeToString(n[:]))
		}
	case "admin":
		header.Set("Authorization", "Bearer "+u.cfg.AdminToken)
		curlAuth = `-H "Authorization: Bearer $WXADS_ADMIN_TOKEN" `
	}
	target := path
	if len(query) > 0 {
		target += "?" + query.Encode()
	}
	req, err := http.NewRequestWithContext(r.Context(), e.Method, target, bytes.NewReader(payload))
	if err != nil {
		res.Error = err.Error()
		return res
	}
	req.Header = header
	if payload != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	req.RemoteAddr = r.RemoteAddr // the whitelist sees the browser's address, as it would see curl's
	req.Host = r.Host
	rec := httptest.NewRecorder()
	u.cfg.API.ServeHTTP(rec, req)
	res.Status = rec.Code
	res.Body = pretty(rec.Body.Bytes())
	res.Curl = curlCommand(baseURL(r), e.Method, target, curlAuth, payload)
	res.explain(rec.Body.Bytes())
	return res
}

// explain finds the envelope's code and looks it up in the registry.
func (res *explorerResult) explain(body []byte) {
	var env struct {
		Errcode *int `json:"errcode"`
		Code    *int `json:"code"`
	}
	if json.Unmarshal(body, &env) != nil {
		return
	}
	code := env.Errcode
	if code == nil {
		code = env.Code
	}
	if code == nil {
		return
	}
	res.Code, res.HasCode = *code, true
	if *code != 0 {
		res.Entries = errcode.Lookup(*code)
		res.Hint = errcode.Hint(*code)
	}
}

// typed converts a form field to the JSON value its kind names.
func typed(kind, v string) (any, error) {
	switch kind {
	case "int":
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			return nil, fmt.Errorf("%q is not an integer", v)
		}
		return n, nil
	case "bool":
		b, err := strconv.ParseBool(v)
		if err != nil {
			return nil, fmt.Errorf("%q is not true or false", v)
		}
		return b, nil
	case "json":
		var x any
		if err := json.Unmarshal([]byte(v), &x); err != nil {
			return nil, fmt.Errorf("not valid JSON: %v", err)
		}
		return x, nil
	}
	return v, nil
}

func pretty(b []byte) string {
	var out bytes.Buffer
	if json.Indent(&out, b, "", "  ") != nil {
		return string(b)
	}
	return out.String()
}

func baseURL(r *http.Request) string {
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	return scheme + "://" + r.Host
}

// curlCommand writes the call as a shell command one can paste.
func curlCommand(base, method, target, auth string, body []byte) string {
	var b strings.Builder
	b.WriteString("curl ")
	if method != http.MethodGet {
		b.WriteString("-X " + method + " ")
	}
	b.WriteString(auth)
	b.WriteString(shellQuote(base + target))
	if body != nil {
		b.WriteString(" \\\n  -H 'Content-Type: application/json' \\\n  -d " + shellQuote(string(body)))
	}
	return b.String()
}

func shellQuote(s string) string { return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'" }
