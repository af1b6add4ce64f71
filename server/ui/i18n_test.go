package ui

import (
	"io/fs"
	"regexp"
	"testing"
)

// Every label a template asks for exists in both languages.
func TestEveryTemplateLabelIsTranslated(t *testing.T) {
	re := regexp.MustCompile(`\.T "([A-Za-z0-9_]+)"`)
	files, _ := fs.Glob(templateFS, "templates/*.html")
	for _, f := range files {
		b, _ := fs.ReadFile(templateFS, f)
		for _, m := range re.FindAllStringSubmatch(string(b), -1) {
			p, ok := labels[m[1]]
			if !ok || p[0] == "" || p[1] == "" {
				t.Errorf("%s: label %q is missing a language", f, m[1])
			}
		}
	}
	for key, p := range labels {
		if p[0] == "" || p[1] == "" {
			t.Errorf("label %q is missing a language", key)
		}
	}
}

func TestLocalPathRefusesOpenRedirects(t *testing.T) {
	for _, p := range []string{"https://evil.example", "//evil.example/ui/", "/ui/\\evil", "/other", ""} {
		if got := localPath(p, "/ui/"); got != "/ui/" {
			t.Errorf("localPath(%q) = %q", p, got)
		}
	}
	if got := localPath("/ui/sources?x=1", "/ui/"); got != "/ui/sources?x=1" {
		t.Errorf("a dashboard path was refused: %q", got)
	}
}
