package adtemplate

import (
	"fmt"
	"strings"

	"github.com/wxads/wxads"
)

// checkRestrictionKinds refuses a restriction kind on an element type the
// seed does not return it for (e.g. text_restriction on an image).
func checkRestrictionKinds(e *Element, p string) *fieldError {
	r := &e.Restriction
	kinds := []struct {
		name  string
		given bool
		types []string
	}{
		{"text_restriction", r.Text != nil, []string{elemText, "ELEMENT_TYPE_PHONE"}},
		{"image_restriction", r.Image != nil, []string{elemImage, elemImageArray}},
		{"url_restriction", r.URL != nil, []string{elemURL}},
		{"video_restriction", r.Video != nil, []string{elemVideo}},
		{"number_restriction", r.Number != nil, []string{elemInteger, elemNumber}},
	}
	for _, k := range kinds {
		if k.given && !in(k.types, e.ElementType) {
			return defect(p+"."+k.name, wxads.CodeBadFormat, "applies only to %s", strings.Join(k.types, " and "))
		}
	}
	return nil
}

// checkRestriction checks bounds and formats, and compiles the patterns
// (kept on the restriction for the validator).
func checkRestriction(r *Restriction, p string) *fieldError {
	var err *fieldError
	if t := r.Text; t != nil {
		err = firstDefect(
			bounds(p+".text_restriction", "min_length", t.MinLength, "max_length", t.MaxLength),
			compileInto(&t.pattern, t.TextPattern, p+".text_restriction.text_pattern"))
	}
	if u := r.URL; u != nil && err == nil {
		err = compileInto(&u.pattern, u.URLPattern, p+".url_restriction.url_pattern")
	}
	if im := r.Image; im != nil && err == nil {
		q := p + ".image_restriction"
		err = firstDefect(
			nonNegative(q, "width", im.Width, "height", im.Height, "file_size", im.FileSize),
			formats(q+".file_format", im.FileFormat, imageFormats))
	}
	if v := r.Video; v != nil && err == nil {
		err = checkVideo(v, p+".video_restriction")
	}
	if n := r.Number; n != nil && err == nil && n.Min != nil && n.Max != nil && *n.Min > *n.Max {
		err = defect(p+".number_restriction", wxads.CodeBadFormat, "min is greater than max")
	}
	return err
}

func checkVideo(v *VideoRestriction, q string) *fieldError {
	if (v.Width > 0 || v.Height > 0) && (v.MinWidth > 0 || v.MinHeight > 0 || v.RatioWidth > 0 || v.RatioHeight > 0) {
		return defect(q, wxads.CodeBadFormat, "width/height and min_width/min_height/ratio_width/ratio_height are not given together")
	}
	if (v.RatioWidth > 0) != (v.RatioHeight > 0) {
		return defect(q, wxads.CodeBadFormat, "ratio_width and ratio_height come together")
	}
	return firstDefect(
		nonNegative(q, "width", v.Width, "height", v.Height, "min_width", v.MinWidth, "min_height", v.MinHeight,
			"ratio_width", v.RatioWidth, "ratio_height", v.RatioHeight, "file_size", v.FileSize),
		bounds(q, "min_duration", v.MinDuration, "max_duration", v.MaxDuration),
		formats(q+".file_format", v.FileFormat, videoFormats))
}

// bounds checks 0 <= min <= max, a max of 0 meaning unbounded.
func bounds(q, minName string, lo int, maxName string, hi int) *fieldError {
	if err := nonNegative(q, minName, lo, maxName, hi); err != nil {
		return err
	}
	if hi > 0 && lo > hi {
		return defect(q, wxads.CodeBadFormat, "%s %d is greater than %s %d", minName, lo, maxName, hi)
	}
	return nil
}

// nonNegative takes name, value pairs.
func nonNegative(q string, pairs ...any) *fieldError {
	for i := 0; i+1 < len(pairs); i += 2 {
		if v := pairs[i+1].(int); v < 0 {
			return defect(q+"."+pairs[i].(string), wxads.CodeTooSmall, "must not be negative")
		}
	}
	return nil
}

func formats(q string, got, known []string) *fieldError {
	for i, f := range got {
		if !in(known, f) {
			return defect(fmt.Sprintf("%s[%d]", q, i), wxads.CodeNotInEnum, "%q is not one of %s", f, strings.Join(known, ", "))
		}
	}
	return nil
}

func compileInto(dst **Pattern, src, q string) *fieldError {
	if src == "" {
		return nil
	}
	p, err := CompilePattern(src)
	if err != nil {
		return defect(q, wxads.CodeBadFormat, "%v", err)
	}
	*dst = p
	return nil
}

func firstDefect(errs ...*fieldError) *fieldError {
	for _, e := range errs {
		if e != nil {
			return e
		}
	}
	return nil
}
