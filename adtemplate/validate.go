package adtemplate

import (
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Violation is one way a creative breaks its template. Element is the
// element's path in adcreative_elements: "title", "brand.brand_name",
// "image_list[2]", "element_story[1].image"; "" for the whole object.
type Violation struct {
	Element string `json:"element"`
	Rule    string `json:"rule"`
	Message string `json:"message"`
}

// Rule names are stable: clients match on them (docs/adtemplate.md).
const (
	RuleType              = "type" // wrong JSON type for the element's field_type
	RuleRequired          = "required"
	RuleUnknown           = "unknown" // not an element of the template (or of its struct)
	RuleMinLength         = "min_length"
	RuleMaxLength         = "max_length"
	RulePattern           = "pattern"
	RuleEnum              = "enum"
	RuleArrayMin          = "array_min"
	RuleArrayMax          = "array_max"
	RuleRange             = "range"
	RuleMutuallyExclusive = "mutually_exclusive"
	RuleImageWidth        = "image_width"
	RuleImageHeight       = "image_height"
	RuleImageFileSize     = "image_file_size"
	RuleImageFormat       = "image_format"
	RuleVideoWidth        = "video_width"
	RuleVideoHeight       = "video_height"
	RuleVideoRatio        = "video_ratio"
	RuleVideoFileSize     = "video_file_size"
	RuleVideoFormat       = "video_format"
	RuleVideoDuration     = "video_duration"
	RuleTruncated         = "truncated" // the last violation when more than MaxViolations were found
)

// ValidateCreative checks a creative's adcreative_elements object against t
// and returns every violation found, in template order (unknown elements
// last, by name); none is an empty, non-nil slice. Text lengths count
// characters (Unicode code points), not bytes. Media restrictions are
// checked when the creative declares the media (see MediaDecl).
func ValidateCreative(t *Template, elements json.RawMessage) []Violation {
	v := &validator{t: t, out: []Violation{}}
	var tree any
	err := decodeJSON(string(elements), &tree)
	obj, ok := tree.(map[string]any)
	if err != nil || !ok {
		v.add("", RuleType, "adcreative_elements must be a JSON object")
		return v.out
	}
	v.level("", "", obj, false, false)
	return v.out
}

type validator struct {
	t   *Template
	out []Violation
}

// MaxViolations bounds what one validation reports, so that a huge creative
// cannot make a huge answer; past it one "truncated" violation says so.
const MaxViolations = 100

func (v *validator) add(path, rule, format string, args ...any) {
	switch {
	case len(v.out) < MaxViolations:
		v.out = append(v.out, Violation{Element: path, Rule: rule, Message: fmt.Sprintf(format, args...)})
	case len(v.out) == MaxViolations:
		v.out = append(v.out, Violation{Rule: RuleTruncated,
			Message: fmt.Sprintf("more than %d violations; the rest are not listed", MaxViolations)})
	}
}

// level checks obj against the elements whose parent is parent; at is obj's
// own path ("" at the top).
func (v *validator) level(parent, at string, obj map[string]any, exclusive, required bool) {
	prefix := at
	if prefix != "" {
		prefix += "."
	}
	var kids, given []string
	for i := range v.t.Elements {
		e := &v.t.Elements[i]
		if e.ParentName != parent {
			continue
		}
		kids = append(kids, e.Name)
		if val, ok := obj[e.Name]; ok && val != nil { // null counts as not given
			given = append(given, e.Name)
			v.value(e, val, prefix+e.Name)
		} else if e.Required && !exclusive {
			v.add(prefix+e.Name, RuleRequired, "%s is required", e.Name)
		}
	}
	if exclusive {
		v.exclusive(parent, at, kids, given, required)
	}
	var unknown []string
	for k := range obj {
		if !slices.Contains(kids, k) {
			unknown = append(unknown, k)
		}
	}
	slices.Sort(unknown)
	for _, k := range unknown {
		v.add(prefix+k, RuleUnknown, "%s is not an element of template %d here; expected one of: %s", k, v.t.ID, strings.Join(kids, ", "))
	}
}

// exclusive: a mutually exclusive struct takes one child at most; when the
// struct itself or a child of it is required, it needs exactly one.
func (v *validator) exclusive(parent, at string, kids, given []string, required bool) {
	if len(given) > 1 {
		v.add(at, RuleMutuallyExclusive, "%s takes only one of %s; got %s", parent, strings.Join(kids, ", "), strings.Join(given, ", "))
	}
	if len(given) > 0 {
		return
	}
	if required {
		v.add(at, RuleRequired, "%s needs one of %s", parent, strings.Join(kids, ", "))
		return
	}
	for i := range v.t.Elements {
		if e := &v.t.Elements[i]; e.ParentName == parent && e.Required {
			v.add(at, RuleRequired, "%s needs one of %s", parent, strings.Join(kids, ", "))
			return
		}
	}
}

func (v *validator) value(e *Element, val any, path string) {
	if !strings.HasSuffix(e.FieldType, "_ARRAY") && e.ElementType != elemImageArray {
		v.item(e, val, path)
		return
	}
	items, ok := val.([]any)
	if !ok {
		v.add(path, RuleType, "%s must be an array", e.Name)
		return
	}
	if a := e.ArrayProperty; len(items) < a.MinNumber {
		v.add(path, RuleArrayMin, "%d items, fewer than the minimum %d", len(items), a.MinNumber)
	} else if a.MaxNumber > 0 && len(items) > a.MaxNumber {
		v.add(path, RuleArrayMax, "%d items, more than the maximum %d", len(items), a.MaxNumber)
		items = items[:a.MaxNumber] // the items past the maximum are not checked one by one
	}
	for i, item := range items {
		v.item(e, item, fmt.Sprintf("%s[%d]", path, i))
	}
}

// item checks one value: a struct, a media reference or a scalar.
func (v *validator) item(e *Element, val any, path string) {
	r := &e.Restriction
	switch {
	case e.FieldType == fieldStruct || e.FieldType == fieldStructArray:
		obj, ok := val.(map[string]any)
		if !ok {
			v.add(path, RuleType, "%s must be an object", e.Name)
			return
		}
		v.level(e.Name, path, obj, e.StructProperty.MutuallyExclusive, e.Required)
	case r.Image != nil || e.ElementType == elemImage || e.ElementType == elemImageArray:
		v.image(r.Image, val, path)
	case r.Video != nil || e.ElementType == elemVideo:
		v.video(r.Video, val, path)
	default:
		v.scalar(e, val, path)
	}
}

func (v *validator) scalar(e *Element, val any, path string) {
	base := strings.TrimSuffix(e.FieldType, "_ARRAY")
	n, isNum := val.(json.Number)
	s, isStr := val.(string)
	_, isBool := val.(bool)
	_, intErr := strconv.ParseInt(string(n), 10, 64)
	switch {
	case base == fieldInteger && (!isNum || intErr != nil):
		v.add(path, RuleType, "%s must be an integer", e.Name)
		return
	case base == fieldBoolean && !isBool:
		v.add(path, RuleType, "%s must be true or false", e.Name)
		return
	case base != fieldInteger && base != fieldBoolean && !isStr:
		v.add(path, RuleType, "%s must be a string", e.Name)
		return
	}
	if isNum {
		s = string(n)
	}
	r := &e.Restriction
	if t := r.Text; t != nil {
		v.text(t, s, path)
	}
	if u := r.URL; u != nil && u.pattern != nil && !u.pattern.MatchString(s) {
		v.add(path, RulePattern, "%q does not match the URL pattern %s", s, u.URLPattern)
	}
	if nr := r.Number; nr != nil && isNum {
		x, _ := strconv.ParseInt(s, 10, 64)
		if nr.Min != nil && x < *nr.Min || nr.Max != nil && x > *nr.Max {
			v.add(path, RuleRange, "%d is outside %s", x, rangeText(nr))
		}
	}
	if enum := e.EnumProperty.Enumeration; len(enum) > 0 && !slices.ContainsFunc(enum, func(ev EnumValue) bool { return ev.Value == s }) {
		values := make([]string, len(enum))
		for i, ev := range enum {
			values[i] = ev.Value
		}
		v.add(path, RuleEnum, "%q is not one of %s", s, strings.Join(values, ", "))
	}
}

// text counts characters, i.e. Unicode code points: "广告" is 2, not 6 bytes.
func (v *validator) text(t *TextRestriction, s, path string) {
	n := utf8.RuneCountInString(s)
	if n < t.MinLength {
		v.add(path, RuleMinLength, "%d characters (code points, not bytes), fewer than the minimum %d", n, t.MinLength)
	}
	if t.MaxLength > 0 && n > t.MaxLength {
		v.add(path, RuleMaxLength, "%d characters (code points, not bytes), more than the maximum %d", n, t.MaxLength)
	}
	if t.pattern != nil && !t.pattern.MatchString(s) {
		v.add(path, RulePattern, "%q does not match the text pattern %s", s, t.TextPattern)
	}
}

func rangeText(nr *NumberRestriction) string {
	lo, hi := "-∞", "+∞"
	if nr.Min != nil {
		lo = strconv.FormatInt(*nr.Min, 10)
	}
	if nr.Max != nil {
		hi = strconv.FormatInt(*nr.Max, 10)
	}
	return "[" + lo + ", " + hi + "]"
}
