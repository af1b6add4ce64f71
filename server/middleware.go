package server

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"log/slog"
	"net/http"
	"path"
	"runtime/debug"
	"strings"
	"time"

	"github.com/wxads/wxads"
)

type ctxKey int

const requestIDKey ctxKey = iota

// requestID gives every request an id (the caller's X-Request-Id when it is
// sane, else a fresh one), echoed in the response header.
func (s *Server) requestID(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id := r.Header.Get("X-Request-Id")
		if !saneID(id) {
			var b [8]byte
			rand.Read(b[:])
			id = hex.EncodeToString(b[:])
		}
		w.Header().Set("X-Request-Id", id)
		next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), requestIDKey, id)))
	})
}

func saneID(id string) bool {
	if id == "" || len(id) > 64 {
		return false
	}
	for _, c := range id {
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '-' || c == '_' || c == '.') {
			return false
		}
	}
	return true
}

func requestIDOf(r *http.Request) string {
	id, _ := r.Context().Value(requestIDKey).(string)
	return id
}

type statusWriter struct {
	http.ResponseWriter
	status int
	bytes  int
}

func (w *statusWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	n, err := w.ResponseWriter.Write(b)
	w.bytes += n
	return n, err
}

// logRequests writes one structured line per request (SPEC §3) and hands
// the request's record to the inspector. It never logs the query: it may
// hold an access_token or a secret.
func (s *Server) logRequests(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rec := &record{start: time.Now(), at: s.cfg.Clock.Now(), method: r.Method, requestID: requestIDOf(r)}
		if inspectable(r.URL.Path) {
			rec.query = r.URL.RawQuery
			if r.URL.Path != wxads.UploadRoute && r.Body != nil {
				r.Body = &teeBody{ReadCloser: r.Body, rec: rec, max: int(s.cfg.BodyLimit)}
			}
		}
		sw := &statusWriter{ResponseWriter: w}
		r = r.WithContext(context.WithValue(r.Context(), recordKey{}, rec))
		next.ServeHTTP(sw, r)
		rec.status, rec.end = sw.status, time.Now()
		if rec.accountID == 0 {
			rec.appID = tokenAppID(rec, r)
		}
		attrs := []slog.Attr{
			slog.String("request_id", rec.requestID),
			slog.String("method", r.Method),
			slog.String("path", r.URL.Path),
			slog.String("route", rec.route),
			slog.Int("status", sw.status),
			slog.Int("errcode", rec.errcode),
			slog.Int("bytes", sw.bytes),
			slog.Float64("duration_ms", float64(rec.end.Sub(rec.start).Microseconds())/1000),
			slog.String("remote", r.RemoteAddr),
		}
		if rec.appID != "" {
			attrs = append(attrs, slog.String("appid", rec.appID))
		}
		if rec.accountID != 0 {
			attrs = append(attrs, slog.Int64("account_id", rec.accountID))
		}
		if rec.route == wxads.UploadRoute {
			attrs = append(attrs, slog.Int("actions", rec.actions))
		}
		s.log.LogAttrs(r.Context(), slog.LevelInfo, "request", attrs...)
		s.observe(rec)
		s.inspector.submit(rec)
	})
}

// notePattern records the route a request matched: ServeMux sets Pattern
// on the request it is given, which the middleware outside may not see (a
// layer may pass on a copy). A pattern may name its method; the route is
// its path.
func (s *Server) notePattern(mux http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if rec := recordFrom(r.Context()); rec != nil {
				rec.route = r.Pattern[strings.LastIndexByte(r.Pattern, ' ')+1:]
			}
		}()
		mux.ServeHTTP(w, r)
	})
}

// recoverPanics turns a panic into a logged bug answered with errcode -1.
// No input should ever get here; a test hunts for one that does.
func (s *Server) recoverPanics(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				s.log.Error("panic", "request_id", requestIDOf(r), "panic", fmt.Sprint(v), "stack", string(debug.Stack()))
				s.writeError(w, r, apiWeChat, fmt.Errorf("panic: %v", v))
			}
		}()
		next.ServeHTTP(w, r)
	})
}

// cleanPaths answers a path that is not in clean form ("//", "/./", "/../")
// with the 404 envelope. http.ServeMux would redirect it instead (307, with
// the query — an access_token — echoed in Location), before any auth ran.
func (s *Server) cleanPaths(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if p := r.URL.Path; p != "" {
			if c := path.Clean(p); c != p && c+"/" != p {
				a := apiWeChat
				if strings.HasPrefix(c, "/v1.1/") {
					a = apiTencent
				}
				s.writeError(w, r, a, errNotFoundPath)
				return
			}
		}
		next.ServeHTTP(w, r)
	})
}
