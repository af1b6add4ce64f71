package adtemplate

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"net/url"
	"strconv"
	"strings"

	"github.com/wxads/wxads"
)

// Query is a parsed `adcreative_templates/get` request, global parameters
// and account_id aside (the HTTP layer checks those).
type Query struct {
	Filtering []Filter // ANDed; empty: every template
	Page      int      // 1–99999
	PageSize  int      // 1–100
	Fields    []string // list-item fields to keep; empty: all
}

// Filter is one condition. Operator is always EQUALS and Values holds exactly
// one value, normalized to a string (ids as plain decimal digits).
type Filter struct {
	Field    string   `json:"field"`
	Operator string   `json:"operator"`
	Values   []string `json:"values"`
}

// Paging bounds of seed 002.
const (
	DefaultPage     = 1
	MaxPage         = 99999
	DefaultPageSize = 10
	MaxPageSize     = 100
	maxConditions   = 3
)

// ParseQuery parses filtering, page, page_size and fields. An error is a
// *wxads.Error naming the parameter by its path, e.g. filtering[0].values[0].
// A parameter sent empty counts as not sent.
func ParseQuery(params url.Values) (Query, error) {
	q := Query{Page: DefaultPage, PageSize: DefaultPageSize}
	var err *wxads.Error
	if s := params.Get("filtering"); s != "" {
		q.Filtering, err = parseFiltering(s)
	}
	if s := params.Get("page"); s != "" && err == nil {
		q.Page, err = parseBounded("page", s, 1, MaxPage)
	}
	if s := params.Get("page_size"); s != "" && err == nil {
		q.PageSize, err = parseBounded("page_size", s, 1, MaxPageSize)
	}
	if s := params.Get("fields"); s != "" && err == nil {
		q.Fields, err = parseFields(s)
	}
	if err != nil {
		return Query{}, err
	}
	return q, nil
}

func parseFiltering(s string) ([]Filter, *wxads.Error) {
	var conds []any
	if decodeJSON(s, &conds) != nil || conds == nil {
		return nil, wxads.Errorf(wxads.CodeBadFormat, "filtering")
	}
	switch {
	case len(conds) == 0:
		return nil, wxads.Errorf(wxads.CodeTooFew, "filtering", "1")
	case len(conds) > maxConditions:
		return nil, wxads.Errorf(wxads.CodeTooMany, "filtering", strconv.Itoa(maxConditions))
	}
	filters := make([]Filter, len(conds))
	for i, c := range conds {
		f, err := parseCondition(c, fmt.Sprintf("filtering[%d]", i))
		if err != nil {
			return nil, err
		}
		filters[i] = f
	}
	return filters, nil
}

func parseCondition(c any, p string) (Filter, *wxads.Error) {
	m, ok := c.(map[string]any)
	if !ok {
		return Filter{}, wxads.Errorf(wxads.CodeBadFormat, p)
	}
	field, err := stringMember(m, "field", p)
	if err != nil {
		return Filter{}, err
	}
	if !in(FilterFields, field) {
		return Filter{}, wxads.Errorf(wxads.CodeNotInEnum, p+".field", strings.Join(FilterFields, ","))
	}
	op, err := stringMember(m, "operator", p)
	if err != nil {
		return Filter{}, err
	}
	if op != OperatorEquals {
		return Filter{}, wxads.Errorf(wxads.CodeNotInEnum, p+".operator", OperatorEquals)
	}
	raw, present := m["values"]
	values, isArray := raw.([]any)
	switch {
	case !present || raw == nil:
		return Filter{}, wxads.Errorf(wxads.CodeRequired, p+".values")
	case !isArray:
		return Filter{}, wxads.Errorf(wxads.CodeWrongType, p+".values", "array")
	case len(values) == 0:
		return Filter{}, wxads.Errorf(wxads.CodeTooFew, p+".values", "1")
	case len(values) > 1:
		return Filter{}, wxads.Errorf(wxads.CodeTooMany, p+".values", "1")
	}
	v, err := filterValue(field, values[0], p+".values[0]")
	if err != nil {
		return Filter{}, err
	}
	return Filter{Field: field, Operator: op, Values: []string{v}}, nil
}

func stringMember(m map[string]any, key, p string) (string, *wxads.Error) {
	v, ok := m[key]
	if !ok || v == nil {
		return "", wxads.Errorf(wxads.CodeRequired, p+"."+key)
	}
	s, ok := v.(string)
	if !ok {
		return "", wxads.Errorf(wxads.CodeWrongType, p+"."+key, "string")
	}
	return s, nil
}

