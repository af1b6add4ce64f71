package adtemplate

import (
	"encoding/json"
	"slices"
	"strconv"
	"strings"
)

// MediaDecl is how a creative declares an image or video for offline
// validation. The platform's creative holds a media id string; a validated
// creative may instead hold an object with the id and any of the facts
// below, and each declared fact is checked against the template's
// restriction. A bare id string declares nothing and passes.
type MediaDecl struct {
	ID            string  `json:"id,omitempty"`
	Width         int64   `json:"width,omitempty"`           // px
	Height        int64   `json:"height,omitempty"`          // px
	FileSizeBytes int64   `json:"file_size_bytes,omitempty"` // bytes; restrictions are in KB of 1024 B
	Format        string  `json:"format,omitempty"`          // "IMAGE_TYPE_JPG", "MEDIA_TYPE_MP4", "jpg", "video/mp4"
	Duration      float64 `json:"duration,omitempty"`        // seconds, videos only
}

// declared reads a media value; ok is false when it declares nothing to
// check (a bare id) or is malformed (reported). A fact given as 0 counts as
// not declared, as MediaDecl's omitempty encodes it.
func (v *validator) declared(val any, path string, video bool) (d MediaDecl, ok bool) {
	if _, isID := val.(string); isID {
		return d, false
	}
	obj, isObj := val.(map[string]any)
	if !isObj {
		v.add(path, RuleType, "a media element is an id string or a declaration object")
		return d, false
	}
	ok = true
	for _, k := range sortedKeys(obj) {
		x, p, good := obj[k], path+"."+k, true
		switch {
		case k == "id":
			d.ID, good = x.(string)
		case k == "format":
			d.Format, good = x.(string)
		case k == "width":
			d.Width, good = nonNegative64(x)
		case k == "height":
			d.Height, good = nonNegative64(x)
		case k == "file_size_bytes":
			d.FileSizeBytes, good = nonNegative64(x)
		case k == "duration" && video:
			n, _ := x.(json.Number)
			f, err := strconv.ParseFloat(string(n), 64)
			d.Duration, good = f, err == nil && f >= 0
		default:
			// Reported, but the facts that were declared are still checked.
			v.add(p, RuleUnknown, "%s is not part of a %s declaration (id, width, height, file_size_bytes, format%s)",
				k, cond(video, "video", "image"), cond(video, ", duration", ""))
			continue
		}
		if !good {
			v.add(p, RuleType, "%s has the wrong type: see MediaDecl", k)
			ok = false
		}
	}
	return d, ok
}

func nonNegative64(x any) (int64, bool) {
	n, _ := x.(json.Number)
	i, err := strconv.ParseInt(string(n), 10, 64)
	return i, err == nil && i >= 0
}

func (v *validator) image(r *ImageRestriction, val any, path string) {
	d, ok := v.declared(val, path, false)
	if !ok || r == nil {
		return
	}
	if r.Width > 0 && d.Width > 0 && d.Width != int64(r.Width) {
		v.add(path, RuleImageWidth, "width %d px; the template needs exactly %d px", d.Width, r.Width)
	}
	if r.Height > 0 && d.Height > 0 && d.Height != int64(r.Height) {
		v.add(path, RuleImageHeight, "height %d px; the template needs exactly %d px", d.Height, r.Height)
	}
	v.fileSize(r.FileSize, d.FileSizeBytes, path, RuleImageFileSize)
	v.format(r.FileFormat, d.Format, path, RuleImageFormat)
}

func (v *validator) video(r *VideoRestriction, val any, path string) {
	d, ok := v.declared(val, path, true)
	if !ok || r == nil {
		return
	}
	v.dimension(RuleVideoWidth, "width", d.Width, r.Width, r.MinWidth, path)
	v.dimension(RuleVideoHeight, "height", d.Height, r.Height, r.MinHeight, path)
	if r.RatioWidth > 0 && d.Width > 0 && d.Height > 0 && d.Width*int64(r.RatioHeight) != d.Height*int64(r.RatioWidth) {
		v.add(path, RuleVideoRatio, "%dx%d is not %d:%d", d.Width, d.Height, r.RatioWidth, r.RatioHeight)
	}
	v.fileSize(r.FileSize, d.FileSizeBytes, path, RuleVideoFileSize)
	v.format(r.FileFormat, d.Format, path, RuleVideoFormat)
	if d.Duration > 0 && (d.Duration < float64(r.MinDuration) || r.MaxDuration > 0 && d.Duration > float64(r.MaxDuration)) {
		v.add(path, RuleVideoDuration, "%g s is outside %d–%s s", d.Duration, r.MinDuration, cond(r.MaxDuration > 0, strconv.Itoa(r.MaxDuration), "∞"))
	}
}

// dimension checks an exact size, or a minimum when the template gives one.
func (v *validator) dimension(rule, name string, got int64, exact, least int, path string) {
	switch {
	case got == 0:
	case exact > 0 && got != int64(exact):
		v.add(path, rule, "%s %d px; the template needs exactly %d px", name, got, exact)
	case least > 0 && got < int64(least):
		v.add(path, rule, "%s %d px; the template needs at least %d px", name, got, least)
	}
}

func (v *validator) fileSize(maxKB int, got int64, path, rule string) {
	if maxKB > 0 && got > int64(maxKB)*1024 {
		v.add(path, rule, "%d bytes, more than the maximum %d KB (%d bytes)", got, maxKB, int64(maxKB)*1024)
	}
}

func (v *validator) format(allowed []string, got, path, rule string) {
	if len(allowed) == 0 || got == "" {
		return
	}
	want := formatName(got)
	if !slices.ContainsFunc(allowed, func(a string) bool { return formatName(a) == want }) {
		v.add(path, rule, "format %q is not one of %s", got, strings.Join(allowed, ", "))
	}
}

// formatName reduces "IMAGE_TYPE_JPG", "jpeg", ".jpg" and "image/jpeg" to "JPG".
func formatName(s string) string {
	s = strings.ToUpper(strings.TrimPrefix(s, "."))
	if i := strings.LastIndex(s, "_TYPE_"); i >= 0 {
		s = s[i+len("_TYPE_"):]
	}
	if i := strings.LastIndexByte(s, '/'); i >= 0 {
		s = s[i+1:]
	}
	switch s {
	case "JPEG":
		return "JPG"
	case "QUICKTIME":
		return "MOV"
	}
	return s
}

func sortedKeys(m map[string]any) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

func cond[T any](c bool, a, b T) T {
	if c {
		return a
	}
	return b
}
