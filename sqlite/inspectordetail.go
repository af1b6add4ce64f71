package sqlite

import (
	"bytes"
	"compress/flate"
	"encoding/json"
	"io"

	"github.com/wxads/wxads"
)

// detail is what a request record keeps compressed: its body and verdicts.
type detail struct {
	Body    string                `json:"body"`
	Actions []wxads.ActionVerdict `json:"actions,omitempty"`
}

// detailCodec reuses one compressor for a batch of records.
type detailCodec struct {
	buf bytes.Buffer
	w   *flate.Writer
}

func (c *detailCodec) encode(r *wxads.RequestRecord) ([]byte, error) {
	c.buf.Reset()
	if c.w == nil {
		w, err := flate.NewWriter(&c.buf, flate.BestSpeed)
		if err != nil {
			return nil, err
		}
		c.w = w
	} else {
		c.w.Reset(&c.buf)
	}
	if err := json.NewEncoder(c.w).Encode(detail{Body: r.Body, Actions: r.Actions}); err != nil {
		return nil, err
	}
	if err := c.w.Close(); err != nil {
		return nil, err
	}
	return bytes.Clone(c.buf.Bytes()), nil
}

func decodeDetail(b []byte, r *wxads.RequestRecord) error {
	raw, err := io.ReadAll(flate.NewReader(bytes.NewReader(b)))
	if err != nil {
		return err
	}
	var d detail
	if err := json.Unmarshal(raw, &d); err != nil {
		return err
	}
	r.Body, r.Actions = d.Body, d.Actions
	return nil
}
