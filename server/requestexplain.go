package server

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"net/url"
	"strings"
	"unicode/utf8"

	"github.com/wxads/wxads"
	"github.com/wxads/wxads/errcode"
)

// explain turns a request's record into what the inspector stores: the
// advertiser it belongs to, the query and body redacted and capped, the
// errcode explained and, for uploads, each action's verdict. ok is false
// when no advertiser can be named (a token call for an unknown appid).
func (in *inspector) explain(ctx context.Context, rec *record) (wxads.RequestRecord, bool) {
	account := rec.accountID
	if account == 0 {
		owner, err := in.owner(ctx, rec.appID)
		if err != nil || owner == 0 {
			return wxads.RequestRecord{}, false
		}
		account = owner
	}
	out := wxads.RequestRecord{
		AccountID: account, AppID: rec.appID, TimeMS: rec.at.UnixMilli(), Method: rec.method, Route: rec.route,
		RequestID: rec.requestID, HTTPStatus: rec.status, Errcode: rec.errcode, Errmsg: rec.errmsg,
		DurationMS: float64(rec.end.Sub(rec.start).Microseconds()) / 1000,
		Query:      redactQuery(rec.query), BodyBytes: len(rec.body), ActionCount: rec.actions,
		Body: capUTF8(redactBody(rec.body), wxads.RequestBodyCap),
	}
	var doc any
	if len(rec.body) > 0 && (rec.errcode != 0 || rec.upload != nil && len(rec.upload.failed) > 0) {
		d := json.NewDecoder(bytes.NewReader(rec.body))
		d.UseNumber()
		if d.Decode(&doc) != nil {
			doc = nil
		}
	}
	now := rec.at.Unix()
	if rec.errcode != 0 {
		out.Hint = errcode.Hint(rec.errcode)
		out.Explanation, out.ExplainCN = explainRequest(rec, doc, now)
	}
	if rec.upload != nil {
		out.DryRun = rec.upload.dryRun
		out.Actions = in.verdicts(ctx, rec, account, doc, now)
		if out.Explanation == "" && rec.errcode != 0 {
			for _, v := range out.Actions {
				if v.Verdict == wxads.VerdictRefused && v.Explanation != "" {
					out.Explanation, out.ExplainCN = v.Explanation, v.ExplainCN
					break
				}
			}
		}
	}
	if out.Explanation == "" && rec.errcode != 0 {
		out.Explanation, out.ExplainCN = rec.errmsg, rec.errmsgCN
	}
	return out, true
}

// owner returns the advertiser of appid, 0 when there is none. Apps never
// change owner; the cache is dropped whole when it grows large.
func (in *inspector) owner(ctx context.Context, appid string) (int64, error) {
	if appid == "" {
		return 0, nil
	}
	if o, ok := in.owners[appid]; ok {
		return o, nil
	}
	app, err := in.s.cfg.Stores.App(ctx, appid)
	if errors.Is(err, wxads.ErrNotFound) {
		return 0, nil // not cached: the app may be created later
	} else if err != nil {
		return 0, err
	}
	if len(in.owners) >= 10000 {
		clear(in.owners)
	}
	in.owners[appid] = app.AccountID
	return app.AccountID, nil
}

// secretParams are never kept, in a query or a body.
var secretParams = []string{"access_token", "secret"}

const redacted = "REDACTED"

// redactQuery replaces the value of every secret parameter, keeping the
// query otherwise as sent.
func redactQuery(raw string) string {
	parts := strings.Split(raw, "&")
	for i, p := range parts {
		k, _, _ := strings.Cut(p, "=")
		if name, err := url.QueryUnescape(k); err == nil && isSecretParam(name) || err != nil {
			parts[i] = k + "=" + redacted
		}
	}
	return strings.Join(parts, "&")
}

func isSecretParam(name string) bool {
	for _, s := range secretParams {
		if strings.EqualFold(name, s) {
			return true
		}
	}
	return false
}

// secretFirst marks the bytes a secret parameter's name can start with,
// in either case.
var secretFirst = func() (t [256]bool) {
	for _, name := range secretParams {
		t[name[0]], t[name[0]&^0x20] = true, true
	}
	return t
}()

// secretMention returns where body first mentions a secret parameter's
// name, in any case, or -1. A byte loop, not a regexp: it runs over every
// upload body, and a table look-up skips the bytes no name starts with
// (issue 14: the loop over names at every byte was 5.5 % of server CPU at
// 16 clients × 50 actions).
func secretMention(body []byte) int {
	for i, c := range body {
		if !secretFirst[c] {
			continue
		}
		for _, name := range secretParams {
			if c|0x20 == name[0] && len(body)-i >= len(name) && bytes.EqualFold(body[i:i+len(name)], []byte(name)) {
				return i
			}
		}
	}
	return -1
}

// redactBody removes secrets from a JSON body. Bodies that mention no
// secret name are kept byte for byte; others are re-encoded with the values
// replaced, and a body that is not JSON is cut before the first mention.
func redactBody(body []byte) string {
	mention := secretMention(body)
	if mention < 0 && !bytes.Contains(body, []byte(`\u`)) {
		return string(body[:min(len(body), wxads.RequestBodyCap+utf8.UTFMax)])
	}
	var v any
	d := json.NewDecoder(bytes.NewReader(body))
	d.UseNumber()
	if d.Decode(&v) == nil && !d.More() {
		redactValue(v)
		if out, err := json.Marshal(v); err == nil {
			return string(out)
		}
	}
	cut := len(body)
	if mention >= 0 {
		cut = mention
	}
	if i := bytes.Index(body, []byte(`\u`)); i >= 0 && i < cut {
		cut = i
	}
	return string(body[:cut]) + "…[rest not kept: it may hold a secret]"
}

func redactValue(v any) {
	switch v := v.(type) {
	case map[string]any:
		for k, x := range v {
			if isSecretParam(k) {
				v[k] = redacted
			} else {
				redactValue(x)
			}
		}
	case []any:
		for _, x := range v {
			redactValue(x)
		}
	}
}

// capUTF8 cuts s to at most n bytes on a character boundary.
func capUTF8(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}
