package client

import (
	"log/slog"
	"net"
	"net/http"
	"time"
)

// DefaultBaseURL is where `wxads serve` listens with no flags.
const DefaultBaseURL = "http://127.0.0.1:8080"

// RetryPolicy bounds retries of retryable outcomes (see Retryable). The
// delay before retry n (1-based) is uniform in [0, min(MaxDelay,
// BaseDelay·2^(n-1))] ("full jitter"); the context bounds the whole call.
type RetryPolicy struct {
	MaxAttempts int           // attempts in all, first included; 1 disables retries
	BaseDelay   time.Duration // cap of the first backoff
	MaxDelay    time.Duration // cap of any backoff
}

// DefaultRetry is the policy a Client starts with.
var DefaultRetry = RetryPolicy{MaxAttempts: 4, BaseDelay: 200 * time.Millisecond, MaxDelay: 5 * time.Second}

// Option configures a Client or an Admin.
type Option func(*config)

// config is what the options set; New and NewAdmin read it.
type config struct {
	baseURL   string
	hc        *http.Client
	log       *slog.Logger
	callLog   *CallLog
	tokens    TokenSource
	retry     RetryPolicy
	accountID int64
	stable    bool
	now       func() time.Time
}

func defaultConfig() config {
	return config{baseURL: DefaultBaseURL, retry: DefaultRetry, stable: true, now: time.Now}
}

// WithBaseURL points the client at a platform, e.g. "http://127.0.0.1:8080".
func WithBaseURL(u string) Option { return func(c *config) { c.baseURL = u } }

// WithHTTPClient replaces the default HTTP client (see DefaultHTTPClient).
func WithHTTPClient(hc *http.Client) Option { return func(c *config) { c.hc = hc } }

// WithLogger logs retries and token refreshes at debug/info level.
func WithLogger(l *slog.Logger) Option { return func(c *config) { c.log = l } }

// WithCallLog records every attempt in cl (the seed's 回传日志).
func WithCallLog(cl *CallLog) Option { return func(c *config) { c.callLog = cl } }

// WithTokenSource replaces the built-in token fetch, e.g. with one shared
// through Redis or a central service. The Client still caches its answer.
func WithTokenSource(ts TokenSource) Option { return func(c *config) { c.tokens = ts } }

// WithRetry sets the retry policy; zero fields keep DefaultRetry's.
func WithRetry(p RetryPolicy) Option {
	return func(c *config) {
		if p.MaxAttempts > 0 {
			c.retry.MaxAttempts = p.MaxAttempts
		}
		if p.BaseDelay > 0 {
			c.retry.BaseDelay = p.BaseDelay
		}
		if p.MaxDelay > 0 {
			c.retry.MaxDelay = p.MaxDelay
		}
	}
}

// WithAccountID sets the account_id of /v1.1 calls.
func WithAccountID(id int64) Option { return func(c *config) { c.accountID = id } }

// WithStableToken chooses POST /cgi-bin/stable_token (true, the default:
// processes sharing an appid share one token) or GET /cgi-bin/token (false:
// every fetch supersedes the previous token).
func WithStableToken(on bool) Option { return func(c *config) { c.stable = on } }

// WithClock sets the time used for offline validation of action_time and
// for v1.1 timestamps; useful against a server on a fake clock.
func WithClock(now func() time.Time) Option { return func(c *config) { c.now = now } }

// DefaultHTTPClient is a client with a timeout at every stage: connect 5 s,
// TLS handshake 5 s, response header 30 s, the whole exchange 60 s.
func DefaultHTTPClient() *http.Client {
	return &http.Client{
		Timeout: 60 * time.Second,
		Transport: &http.Transport{
			Proxy:                 http.ProxyFromEnvironment,
			DialContext:           (&net.Dialer{Timeout: 5 * time.Second, KeepAlive: 30 * time.Second}).DialContext,
			TLSHandshakeTimeout:   5 * time.Second,
			ResponseHeaderTimeout: 30 * time.Second,
			IdleConnTimeout:       90 * time.Second,
			MaxIdleConnsPerHost:   16,
			ForceAttemptHTTP2:     true,
		},
	}
}
