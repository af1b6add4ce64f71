package adtemplate

import (
	"bytes"
	"cmp"
	_ "embed"
	"encoding/json"
	"fmt"
	"reflect"
	"slices"
	"strconv"
	"sync"

	"github.com/wxads/wxads"
)

// Catalog is an immutable set of templates sorted by id. It is safe for
// concurrent use; replacing the catalog means swapping the pointer.
type Catalog struct {
	templates []*Template
	byID      map[int64]*Template
}

//go:embed catalog/default.json
var defaultJSON []byte

var defaultCatalog = sync.OnceValue(func() *Catalog {
	c, err := ParseCatalog(defaultJSON)
	if err != nil { // a test parses the same bytes, so this is a build defect
		panic("adtemplate: embedded default catalog: " + err.Error())
	}
	return c
})

// Default returns the shipped catalog: template 69 exactly as seed 002 shows
// it plus sample templates for the other site sets.
func Default() *Catalog { return defaultCatalog() }

// CatalogError says why ParseCatalog refused a catalog: which entry, which
// template id (0 when it has none yet), which field inside it, and why.
type CatalogError struct {
	Index  int    // position of the template in the JSON list; -1 for the list itself
	ID     int64  // adcreative_template_id of that entry, 0 if unknown
	Path   string // field path inside the template, "" for the template itself
	Code   int    // platform code the admin API answers with
	Reason string
}

func (e *CatalogError) Error() string {
	if e.Index < 0 {
		return "adtemplate: catalog: " + e.Reason
	}
	where := fmt.Sprintf("catalog[%d]", e.Index)
	if e.ID != 0 {
		where += fmt.Sprintf(" (template %d)", e.ID)
	}
	if e.Path != "" {
		where += " " + e.Path
	}
	return "adtemplate: " + where + ": " + e.Reason
}

// Platform returns the error as the platform error the admin API sends:
// the code, the path from the request body's list (e.g. "[2].site_set") as
// its parameter, and the reason as its message — a registry template has no
// room for "which enum" or "what type", and the reason says exactly that.
func (e *CatalogError) Platform() *wxads.Error {
	param := ""
	if e.Index >= 0 {
		param = fmt.Sprintf("[%d]", e.Index)
		if e.Path != "" {
			param += "." + e.Path
		}
	}
	msg := e.Reason
	if param != "" {
		msg = param + ": " + e.Reason
	}
	return &wxads.Error{Code: e.Code, Param: param, Message: msg}
}

// ParseCatalog parses and checks a whole catalog, a JSON list of template
// objects. Any defect refuses the whole list, so a caller replacing its
// catalog either gets a complete new one or keeps the old.
func ParseCatalog(data []byte) (*Catalog, error) {
	var items []json.RawMessage
	if trimmed := bytes.TrimSpace(data); len(trimmed) == 0 || trimmed[0] != '[' {
		return nil, &CatalogError{Index: -1, Code: wxads.CodeBadJSON, Reason: "must be a JSON list of templates"}
	}
	if err := json.Unmarshal(data, &items); err != nil {
		return nil, &CatalogError{Index: -1, Code: wxads.CodeBadJSON, Reason: "not valid JSON: " + err.Error()}
	}
	c := &Catalog{byID: make(map[int64]*Template, len(items))}
	at := make(map[int64]int, len(items))
	for i, raw := range items {
		t, ferr := parseTemplate(raw)
		if ferr != nil {
			return nil, &CatalogError{Index: i, ID: peekID(raw), Path: ferr.path, Code: ferr.code, Reason: ferr.reason}
		}
		if j, dup := at[t.ID]; dup {
			return nil, &CatalogError{Index: i, ID: t.ID, Path: "adcreative_template_id", Code: wxads.CodeBadFormat,
				Reason: fmt.Sprintf("duplicate id, already used by catalog[%d]", j)}
		}
		at[t.ID] = i
		c.byID[t.ID] = t
		c.templates = append(c.templates, t)
	}
	slices.SortFunc(c.templates, func(a, b *Template) int { return cmp.Compare(a.ID, b.ID) })
	return c, nil
}

