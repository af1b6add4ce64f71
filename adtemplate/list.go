package adtemplate

import (
	"bytes"
	"encoding/json"
	"slices"
	"strconv"

	"github.com/wxads/wxads"
)

// PageInfo is the page_info of a list response.
type PageInfo = wxads.PageInfo

// NewPageInfo computes page_info: total_page is ceil(total/pageSize), 0 for none.
func NewPageInfo(page, pageSize, total int) PageInfo { return wxads.NewPageInfo(page, pageSize, total) }

// List returns one page of the templates matching every filter, sorted by
// adcreative_template_id, each projected to q.Fields. Items are the served
// bytes (see Template.Raw); encode them without HTML escaping to keep them
// byte-for-byte. A page past the end is empty, not an error. A zero Page or
// PageSize means the default.
func (c *Catalog) List(q Query) ([]json.RawMessage, PageInfo) {
	page, size := orDefault(q.Page, DefaultPage), orDefault(q.PageSize, DefaultPageSize)
	var matched []*Template
	for _, t := range c.templates {
		if t.matches(q.Filtering) {
			matched = append(matched, t)
		}
	}
	info := NewPageInfo(page, size, len(matched))
	items := []json.RawMessage{} // encodes as [] rather than null
	if from := (page - 1) * size; from < len(matched) {
		for _, t := range matched[from:min(from+size, len(matched))] {
			items = append(items, t.project(q.Fields))
		}
	}
	return items, info
}

func (t *Template) matches(filters []Filter) bool {
	for _, f := range filters {
		if len(f.Values) != 1 || !t.matchesOne(f.Field, f.Values[0]) {
			return false
		}
	}
	return true
}

func (t *Template) matchesOne(field, v string) bool {
	switch field {
	case FieldTemplateID:
		return strconv.FormatInt(t.ID, 10) == v
	case FieldSiteSet:
		return t.SiteSet == v
	case FieldPromotedObject:
		return t.PromotedObjectType == v
	case FieldIsDynamic: // seed: 1 selects dynamic-creative templates, 0 returns all
		return v == "0" || t.dynamicAbility(dynamicCreative)
	case FieldDynamicAbility:
		return t.dynamicAbility(v)
	case FieldWechatScenePos:
		return slices.Contains(t.ScenePositions, v)
	}
	return false
}

func (t *Template) dynamicAbility(v string) bool {
	return t.DynamicAbility != nil && slices.Contains(t.DynamicAbility.DynamicAbilityType, v)
}

// project keeps the members named in fields, in the template's own key
// order; a named field the template lacks is left out. No fields: all.
func (t *Template) project(fields []string) json.RawMessage {
	if len(fields) == 0 {
		return t.raw
	}
	var b bytes.Buffer
	b.WriteByte('{')
	for _, m := range t.members {
		if !slices.Contains(fields, m.key) {
			continue
		}
		if b.Len() > 1 {
			b.WriteByte(',')
		}
		b.WriteString(strconv.Quote(m.key)) // keys are schema names: plain ASCII
		b.WriteByte(':')
		b.Write(m.value)
	}
	b.WriteByte('}')
	return b.Bytes()
}

// orDefault also guards List against a hand-built Query with a negative page.
func orDefault(v, def int) int {
	if v <= 0 {
		return def
	}
	return v
}
