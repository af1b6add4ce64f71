package server

import (
	"bytes"
	"encoding/json"
	"errors"
	"net/http"
	"reflect"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/wxads/wxads"
)

// route registers pattern (no method in it) for one method. A wrong method
// is answered in the route's envelope: 43001 where GET is required, 43002
// otherwise.
func (s *Server) route(mux *http.ServeMux, method, pattern string, a api, h handler) {
	mux.HandleFunc(pattern, func(w http.ResponseWriter, r *http.Request) {
		if r.Method != method {
			switch method {
			case http.MethodGet:
				s.writeError(w, r, a, wxads.Errorf(wxads.CodeRequireGET, ""))
			case http.MethodPost:
				s.writeError(w, r, a, wxads.Errorf(wxads.CodeRequirePOST, ""))
			default:
				s.writeError(w, r, a, wxads.Literal(wxads.CodeRequirePOST, "require "+method+" method"))
			}
			return
		}
		if err := h(w, r); err != nil {
			s.writeError(w, r, a, err)
		}
	})
}

// readBody reads a request body within the limit: over it 413 / 45002,
// empty 44002. Call it only after the cheap checks (method, path, token,
// flags): the body is the expensive part of a request.
func (s *Server) readBody(w http.ResponseWriter, r *http.Request) ([]byte, error) {
	return s.readBodyLimit(w, r, s.cfg.BodyLimit)
}

// readBodyLimit reads the body when it fits the route's limit and the
// server's byte budget: a declared length over the limit is refused before a
// byte is read, a budget that cannot hold it is -1 "system busy", and a body
// slower than the minimum rate is 408.
func (s *Server) readBodyLimit(w http.ResponseWriter, r *http.Request, limit int64) ([]byte, error) {
	if r.ContentLength > limit {
		return nil, errBodyTooLarge
	}
	size := limit
	if r.ContentLength >= 0 {
		size = r.ContentLength
	}
	if !s.reserve(r, size) {
		return nil, errBusy
	}
	rc := responseControllerOf(r, w)
	p := &paceBody{body: r.Body, rc: rc, start: time.Now(), grace: s.adm.limits.BodyGrace, rate: s.adm.limits.MinBodyRate}
	var buf bytes.Buffer
	buf.Grow(int(min(size, limit)) + bytes.MinRead)
	_, err := buf.ReadFrom(http.MaxBytesReader(w, p, limit))
	body := buf.Bytes()
	var tooLarge *http.MaxBytesError
	switch {
	case errors.As(err, &tooLarge):
		return nil, errBodyTooLarge
	case p.timedOut:
		return nil, errSlowBody
	case err != nil:
		return nil, wxads.Errorf(wxads.CodeBadJSON, "")
	}
	rc.SetReadDeadline(time.Time{}) // the server sets the next request's own
	bodyRead(r)
	if len(bytes.TrimSpace(body)) == 0 {
		return nil, wxads.Errorf(wxads.CodeEmptyBody, "")
	}
	if !utf8.Valid(body) {
		// JSON is UTF-8 (RFC 8259 §8.1); replacing bad bytes with U+FFFD
		// would store something other than what was sent.
		return nil, wxads.Errorf(wxads.CodeBadJSON, "")
	}
	return body, nil
}

// readObject reads a JSON object body into v. Not JSON, or JSON that is not
// an object, is 47001; a field of the wrong type is 18002 naming it.
func (s *Server) readObject(w http.ResponseWriter, r *http.Request, v any) error {
	return s.readObjectLimit(w, r, v, s.cfg.BodyLimit)
}

func (s *Server) readObjectLimit(w http.ResponseWriter, r *http.Request, v any, limit int64) error {
	body, err := s.readBodyLimit(w, r, limit)
	if err != nil {
		return err
	}
	return decodeObject(body, v)
}

// Member names match exactly: encoding/json alone would also fill "name"
// from "NAME", but to the platform "NAME" is an unknown field, ignored
// (SPEC §3). v must point to a struct.
func decodeObject(body []byte, v any) error {
	trimmed := bytes.TrimSpace(body)
	if len(trimmed) == 0 || trimmed[0] != '{' || !json.Valid(trimmed) {
		return wxads.Errorf(wxads.CodeBadJSON, "")
	}
	var members map[string]json.RawMessage
	if err := json.Unmarshal(trimmed, &members); err != nil {
		return wxads.Errorf(wxads.CodeBadJSON, "")
	}
	names := jsonNames(reflect.TypeOf(v).Elem())
	for k := range members {
		if !names[k] {
			delete(members, k)
		}
	}
	exact, err := json.Marshal(members)
	if err != nil {
		return wxads.Errorf(wxads.CodeBadJSON, "")
	}
	if err := json.Unmarshal(exact, v); err != nil {
		var te *json.UnmarshalTypeError
		if errors.As(err, &te) && te.Field != "" {
			return wxads.Errorf(wxads.CodeWrongType, te.Field, te.Type.String())
		}
		return wxads.Errorf(wxads.CodeBadJSON, "")
	}
	return nil
}

// queryID parses an id parameter: digits only, positive, fits int64.
// Absent returns 0; malformed 18005 naming it.
func queryID(r *http.Request, name string) (int64, error) {
	v := r.URL.Query().Get(name)
	if v == "" {
		return 0, nil
	}
	id, err := parseID(v)
	if err != nil {
		return 0, wxads.Errorf(wxads.CodeBadFormat, name)
	}
	return id, nil
}

// parseInteger parses a decimal integer parameter strictly: an optional
// '-' and digits. strconv also takes a leading '+', which the platform
// does not ("+5" is not how an integer is written in a query).
func parseInteger(v string) (int64, error) {
	if digits := strings.TrimPrefix(v, "-"); digits == "" || strings.Trim(digits, "0123456789") != "" {
		return 0, strconv.ErrSyntax
	}
	return strconv.ParseInt(v, 10, 64)
}

func parseID(v string) (int64, error) {
	for _, c := range v {
		if c < '0' || c > '9' {
			return 0, strconv.ErrSyntax
		}
	}
	id, err := strconv.ParseInt(v, 10, 64)
	if err == nil && id <= 0 {
		err = strconv.ErrRange
	}
	return id, err
}

// flexID accepts an integer id sent as a JSON number or a string of digits
// (SPEC §3: the seeds' own examples quote ids). Any int64 decodes; whether
// zero or a negative id is acceptable is the handler's rule.
type flexID int64

func (f *flexID) UnmarshalJSON(b []byte) error {
	s := string(b)
	if len(s) >= 2 && s[0] == '"' {
		s = s[1 : len(s)-1]
	}
	digits := strings.TrimPrefix(s, "-")
	id, err := strconv.ParseInt(s, 10, 64)
	if digits == "" || strings.Trim(digits, "0123456789") != "" || err != nil {
		return &json.UnmarshalTypeError{Value: string(b), Type: flexIDType}
	}
	*f = flexID(id)
	return nil
}

var flexIDType = reflect.TypeFor[int64]()

var jsonNameCache sync.Map // reflect.Type → map[string]bool

// jsonNames returns the member names a struct type decodes.
func jsonNames(t reflect.Type) map[string]bool {
	if v, ok := jsonNameCache.Load(t); ok {
		return v.(map[string]bool)
	}
	names := map[string]bool{}
	for f := range t.Fields() {
		if !f.IsExported() {
			continue
		}
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		switch name {
		case "-":
			continue
		case "":
			name = f.Name
		}
		names[name] = true
	}
	jsonNameCache.Store(t, names)
	return names
}
