package sqlite

import (
	"bytes"
	"compress/flate"
	"encoding/json"
	"io"
	"sync"

	"github.com/wxads/wxads"
)

// detail is what a request record keeps: its body and verdicts.
type detail struct {
	Body    string                `json:"body"`
	Actions []wxads.ActionVerdict `json:"actions,omitempty"`
}

// plainDetailMax is the largest detail kept as plain JSON. DEFLATE pays for
// itself on a 50-action upload (≈ 5× smaller) but on a one-action call its
// Huffman tables cost more CPU than the few hundred bytes it saves (issue
// 14: the inspector was 26 % of server CPU at 64 clients × 1 action).
const plainDetailMax = 2 << 10

// flateWriters keeps compressors between batches: flate.NewWriter
// allocates 1.2 MB and took ≈ 0.6 ms, once per AddRequests call.
var flateWriters = sync.Pool{New: func() any {
	w, _ := flate.NewWriter(nil, flate.BestSpeed) // BestSpeed is a valid level: no error
	return w
}}

// detailCodec encodes a batch of records' details.
type detailCodec struct {
	buf bytes.Buffer
}

// encode returns r's detail: plain JSON (it starts with '{') when small,
// else raw DEFLATE of it.
func (c *detailCodec) encode(r *wxads.RequestRecord) ([]byte, error) {
	c.buf.Reset()
	if err := json.NewEncoder(&c.buf).Encode(detail{Body: r.Body, Actions: r.Actions}); err != nil {
		return nil, err
	}
	if c.buf.Len() <= plainDetailMax {
		return bytes.Clone(c.buf.Bytes()), nil
	}
	var out bytes.Buffer
	w := flateWriters.Get().(*flate.Writer)
	defer flateWriters.Put(w)
	w.Reset(&out)
	if _, err := w.Write(c.buf.Bytes()); err != nil {
		return nil, err
	}
	if err := w.Close(); err != nil {
		return nil, err
	}
	return out.Bytes(), nil
}

// decodeDetail reads a detail in either form. A DEFLATE stream cannot be
// taken for plain JSON: one starting with '{' would have to inflate to
// valid JSON as it stands, so plain is tried first only for a leading '{'
// and a stream that does not parse is inflated.
func decodeDetail(b []byte, r *wxads.RequestRecord) error {
	var d detail
	if len(b) > 0 && b[0] == '{' && json.Unmarshal(b, &d) == nil {
		r.Body, r.Actions = d.Body, d.Actions
		return nil
	}
	raw, err := io.ReadAll(flate.NewReader(bytes.NewReader(b)))
	if err != nil {
		return err
	}
	d = detail{}
	if err := json.Unmarshal(raw, &d); err != nil {
		return err
	}
	r.Body, r.Actions = d.Body, d.Actions
	return nil
}
