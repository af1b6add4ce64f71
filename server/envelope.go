package server

import (
	"bytes"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"

	"github.com/wxads/wxads"
	"github.com/wxads/wxads/errcode"
)

// api says which envelope a route speaks.
type api int

const (
	apiWeChat  api = iota // {"errcode","errmsg","data"}
	apiTencent            // {"code","message","message_cn","data"}
)

// handler is a route's body: it writes success itself and returns errors to
// the one place that writes them.
type handler func(w http.ResponseWriter, r *http.Request) error

// errBodyTooLarge marks a body over the limit: HTTP 413 with errcode 45002.
var errBodyTooLarge = wxads.Errorf(wxads.CodeBodyTooLarge, "")

// errNotFoundPath is an unknown path: HTTP 404.
var errNotFoundPath = errors.New("unknown path")

type wechatEnvelope struct {
	Errcode int    `json:"errcode"`
	Errmsg  string `json:"errmsg"`
	Data    any    `json:"data,omitempty"`
}

type tencentEnvelope struct {
	Code      int    `json:"code"`
	Message   string `json:"message"`
	MessageCN string `json:"message_cn"`
	Data      any    `json:"data,omitempty"`
}

// writeData writes a success envelope; data nil leaves "data" out.
func writeData(w http.ResponseWriter, a api, data any) error {
	if a == apiTencent {
		return writeJSON(w, http.StatusOK, tencentEnvelope{Data: data})
	}
	return writeJSON(w, http.StatusOK, wechatEnvelope{Data: data})
}

// writeDataJSON writes a success envelope around data already encoded by a
// hand-written encoder (reportData), byte for byte what writeData writes:
// encoding/json would re-validate it, which costs more than encoding did.
func writeDataJSON(w http.ResponseWriter, a api, data []byte) error {
	head := `{"errcode":0,"errmsg":"","data":`
	if a == apiTencent {
		head = `{"code":0,"message":"","message_cn":"","data":`
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(http.StatusOK)
	for _, b := range [][]byte{[]byte(head), data, []byte("}")} { // not joined: data may be 0.5 MB
		if _, err := w.Write(b); err != nil {
			return err
		}
	}
	return nil
}

// writeJSON encodes without HTML escaping: the catalog's URL patterns (and
// any "&" a client sent) go out as they are stored, byte for byte.
func writeJSON(w http.ResponseWriter, status int, v any) error {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return err
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	_, err := w.Write(bytes.TrimSuffix(buf.Bytes(), []byte("\n")))
	return err
}

// writeError is the one place an error becomes a response. Platform errors
// go out with their registry message; anything else is a bug logged with the
// request id and answered as -1, never with its text.
func (s *Server) writeError(w http.ResponseWriter, r *http.Request, a api, err error) {
	status := http.StatusOK
	var e *wxads.Error
	switch {
	case errors.Is(err, errNotFoundPath):
		status = http.StatusNotFound
		// The path as escaped on the wire, bounded: no control bytes, no
		// invalid UTF-8, no markup reach the message.
		p := r.URL.EscapedPath()
		if len(p) > 256 {
			p = p[:256] + "…"
		}
		e = &wxads.Error{Code: wxads.CodeInvalidURL, Message: "unknown path " + p, MessageCN: "未知的请求路径 " + p}
	case errors.As(err, &e):
		switch e {
		case errBodyTooLarge:
			status = http.StatusRequestEntityTooLarge
		case errSlowBody:
			status = http.StatusRequestTimeout
		}
	default:
		e = wxads.Internal(err)
	}
	// Refusals under load are counted in the request log, not each an error.
	if e.Code == wxads.CodeSystemBusy && e != errBusy && e != errSlowBody || e.Cause != nil {
		s.log.LogAttrs(r.Context(), slog.LevelError, "request failed",
			slog.String("request_id", requestIDOf(r)), slog.Int("errcode", e.Code), slog.Any("err", err))
	}
	closeIfBodyUnread(w, r)
	en, cn := errcode.Format(e.Code, e.Args()...)
	if e.Message != "" {
		en = e.Message
	}
	if e.MessageCN != "" {
		cn = e.MessageCN
	}
	recordFrom(r.Context()).fail(e, en, cn)
	if a == apiTencent {
		writeJSON(w, status, tencentEnvelope{Code: e.Code, Message: en, MessageCN: cn})
		return
	}
	writeJSON(w, status, wechatEnvelope{Errcode: e.Code, Errmsg: en})
}
