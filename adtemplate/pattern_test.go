package adtemplate

import (
	"strings"
	"testing"
)

// The seed's two patterns, as they read once the JSON string is decoded.
const (
	seedURLPattern      = `^https?:\/\/([a-zA-Z0-9\-]+\.)+([a-zA-Z]{2,5})([\/\?#][a-zA-Z0-9` + "`" + `~!@#%&_=;\$\^\*\(\)\-\+\{\}\[\]\:\,\.\?\/\|]*)?$`
	seedDeepLinkPattern = `^((?!https?)([a-zA-Z0-9_\-\.])+):\/\/([a-zA-Z0-9_\-\?]+\.?)+([a-zA-Z0-9` + "`" + `~!@#%&_=;\$\^\*\(\)\-\+\{\}\[\]\:\,\.\?\/\|\u4e00-\u9fa5]*)?$`
)

func TestPatternTranslation(t *testing.T) {
	tests := []struct {
		name, src string
		exact     bool
		match     []string
		noMatch   []string
	}{
		{"seed URL pattern", seedURLPattern, true,
			[]string{"https://ad.qq.com/track?id=1&x=%20", "http://a.b.cn", "https://x.example.com/a#b"},
			[]string{"ftp://a.com", "https://a.com/ space", "https://a.com/广告", "https://localhost"}},
		{"seed deep link pattern: leading lookahead hoisted", seedDeepLinkPattern, true,
			[]string{"weixin://dl/business", "myapp://open?id=1", "tbopen://m.taobao.com/商品"},
			[]string{"https://a.com", "http://a.com", "httpx://a.com", "://a.com", "my app://x"}},
		{"\\u range (RE2 has no \\u)", `^[\u4e00-\u9fa5]+$`, true, []string{"广告文案"}, []string{"ad", "广告ad"}},
		{"\\u{…} escape", `^\u{1F600}$`, true, []string{"😀"}, []string{"u{1F600}"}},
		{"surrogate pair joined", `^\uD83D\uDE00$`, true, []string{"😀"}, []string{"\ufffd"}},
		{"\\u without hex is a u", `^\uzz$`, true, []string{"uzz"}, nil},
		{"hex escape", `^\x41\x{$`, true, []string{"Ax{"}, nil},
		{"octal and NUL", `^[\101]\0$`, true, []string{"A\x00"}, []string{"A0"}},
		{"control escape", `^a\cJb$`, true, []string{"a\nb"}, []string{"acJb"}},
		{"backslash c without letter", `^\c1$`, true, []string{`\c1`}, nil},
		{"dot stops at JavaScript line terminators", `^a.b$`, true, []string{"a-b", "a广b"}, []string{"a\nb", "a\rb", "a\u2028b"}},
		{"\\s has JavaScript's Unicode spaces", `^a\sb$`, true, []string{"a b", "a\u3000b", "a\vb", "a\u00a0b"}, []string{"ab", "a-b"}},
		{"negated class of \\s", `^[^\s]+$`, true, []string{"广告"}, []string{"广\u3000告"}},
		{"\\S", `^\S+$`, true, []string{"ab"}, []string{"a\u3000b"}},
		{"\\S inside a class relaxed", `^[\S]+$`, false, []string{"ab", "a\u3000b"}, []string{"a b"}},
		{"identity escapes are letters", `^\a\z\Q\e$`, true, []string{"azQe"}, []string{"\a"}},
		{"\\b in a class is backspace", `^[\b]$`, true, []string{"\b"}, []string{"b"}},
		{"word boundary", `\bad\b`, true, []string{"an ad here"}, []string{"bad"}},
		{"hyphen beside a class escape", `^[\w-.]+$`, true, []string{"a-b.c"}, []string{"a b"}},
		{"hyphen at the end", `^[a-]+$`, true, []string{"a-"}, []string{"b"}},
		{"hyphen range endpoints", `^[!--]+$`, true, []string{"!,-"}, []string{"."}},
		{"bracket inside a class", `^[[a]+$`, true, []string{"[a"}, []string{"]"}},
		{"empty class matches nothing", `^a[]?$`, true, []string{"a"}, []string{"ab"}},
		{"negated empty class matches anything", `^a[^]b$`, true, []string{"a\nb", "axb"}, []string{"ab"}},
		{"brace that is no repeat", `^a{,2}b{$`, true, []string{"a{,2}b{"}, []string{"aab"}},
		{"repeat and lazy repeat", `^a{2}b+?$`, true, []string{"aabbb"}, []string{"ab"}},
		{"anchors without multiline", `^a$`, true, []string{"a"}, []string{"a\n", "\na"}},
		{"inline flags", `(?i)^abc$`, true, []string{"ABC"}, []string{"ABD"}},
		{"named group", `^(?<year>\d{4})-(?P<m>\d{2})$`, true, []string{"2024-05"}, []string{"24-05"}},
		{"leading positive lookahead hoisted", `^(?=.*\d)[a-z0-9]+$`, true, []string{"abc1"}, []string{"abc"}},
		{"consecutive leading lookaheads hoisted", `^(?=.*[A-Z])(?!.*\s).{8,}$`, true, []string{"Password1"}, []string{"password1", "Pass word1", "Pw1"}},
		{"lookahead after text relaxed", `^a(?!b)`, false, []string{"ac", "ab"}, []string{"ba"}},
		{"lookahead in an alternative relaxed", `^(?:(?!a)b|c)$`, false, []string{"b", "c"}, []string{"a"}},
		{"lookahead with top-level alternative relaxed", `^(?!x)y|z`, false, []string{"y", "z"}, []string{"x"}},
		{"lookahead in a repeated group relaxed", `^((?!ad).)*$`, false, []string{"good", "bad ad"}, nil},
		{"lookahead inside a flag group relaxed", `^(?i:(?!a)b)$`, false, []string{"B"}, nil},
		{"lookbehind relaxed", `(?<=\$)\d+`, false, []string{"$5", "5"}, []string{"$"}},
		{"negative lookbehind relaxed", `(?<!\$)\d+`, false, []string{"$5", "5"}, nil},
		{"nested lookaround relaxed", `^(?!a(?=b))c`, false, []string{"c"}, nil},
		{"possessive quantifier relaxed", `^a++b?+c*+d{1,2}+$`, false, []string{"aacdd", "abd"}, []string{"b"}},
		{"atomic group relaxed", `^(?>ab|a)c$`, false, []string{"abc", "ac"}, []string{"c"}},
		{"backreference relaxed", `^(a+)-\1$`, false, []string{"aa-aa", "aa-xyz"}, []string{"-"}},
		{"named backreference relaxed", `^(?<q>['"]).*\k<q>$`, false, []string{`"x"`, `"x'`}, []string{"x"}},
		{"seed-style text pattern", `^[^\<\>\&'\"\/\x08\x09\x0A\x0D\\]+$`, true,
			[]string{"正常的广告文案 OK!"}, []string{"a<b", `a\b`, "a\nb", "a\tb", "a/b", "a&b", ""}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := CompilePattern(tt.src)
			if err != nil {
				t.Fatal(err)
			}
			if p.Exact != tt.exact {
				t.Errorf("Exact = %v, want %v (RE2 %q)", p.Exact, tt.exact, p.Go)
			}
			for _, s := range tt.match {
				if !p.MatchString(s) {
					t.Errorf("%q does not match; RE2 %q", s, p.Go)
				}
			}
			for _, s := range tt.noMatch {
				if p.MatchString(s) {
					t.Errorf("%q matches; RE2 %q", s, p.Go)
				}
			}
		})
	}
}

func TestPatternSeedTranslations(t *testing.T) {
	p, err := CompilePattern(seedDeepLinkPattern)
	if err != nil {
		t.Fatal(err)
	}
	if len(p.guards) != 1 || !p.guards[0].negate || p.guards[0].re.String() != `^(?:https?)` {
		t.Errorf("guards %+v, want one negated ^(?:https?)", p.guards)
	}
	if !strings.Contains(p.Go, `\x{4e00}-\x{9fa5}`) || strings.Contains(p.Go, `(?!`) {
		t.Errorf("RE2 text %q", p.Go)
	}
	if p.String() != seedDeepLinkPattern {
		t.Errorf("String() = %q", p.String())
	}
}

func TestPatternErrors(t *testing.T) {
	for _, src := range []string{`a\`, `(?<name`, `(?#comment)`, `(a`, `a)`, `[z-a]`, `[abc`, `*a`, `a{1001}`, `\p{NoSuchClass}`, "\xff"} {
		if p, err := CompilePattern(src); err == nil {
			t.Errorf("CompilePattern(%q) = %q, want an error", src, p.Go)
		}
	}
}
