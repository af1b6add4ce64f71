package client

import (
	"bytes"
	"context"
	crand "crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// call is one API call as the services describe it; transport.do turns it
// into attempts.
type call struct {
	method string
	path   string     // e.g. "/marketing/user_actions/add"
	query  url.Values // without access_token, timestamp, nonce
	body   []byte     // sent identically on every attempt; nil for GET
	token  bool       // needs access_token
	v11    bool       // Tencent side: fresh timestamp and nonce per attempt
	raw    bool       // decode the whole body into out, not its data member
	// once: not safe to repeat after a network error (the request may have
	// been applied); platform answers that say "nothing was done" still retry.
	once bool
	// requestID is the X-Request-Id of the successful answer, set by do.
	requestID string
}

// transport holds what every call needs; Client and Admin each have one.
type transport struct {
	cfg    config
	hc     *http.Client
	log    *slog.Logger
	tokens *tokenCache       // nil: the calls need no token (Admin)
	header map[string]string // added to every request (Admin's bearer)
}

func newTransport(cfg config) *transport {
	t := &transport{cfg: cfg, hc: cfg.hc, log: cfg.log}
	if t.hc == nil {
		t.hc = DefaultHTTPClient()
	}
	if t.log == nil {
		t.log = slog.New(slog.DiscardHandler)
	}
	t.cfg.baseURL = strings.TrimRight(cfg.baseURL, "/")
	return t
}

// do runs c with the retry policy and the token rules, and decodes the
// answer's data (or the whole answer for raw calls) into out when non-nil.
func (t *transport) do(ctx context.Context, c *call, out any) error {
	refreshed := false
	tries := 0 // attempts counted against MaxAttempts; the token retry is extra
	for attempt := 1; ; attempt++ {
		tries++
		q := url.Values{}
		for k, v := range c.query {
			q[k] = v
		}
		var tok string
		if c.token {
			var err error
			if tok, err = t.tokens.get(ctx); err != nil {
				return err
			}
			q.Set("access_token", tok)
		}
		if c.v11 {
			q.Set("timestamp", strconv.FormatInt(t.cfg.now().Unix(), 10))
			q.Set("nonce", newNonce())
		}
		data, err := t.attempt(ctx, c, q, attempt)
		if err == nil {
			return decodeInto(c, data, out)
		}
		var ae *APIError
		if c.token && !refreshed && errors.As(err, &ae) && tokenRejected(ae.Code) {
			refreshed = true
			t.log.InfoContext(ctx, "wxads: token refused, refreshing and retrying once", "route", c.path, "errcode", ae.Code)
			if rerr := t.tokens.invalidate(ctx, tok); rerr != nil {
				return errors.Join(err, rerr)
			}
			tries--
			continue
		}
		if !Retryable(err) || tries >= t.cfg.retry.MaxAttempts || (c.once && isNetwork(err)) {
			return err
		}
		d := backoff(t.cfg.retry, tries)
		t.log.DebugContext(ctx, "wxads: retrying", "route", c.path, "attempt", attempt, "delay", d, "err", err)
		timer := time.NewTimer(d)
		select {
		case <-ctx.Done():
			timer.Stop()
			return fmt.Errorf("%w (last attempt: %w)", ctx.Err(), err)
		case <-timer.C:
		}
	}
}

// backoff is full jitter: uniform in [0, min(MaxDelay, BaseDelay·2^(n-1))].
func backoff(p RetryPolicy, n int) time.Duration {
	ceil := p.BaseDelay
	for i := 1; i < n && ceil < p.MaxDelay; i++ {
		ceil *= 2
	}
	ceil = min(ceil, p.MaxDelay)
	if ceil <= 0 {
		return 0
	}
	return time.Duration(rand.Int64N(int64(ceil) + 1))
}

func isNetwork(err error) bool {
	var ne *NetworkError
	return errors.As(err, &ne)
}

// envelope is either side's answer.
type envelope struct {
	Errcode   *int            `json:"errcode"`
	Errmsg    string          `json:"errmsg"`
	Code      *int            `json:"code"`
	Message   string          `json:"message"`
	MessageCN string          `json:"message_cn"`
	Data      json.RawMessage `json:"data"`
}

// attempt sends one request and returns the body of a success; any refusal
// is an *APIError, no answer a *NetworkError.
func (t *transport) attempt(ctx context.Context, c *call, q url.Values, attempt int) ([]byte, error) {
	u := t.cfg.baseURL + c.path
	if len(q) > 0 {
		u += "?" + q.Encode()
	}
	var body io.Reader
	if c.body != nil {
		body = bytes.NewReader(c.body)
	}
	req, err := http.NewRequestWithContext(ctx, c.method, u, body)
	if err != nil {
		return nil, scrub(err)
	}
	if c.body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	req.Header.Set("Accept", "application/json")
	for k, v := range t.header {
		req.Header.Set(k, v)
	}
	rec := CallRecord{Time: time.Now(), Method: c.method, Route: c.path, Attempt: attempt, Request: requestForLog(c, q)}
	start := time.Now()
	resp, err := t.hc.Do(req)
	if err != nil {
		err = scrub(err)
		rec.DurationMS = msSince(start)
		rec.Errcode, rec.Errmsg = -1, err.Error()
		t.record(rec)
		if ctx.Err() != nil {
			return nil, fmt.Errorf("wxads: %s: %w", c.path, ctx.Err())
		}
		return nil, &NetworkError{Route: c.path, Err: err}
	}
	raw, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	rec.DurationMS = msSince(start)
	rec.HTTPStatus = resp.StatusCode
	rec.RequestID = resp.Header.Get("X-Request-Id")
	rec.Response = redactJSON(raw)
	if err != nil {
		rec.Errcode, rec.Errmsg = -1, err.Error()
		t.record(rec)
		return nil, &NetworkError{Route: c.path, Err: err}
	}
	apiErr := checkAnswer(resp.StatusCode, raw)
	if apiErr != nil {
		apiErr.RequestID, apiErr.Route, apiErr.HTTPStatus = rec.RequestID, c.path, resp.StatusCode
		rec.Errcode, rec.Errmsg = apiErr.Code, apiErr.Message
		t.record(rec)
		return nil, apiErr
	}
	t.record(rec)
	c.requestID = rec.RequestID
	return raw, nil
}

// checkAnswer reads either envelope; nil means success.
func checkAnswer(status int, raw []byte) *APIError {
	var env envelope
	jsonErr := json.Unmarshal(raw, &env)
	code, msg, cn := 0, env.Errmsg, env.MessageCN
	switch {
	case jsonErr != nil:
	case env.Errcode != nil:
		code = *env.Errcode
	case env.Code != nil:
		code, msg = *env.Code, env.Message
	}
	if code != 0 {
		return newAPIError(code, msg, cn)
	}
	if status >= 200 && status < 300 && jsonErr == nil {
		return nil
	}
	// An HTTP failure without a platform code: a proxy's 502, the admin 401.
	text := strings.TrimSpace(string(raw))
	if len(text) > 200 {
		text = text[:200]
	}
	if msg == "" {
		msg = http.StatusText(status)
		if text != "" {
			msg += ": " + text
		}
	}
	if status >= 200 && status < 300 {
		msg = "answer is not JSON: " + text
	}
	return &APIError{Code: 0, Message: msg}
}

func decodeInto(c *call, raw []byte, out any) error {
	if out == nil {
		return nil
	}
	if !c.raw {
		var env envelope
		if err := json.Unmarshal(raw, &env); err != nil {
			return fmt.Errorf("wxads: %s: %w", c.path, err)
		}
		raw = env.Data
		if len(raw) == 0 {
			return nil
		}
	}
	if err := json.Unmarshal(raw, out); err != nil {
		return fmt.Errorf("wxads: %s: decoding the answer: %w", c.path, err)
	}
	return nil
}

func (t *transport) record(rec CallRecord) {
	if t.cfg.callLog == nil {
		return
	}
	if err := t.cfg.callLog.Write(rec); err != nil {
		t.log.Warn("wxads: call log", "err", err)
	}
}

func msSince(start time.Time) float64 {
	return float64(time.Since(start).Microseconds()) / 1000
}

// newNonce is 16 random hex characters (SPEC §8: 1–32).
func newNonce() string {
	var b [8]byte
	crand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// scrub hides the token and secret in the URL an *url.Error quotes: the
// error reaches logs and the call log.
func scrub(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		ue.URL = redactURL(ue.URL)
	}
	return err
}
