package client

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"strconv"
	"sync"
)

// CallLog is the seed's 回传日志: one JSON line per HTTP attempt with what
// was sent and what came back, secrets and tokens redacted, rotated by
// size (path, path.1 … path.keep, path.keep the oldest). It is safe for
// concurrent use; several Clients may share one.
type CallLog struct {
	mu       sync.Mutex
	path     string
	maxBytes int64
	keep     int
	f        *os.File
	size     int64
}

// OpenCallLog opens (appending) or creates the log at path, mode 0600.
// maxBytes ≤ 0 never rotates; keep is how many rotated files to keep.
func OpenCallLog(path string, maxBytes int64, keep int) (*CallLog, error) {
	l := &CallLog{path: path, maxBytes: maxBytes, keep: max(keep, 0)}
	if err := l.open(); err != nil {
		return nil, err
	}
	return l, nil
}

func (l *CallLog) open() error {
	f, err := os.OpenFile(l.path, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600)
	if err != nil {
		return fmt.Errorf("wxads: call log: %w", err)
	}
	st, err := f.Stat()
	if err != nil {
		f.Close()
		return err
	}
	l.f, l.size = f, st.Size()
	return nil
}

// Write appends one record.
func (l *CallLog) Write(rec CallRecord) error {
	line, err := json.Marshal(rec)
	if err != nil {
		return err
	}
	line = append(line, '\n')
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.f == nil {
		return errors.New("wxads: call log is closed")
	}
	if l.maxBytes > 0 && l.size > 0 && l.size+int64(len(line)) > l.maxBytes {
		if err := l.rotate(); err != nil {
			return err
		}
	}
	n, err := l.f.Write(line)
	l.size += int64(n)
	return err
}

// rotate shifts path.i to path.i+1, dropping path.keep, and starts a new path.
func (l *CallLog) rotate() error {
	if err := l.f.Close(); err != nil {
		return err
	}
	l.f = nil
	if l.keep == 0 {
		if err := os.Remove(l.path); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return err
		}
		return l.open()
	}
	os.Remove(rotated(l.path, l.keep))
	for i := l.keep - 1; i >= 1; i-- {
		if err := os.Rename(rotated(l.path, i), rotated(l.path, i+1)); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return err
		}
	}
	if err := os.Rename(l.path, rotated(l.path, 1)); err != nil {
		return err
	}
	return l.open()
}

func rotated(path string, i int) string { return path + "." + strconv.Itoa(i) }

// Close closes the file; later writes fail.
func (l *CallLog) Close() error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.f == nil {
		return nil
	}
	err := l.f.Close()
	l.f = nil
	return err
}

// ReadCallLog calls fn for every record of the log at path, oldest first
// (path.N … path.1, then path). A missing log is not an error. A line that
// is not a record (a crash cut it short) is reported with file and line.
func ReadCallLog(path string, fn func(CallRecord) error) error {
	n := 0
	for {
		if _, err := os.Stat(rotated(path, n+1)); err != nil {
			break
		}
		n++
	}
	files := make([]string, 0, n+1)
	for i := n; i >= 1; i-- {
		files = append(files, rotated(path, i))
	}
	files = append(files, path)
	for _, name := range files {
		if err := readLogFile(name, fn); err != nil {
			return err
		}
	}
	return nil
}

func readLogFile(name string, fn func(CallRecord) error) error {
	f, err := os.Open(name)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	} else if err != nil {
		return err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 64*1024), 64<<20)
	for line := 1; sc.Scan(); line++ {
		if len(bytes.TrimSpace(sc.Bytes())) == 0 {
			continue
		}
		var rec CallRecord
		if err := json.Unmarshal(sc.Bytes(), &rec); err != nil {
			return fmt.Errorf("wxads: call log %s:%d: %w", name, line, err)
		}
		if err := fn(rec); err != nil {
			return err
		}
	}
	return sc.Err()
}

// redacted replaces every secret and token in the log.
const redacted = "[REDACTED]"

// secretKeys are the members and query parameters never written to the log.
var secretKeys = map[string]bool{"secret": true, "access_token": true, "refresh_token": true,
	"client_secret": true, "authorization_code": true, "admin_token": true}

// maxLoggedBody bounds one logged body; larger ones are summarized.
const maxLoggedBody = 256 << 10

// requestForLog is what a record shows of the request: the JSON body, or
// for a bodiless call its query as an object; redacted either way.
func requestForLog(c *call, q url.Values) json.RawMessage {
	if c.body != nil {
		return redactJSON(c.body)
	}
	if len(q) == 0 {
		return nil
	}
	m := make(map[string]any, len(q))
	for k, v := range q {
		switch {
		case secretKeys[k]:
			m[k] = redacted
		case len(v) == 1:
			m[k] = v[0]
		default:
			m[k] = v
		}
	}
	b, _ := json.Marshal(m)
	return b
}

// redactJSON returns raw with secret members replaced; raw that is not
// JSON is kept as a JSON string. Bodies without secrets keep their bytes.
func redactJSON(raw []byte) json.RawMessage {
	if len(bytes.TrimSpace(raw)) == 0 {
		return nil
	}
	if len(raw) > maxLoggedBody {
		b, _ := json.Marshal(map[string]any{"truncated": true, "bytes": len(raw)})
		return b
	}
	var v any
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	if err := dec.Decode(&v); err != nil || dec.More() {
		b, _ := json.Marshal(string(raw))
		return b
	}
	if !redactValue(v) {
		return append(json.RawMessage(nil), bytes.TrimSpace(raw)...)
	}
	b, _ := json.Marshal(v)
	return b
}

func redactValue(v any) bool {
	changed := false
	switch x := v.(type) {
	case map[string]any:
		for k, e := range x {
			if secretKeys[k] {
				x[k] = redacted
				changed = true
			} else if redactValue(e) {
				changed = true
			}
		}
	case []any:
		for _, e := range x {
			if redactValue(e) {
				changed = true
			}
		}
	}
	return changed
}

// redactURL hides secret query parameters of u.
func redactURL(u string) string {
	p, err := url.Parse(u)
	if err != nil {
		return "(unparsable URL)"
	}
	q := p.Query()
	changed := false
	for k := range q {
		if secretKeys[k] {
			q.Set(k, redacted)
			changed = true
		}
	}
	if changed {
		p.RawQuery = q.Encode()
	}
	return p.String()
}
