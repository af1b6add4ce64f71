package ui

import (
	"cmp"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/wxads/wxads/errcode"
)

type errcodeRow struct {
	errcode.Entry
	Hint string
}

// errcodesPage searches the registry by code or by words, as `wxads
// errcode` does; anyone may use it, signed in or not.
func (u *UI) errcodesPage(w http.ResponseWriter, r *http.Request, c *ctx) error {
	q := strings.TrimSpace(r.URL.Query().Get("q"))
	var entries []errcode.Entry
	if code, err := strconv.Atoi(q); err == nil {
		entries = errcode.Lookup(code)
	} else if q != "" {
		entries = errcode.Search(q)
		slices.SortStableFunc(entries, func(a, b errcode.Entry) int { return cmp.Compare(a.Code, b.Code) })
	}
	const limit = 200 // a one-letter search matches most of the registry
	if len(entries) > limit {
		entries = entries[:limit]
	}
	rows := make([]errcodeRow, len(entries))
	for i, e := range entries {
		rows[i] = errcodeRow{Entry: e, Hint: errcode.Hint(e.Code)}
	}
	return u.render(w, r, c, http.StatusOK, "errcodes", "errcodes_title", map[string]any{"Query": q, "Rows": rows})
}
