package adtemplate

import (
	"encoding/json"
	"fmt"
	"reflect"
	"slices"
	"strconv"
	"strings"

	"github.com/wxads/wxads"
)

// fieldError is a catalog defect at a path inside one template.
type fieldError struct {
	path   string
	code   int
	reason string
}

func (e *fieldError) Error() string { return e.path + ": " + e.reason }

func defect(path string, code int, format string, args ...any) *fieldError {
	return &fieldError{path: path, code: code, reason: fmt.Sprintf(format, args...)}
}

// conform checks that v, decoded with UseNumber, has the JSON shape of the Go
// type t: known keys only, the right JSON kinds, integers where t has ints.
// It returns v with PHP-style empty arrays `[]` standing for empty objects
// (as the seed's example sends them) replaced by `{}`, so that unmarshalling
// the result into t cannot fail. An unknown key is refused rather than kept:
// a misspelt restriction would otherwise silently validate nothing.
func conform(v any, t reflect.Type, path string) (any, *fieldError) {
	switch t.Kind() {
	case reflect.Pointer:
		if v == nil {
			return nil, nil
		}
		return conform(v, t.Elem(), path)
	case reflect.Struct:
		return conformObject(v, t, path)
	case reflect.Slice:
		if v == nil {
			return nil, nil
		}
		a, ok := v.([]any)
		if !ok {
			return nil, defect(path, wxads.CodeWrongType, "must be an array")
		}
		for i, item := range a {
			nv, err := conform(item, t.Elem(), path+"["+strconv.Itoa(i)+"]")
			if err != nil {
				return nil, err
			}
			a[i] = nv
		}
		return a, nil
	case reflect.String:
		if _, ok := v.(string); !ok {
			return nil, defect(path, wxads.CodeWrongType, "must be a string")
		}
	case reflect.Bool:
		if _, ok := v.(bool); !ok {
			return nil, defect(path, wxads.CodeWrongType, "must be true or false")
		}
	case reflect.Int, reflect.Int64:
		n, ok := v.(json.Number)
		if _, err := strconv.ParseInt(string(n), 10, 64); !ok || err != nil {
			return nil, defect(path, wxads.CodeWrongType, "must be an integer")
		}
	}
	return v, nil
}

func conformObject(v any, t reflect.Type, path string) (any, *fieldError) {
	if v == nil {
		return map[string]any{}, nil
	}
	if a, ok := v.([]any); ok && len(a) == 0 {
		return map[string]any{}, nil
	}
	m, ok := v.(map[string]any)
	if !ok {
		return nil, defect(path, wxads.CodeWrongType, "must be an object")
	}
	fields := jsonFields(t)
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys) // the first defect reported must not depend on map order
	for _, k := range keys {
		ft, ok := fields[k]
		if !ok {
			return nil, defect(join(path, k), wxads.CodeBadFormat, "unknown field")
		}
		nv, err := conform(m[k], ft, join(path, k))
		if err != nil {
			return nil, err
		}
		m[k] = nv
	}
	return m, nil
}

// jsonFields maps the JSON names of t's exported fields to their types.
func jsonFields(t reflect.Type) map[string]reflect.Type {
	fields := make(map[string]reflect.Type, t.NumField())
	for f := range t.Fields() {
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if f.IsExported() && name != "" && name != "-" {
			fields[name] = f.Type
		}
	}
	return fields
}

func join(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}