// filterEnums are the per-field value lists of seed 002.
var filterEnums = map[string][]string{FieldSiteSet: SiteSets, FieldPromotedObject: PromotedObjectTypes, FieldDynamicAbility: DynamicAbilityTypes}

// filterValue checks one value against its field's rule in seed 002 and
// returns it as a string.
func filterValue(field string, v any, p string) (string, *wxads.Error) {
	switch field {
	case FieldTemplateID: // ids come as a number or a string of digits (SPEC §3)
		n, err := integerValue(v, p, 0, math.MaxInt64)
		return strconv.FormatInt(n, 10), err
	case FieldIsDynamic: // seed: minimum 0, maximum 1
		n, err := integerValue(v, p, 0, 1)
		return strconv.FormatInt(n, 10), err
	case FieldWechatScenePos: // the seed gives no list: any string or integer
		if _, ok := v.(json.Number); ok {
			n, err := integerValue(v, p, math.MinInt64, math.MaxInt64)
			return strconv.FormatInt(n, 10), err
		}
	}
	s, ok := v.(string)
	if !ok {
		return "", wxads.Errorf(wxads.CodeWrongType, p, "string")
	}
	if enum := filterEnums[field]; enum != nil && !in(enum, s) {
		return "", wxads.Errorf(wxads.CodeNotInEnum, p, strings.Join(enum, ","))
	}
	return s, nil
}

// integerValue accepts a JSON integer or a string of decimal digits.
func integerValue(v any, p string, lo, hi int64) (int64, *wxads.Error) {
	var s string
	switch v := v.(type) {
	case json.Number:
		s = string(v)
	case string:
		if v == "" || strings.Trim(v, "0123456789") != "" {
			return 0, wxads.Errorf(wxads.CodeWrongType, p, "integer")
		}
		s = v
	default:
		return 0, wxads.Errorf(wxads.CodeWrongType, p, "integer")
	}
	n, err := strconv.ParseInt(s, 10, 64)
	overflow := errors.Is(err, strconv.ErrRange)
	switch {
	case err != nil && !overflow:
		return 0, wxads.Errorf(wxads.CodeWrongType, p, "integer")
	case overflow && !strings.HasPrefix(s, "-"), !overflow && n > hi:
		return 0, wxads.Errorf(wxads.CodeTooBig, p, wxads.LessThan(hi))
	case overflow, n < lo:
		return 0, wxads.Errorf(wxads.CodeTooSmall, p, wxads.GreaterThan(lo))
	}
	return n, nil
}

// parseBounded parses page or page_size: not an integer 18002, below lo
// 18004, above hi 18003 (an integer too long for int64 by its sign).
func parseBounded(name, s string, lo, hi int64) (int, *wxads.Error) {
	digits := strings.TrimPrefix(strings.TrimPrefix(s, "-"), "+")
	if digits == "" || strings.Trim(digits, "0123456789") != "" {
		return 0, wxads.Errorf(wxads.CodeWrongType, name, "integer")
	}
	n, err := integerValue(json.Number(strings.TrimPrefix(s, "+")), name, lo, hi)
	return int(n), err
}

func parseFields(s string) ([]string, *wxads.Error) {
	var names []any
	if decodeJSON(s, &names) != nil || names == nil {
		return nil, wxads.Errorf(wxads.CodeBadFormat, "fields")
	}
	fields := make([]string, len(names))
	for i, n := range names {
		p := fmt.Sprintf("fields[%d]", i)
		name, ok := n.(string)
		if !ok {
			return nil, wxads.Errorf(wxads.CodeWrongType, p, "string")
		}
		if !in(ListFields, name) {
			return nil, wxads.Errorf(wxads.CodeNotInEnum, p, strings.Join(ListFields, ","))
		}
		fields[i] = name
	}
	return fields, nil
}

// decodeJSON decodes exactly one JSON value, numbers kept as json.Number.
func decodeJSON(s string, v any) error {
	dec := json.NewDecoder(strings.NewReader(s))
	dec.UseNumber()
	if err := dec.Decode(v); err != nil {
		return err
	}
	if dec.Decode(&json.RawMessage{}) != io.EOF {
		return errors.New("trailing data after the JSON value")
	}
	return nil
}