func parseTemplate(raw json.RawMessage) (*Template, *fieldError) {
	var compact bytes.Buffer
	if err := json.Compact(&compact, raw); err != nil {
		return nil, defect("", wxads.CodeBadFormat, "not valid JSON: %v", err)
	}
	members, ferr := objectMembers(compact.Bytes())
	if ferr != nil {
		return nil, ferr
	}
	for _, k := range []string{"adcreative_template_id", "site_set", "promoted_object_type", "adcreative_elements"} {
		if !slices.ContainsFunc(members, func(m member) bool { return m.key == k && string(m.value) != "null" }) {
			return nil, defect(k, wxads.CodeRequired, "required")
		}
	}
	dec := json.NewDecoder(bytes.NewReader(compact.Bytes()))
	dec.UseNumber()
	var tree any
	if err := dec.Decode(&tree); err != nil {
		return nil, defect("", wxads.CodeBadFormat, "not valid JSON: %v", err)
	}
	tree, ferr = conform(tree, reflect.TypeFor[Template](), "")
	if ferr != nil {
		return nil, ferr
	}
	normal, err := json.Marshal(tree)
	if err != nil {
		return nil, defect("", wxads.CodeBadFormat, "%v", err)
	}
	t := &Template{raw: compact.Bytes(), members: members}
	if err := json.Unmarshal(normal, t); err != nil { // conform has ruled this out
		return nil, defect("", wxads.CodeBadFormat, "%v", err)
	}
	if ferr := checkTemplate(t); ferr != nil {
		return nil, ferr
	}
	return t, nil
}

// member is one top-level key of a template object with its compact value.
type member struct {
	key   string
	value json.RawMessage
}

// objectMembers lists the members of a JSON object in order, refusing
// duplicate keys (which one would win is not something to leave to chance).
func objectMembers(obj []byte) ([]member, *fieldError) {
	dec := json.NewDecoder(bytes.NewReader(obj))
	if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
		return nil, defect("", wxads.CodeWrongType, "must be a JSON object")
	}
	var members []member
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return nil, defect("", wxads.CodeBadFormat, "not valid JSON: %v", err)
		}
		key, _ := tok.(string)
		var value json.RawMessage
		if err := dec.Decode(&value); err != nil {
			return nil, defect(key, wxads.CodeBadFormat, "not valid JSON: %v", err)
		}
		if slices.ContainsFunc(members, func(m member) bool { return m.key == key }) {
			return nil, defect(key, wxads.CodeBadFormat, "duplicate key")
		}
		members = append(members, member{key, value})
	}
	return members, nil
}

// peekID reads a template's id for an error message, 0 when it has none.
func peekID(raw json.RawMessage) int64 {
	var v struct {
		ID json.Number `json:"adcreative_template_id"`
	}
	_ = json.Unmarshal(raw, &v)
	id, _ := strconv.ParseInt(string(v.ID), 10, 64)
	return id
}

// Get returns the template with the given id.
func (c *Catalog) Get(id int64) (*Template, bool) {
	t, ok := c.byID[id]
	return t, ok
}

// Len returns the number of templates.
func (c *Catalog) Len() int { return len(c.templates) }

// JSON encodes the catalog as the JSON list ParseCatalog reads, each template
// as served, sorted by id: what a store persists after a replace. It is not a
// json.Marshaler on purpose: encoding/json would escape the "&" in the seed's
// patterns as \u0026, and template 69 would no longer be served byte for byte
// after a reload.
func (c *Catalog) JSON() []byte {
	var b bytes.Buffer
	b.WriteByte('[')
	for i, t := range c.templates {
		if i > 0 {
			b.WriteByte(',')
		}
		b.Write(t.raw)
	}
	b.WriteByte(']')
	return b.Bytes()
}
