package main

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
)

func runErrcodeT(t *testing.T, args ...string) (status int, stdout, stderr string) {
	t.Helper()
	var out, errOut bytes.Buffer
	status = runErrcode(args, &out, &errOut)
	return status, out.String(), errOut.String()
}

func TestErrcodeCodes(t *testing.T) {
	status, out, errOut := runErrcodeT(t, "40001", "-1")
	if status != 0 || errOut != "" {
		t.Fatalf("status %d, stderr %q", status, errOut)
	}
	for _, want := range []string{
		"40001  OA Platform  [seed001]\n  CN: 获取access_token时AppSecret错误",
		"40001  Developer Platform  [seed001]\n  CN: 不合法的调用凭证\n  EN: Invalid credential\n  hint: The AppSecret is wrong",
		"\n\n-1  -  [seed001]\n  CN: 系统繁忙,此时请开发者稍候再试\n  EN: System busy. Please try again later.\n  hint: Transient failure",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	if n := strings.Count(out, "hint:"); n != 2 {
		t.Errorf("%d hints, want one per code:\n%s", n, out)
	}
}

func TestErrcodeUnknown(t *testing.T) {
	status, out, errOut := runErrcodeT(t, "12345", "40164")
	if status != 1 {
		t.Errorf("status %d, want 1", status)
	}
	if !strings.Contains(errOut, "unknown code 12345") {
		t.Errorf("stderr %q does not name the unknown code", errOut)
	}
	if !strings.Contains(out, "40164  -  [seed001]") || !strings.Contains(out, "IP白名单") {
		t.Errorf("known code not printed:\n%s", out)
	}
}

func TestErrcodeJSON(t *testing.T) {
	status, out, _ := runErrcodeT(t, "48001", "--json")
	if status != 0 {
		t.Fatalf("status %d", status)
	}
	var got []errcodeJSON
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatalf("%v in %s", err, out)
	}
	if len(got) != 2 || got[0].MessageEN != "api unauthorized" || got[0].Source != "seed000-faq" ||
		got[1].Source != "seed001" || got[0].Hint == "" || got[0].Hint != got[1].Hint {
		t.Errorf("--json 48001 = %+v", got)
	}
	if !strings.Contains(out, `"message_cn": "api 未授权`) {
		t.Errorf("field names or escaping differ: %s", out)
	}
}

func TestErrcodeSearch(t *testing.T) {
	status, out, _ := runErrcodeT(t, "--search", "白名单")
	if status != 0 || !strings.Contains(out, "40164  -  [seed001]") {
		t.Errorf("status %d, output:\n%s", status, out)
	}
	status, out, _ = runErrcodeT(t, "--json", "--search=IP WHITE LIST")
	var got []errcodeJSON
	if err := json.Unmarshal([]byte(out), &got); err != nil || status != 0 || len(got) == 0 || got[0].Code != 40164 {
		t.Errorf("status %d, err %v, got %+v", status, err, got)
	}
	status, out, errOut := runErrcodeT(t, "--search", "no such words anywhere", "--json")
	if status != 1 || strings.TrimSpace(out) != "[]" || !strings.Contains(errOut, "no entry matches") {
		t.Errorf("no match: status %d, stdout %q, stderr %q", status, out, errOut)
	}
}

func TestErrcodeUsage(t *testing.T) {
	for _, args := range [][]string{
		nil,
		{"abc"},
		{"40001", "--search", "token"},
		{"--nope", "40001"},
		{"--search", ""},
	} {
		if status, _, errOut := runErrcodeT(t, args...); status != 2 || errOut == "" {
			t.Errorf("%q: status %d, stderr %q; want 2 and a message", args, status, errOut)
		}
	}
	if status, _, errOut := runErrcodeT(t, "-h"); status != 0 || !strings.Contains(errOut, "usage: wxads errcode") {
		t.Errorf("-h: status %d, stderr %q", status, errOut)
	}
}

func TestSplitErrcodeArgs(t *testing.T) {
	flags, words := splitErrcodeArgs([]string{"-1", "--json", "40001", "--search", "-2", "--", "--x"})
	if strings.Join(flags, " ") != "--json --search -2" || strings.Join(words, " ") != "-1 40001 --x" {
		t.Errorf("flags %q, words %q", flags, words)
	}
}
