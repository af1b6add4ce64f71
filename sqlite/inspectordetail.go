package sqlite

import (
	"bytes"
	"compress/flate"
	"encoding/binary"
	"encoding/json"
	"errors"
	"io"
	"sync"

	kflate "github.com/klauspost/compress/flate"

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
//
// The compressor is klauspost/compress's DEFLATE, the reader the standard
// library's: the same format (RFC 1951), written 2.7× faster at a slightly
// better ratio (a realistic 46 KB 50-action detail: 240 → 89 µs, 5.5 →
// 5.2 KB), where compressing was 10–14 % of server CPU at 16 × 50 (issue
// 14). Details written before read back unchanged.
var flateWriters = sync.Pool{New: func() any {
	w, _ := kflate.NewWriter(nil, kflate.BestSpeed) // BestSpeed is a valid level: no error
	return w
}}

// detailCodec encodes a batch of records' details.
type detailCodec struct {
	buf  bytes.Buffer
	size [binary.MaxVarintLen64]byte
}

// rawBodyDetail marks a detail written as 0xFF followed by the DEFLATE of
// uvarint(len(body)) ‖ body ‖ verdicts as JSON: the body is kept as sent,
// not escaped into a JSON string (escaping a 30 KB upload was 6 % of
// server CPU at 16 × 50, and made the compressor's input larger). No DEFLATE
// stream starts with 0xFF (block type 3 is reserved) and no JSON does.
const rawBodyDetail = 0xFF

// encode returns r's detail: plain JSON (it starts with '{') when small,
// else the raw-body form.
func (c *detailCodec) encode(r *wxads.RequestRecord) ([]byte, error) {
	c.buf.Reset()
	if len(r.Body) < plainDetailMax {
		if err := json.NewEncoder(&c.buf).Encode(detail{Body: r.Body, Actions: r.Actions}); err != nil {
			return nil, err
		}
		if c.buf.Len() <= plainDetailMax {
			return bytes.Clone(c.buf.Bytes()), nil
		}
		c.buf.Reset()
	}
	n := binary.PutUvarint(c.size[:], uint64(len(r.Body)))
	c.buf.Write(c.size[:n])
	c.buf.WriteString(r.Body)
	if len(r.Actions) > 0 {
		if err := json.NewEncoder(&c.buf).Encode(r.Actions); err != nil {
			return nil, err
		}
	}
	out := bytes.NewBuffer(make([]byte, 0, c.buf.Len()/4+64))
	out.WriteByte(rawBodyDetail)
	w := flateWriters.Get().(*kflate.Writer)
	defer flateWriters.Put(w)
	w.Reset(out)
	if _, err := w.Write(c.buf.Bytes()); err != nil {
		return nil, err
	}
	if err := w.Close(); err != nil {
		return nil, err
	}
	return out.Bytes(), nil
}

// decodeDetail reads a detail in any of its forms: plain JSON, the raw-body
// form, or (rows written before it) DEFLATE of the JSON. A DEFLATE stream
// cannot be taken for plain JSON: one starting with '{' would have to
// inflate to valid JSON as it stands, so plain is tried first only for a
// leading '{' and a stream that does not parse is inflated.
func decodeDetail(b []byte, r *wxads.RequestRecord) error {
	var d detail
	if len(b) > 0 && b[0] == '{' && json.Unmarshal(b, &d) == nil {
		r.Body, r.Actions = d.Body, d.Actions
		return nil
	}
	if len(b) > 0 && b[0] == rawBodyDetail {
		raw, err := io.ReadAll(flate.NewReader(bytes.NewReader(b[1:])))
		if err != nil {
			return err
		}
		size, n := binary.Uvarint(raw)
		if n <= 0 || uint64(len(raw)-n) < size {
			return errors.New("sqlite: request detail: bad body length")
		}
		r.Body, r.Actions = string(raw[n:n+int(size)]), nil
		if rest := raw[n+int(size):]; len(rest) > 0 {
			return json.Unmarshal(rest, &r.Actions)
		}
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
