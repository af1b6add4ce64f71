package ui

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/hex"
	"net/http"
	"sync"
	"time"

	"github.com/wxads/wxads"
)

// Sessions live in this process's memory: a restart signs everyone out,
// and several nodes behind one address need sticky routing for /ui/.
// The dashboard is an operator's tool; that trade keeps secrets off disk.
const (
	sessionCookie = "wxads_session"
	langCookie    = "wxads_lang"
	maxSessions   = 10000
)

// session is one browser's state. A visitor gets an anonymous one (it
// carries the sign-in form's CSRF token); signing in replaces it.
type session struct {
	id      string
	csrf    string
	expires time.Time

	accountID int64  // the advertiser an app session acts for
	appid     string // the app signed in with; "" for the admin
	admin     bool
	flash     string // shown once on the next page (e.g. a new secret)
}

func (s *session) signedIn() bool { return s.admin || s.appid != "" }

type sessions struct {
	clock wxads.Clock
	ttl   time.Duration
	mu    sync.Mutex
	byID  map[string]*session
}

func newSessions(clock wxads.Clock, ttl time.Duration) *sessions {
	return &sessions{clock: clock, ttl: ttl, byID: map[string]*session{}}
}

func randomToken() string {
	var b [32]byte
	rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// get returns the request's live session, or nil.
func (ss *sessions) get(r *http.Request) *session {
	c, err := r.Cookie(sessionCookie)
	if err != nil {
		return nil
	}
	ss.mu.Lock()
	defer ss.mu.Unlock()
	s := ss.byID[c.Value]
	if s == nil {
		return nil
	}
	if ss.clock.Now().After(s.expires) {
		delete(ss.byID, s.id)
		return nil
	}
	return s
}

// start creates a session (replacing old, when given: a fresh id at sign-in
// defeats session fixation) and sets its cookie.
func (ss *sessions) start(w http.ResponseWriter, r *http.Request, old *session, fill func(*session)) *session {
	now := ss.clock.Now()
	s := &session{id: randomToken(), csrf: randomToken(), expires: now.Add(ss.ttl)}
	if fill != nil {
		fill(s)
	}
	ss.mu.Lock()
	if old != nil {
		delete(ss.byID, old.id)
	}
	if len(ss.byID) >= maxSessions {
		for id, o := range ss.byID {
			if now.After(o.expires) || !o.signedIn() {
				delete(ss.byID, id)
			}
		}
	}
	ss.byID[s.id] = s
	ss.mu.Unlock()
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: s.id, Path: "/ui/", HttpOnly: true,
		Secure: r.TLS != nil, SameSite: http.SameSiteStrictMode, Expires: s.expires})
	return s
}

func (ss *sessions) end(w http.ResponseWriter, r *http.Request, s *session) {
	ss.mu.Lock()
	delete(ss.byID, s.id)
	ss.mu.Unlock()
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: "", Path: "/ui/", HttpOnly: true,
		Secure: r.TLS != nil, SameSite: http.SameSiteStrictMode, MaxAge: -1})
}

// takeFlash returns the session's one-time message and clears it.
func (ss *sessions) takeFlash(s *session) string {
	ss.mu.Lock()
	defer ss.mu.Unlock()
	f := s.flash
	s.flash = ""
	return f
}

func (ss *sessions) setFlash(s *session, msg string) {
	ss.mu.Lock()
	s.flash = msg
	ss.mu.Unlock()
}

// validCSRF checks a form's token against the session's (constant time).
func validCSRF(s *session, r *http.Request) bool {
	if s == nil {
		return false
	}
	got := r.PostFormValue("csrf")
	return got != "" && subtle.ConstantTimeCompare([]byte(got), []byte(s.csrf)) == 1
}

// limiter counts failed sign-ins per key (an IP, an appid) in a fixed
// window; past the limit, attempts are refused until the window ends,
// even with the right secret, so guessing gains nothing from speed.
type limiter struct {
	clock  wxads.Clock
	window time.Duration
	mu     sync.Mutex
	fails  map[string]*failCount
}

type failCount struct {
	n     int
	since time.Time
}

func newLimiter(clock wxads.Clock, window time.Duration) *limiter {
	return &limiter{clock: clock, window: window, fails: map[string]*failCount{}}
}

// Limits of failed sign-ins per window.
const (
	maxFailsPerIP    = 20
	maxFailsPerAppID = 5
)

// blocked reports whether key has used up its failures; retry says when
// it may try again.
func (l *limiter) blocked(key string, limit int) (bool, time.Duration) {
	l.mu.Lock()
	defer l.mu.Unlock()
	f := l.fails[key]
	if f == nil {
		return false, 0
	}
	left := f.since.Add(l.window).Sub(l.clock.Now())
	if left <= 0 {
		delete(l.fails, key)
		return false, 0
	}
	return f.n >= limit, left
}

func (l *limiter) fail(key string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.clock.Now()
	f := l.fails[key]
	if f == nil || now.Sub(f.since) >= l.window {
		if len(l.fails) > 100000 {
			clear(l.fails) // a flood of distinct keys must not grow memory forever
		}
		f = &failCount{since: now}
		l.fails[key] = f
	}
	f.n++
}

// For templates.
func (s *session) SignedIn() bool { return s.signedIn() }
func (s *session) IsAdmin() bool  { return s.admin }
func (s *session) App() string    { return s.appid }
