package main

import (
	"bytes"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// seedDir is the repository's copy of the seeds (testdata/seeds);
// sharedDir is the original beside the repository, where it exists.
var (
	seedDir   = filepath.Join("..", "..", "..", "testdata", "seeds")
	sharedDir = filepath.Join("..", "..", "..", "..", "shared", "seeds")
)

// TestSeedCopyMatchesShared keeps testdata/seeds a verbatim copy of the
// shared seeds. A clean clone without ../shared has only the copy.
func TestSeedCopyMatchesShared(t *testing.T) {
	names, err := filepath.Glob(filepath.Join(sharedDir, "*.txt"))
	if err != nil || len(names) == 0 {
		t.Skipf("no ../shared/seeds beside this checkout; the copy in testdata/seeds is used")
	}
	for _, name := range names {
		want, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		got, err := os.ReadFile(filepath.Join(seedDir, filepath.Base(name)))
		if err != nil || !bytes.Equal(got, want) {
			t.Errorf("testdata/seeds/%s differs from %s (%v)", filepath.Base(name), name, err)
		}
	}
}

// TestCheckedInFiles regenerates the data files in memory from the seeds and
// compares them byte for byte with the checked-in ones.
func TestCheckedInFiles(t *testing.T) {
	files, err := generate(seedDir)
	if err != nil {
		t.Fatal(err)
	}
	for name, want := range files {
		got, err := os.ReadFile(filepath.Join("..", "..", name))
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("errcode/%s differs from what the seeds give; run go generate ./errcode and review the diff", name)
		}
	}

	// The hand-written FAQ rows carry errmsgs that must appear in seed 000.
	seed, err := os.ReadFile(filepath.Join(seedDir, marketingSeed))
	if err != nil {
		t.Fatal(err)
	}
	extra, err := os.ReadFile(filepath.Join("..", "..", "extra.tsv"))
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range strings.Split(string(extra), "\n") {
		f := strings.Split(l, "\t")
		if len(f) == 5 && f[4] == "seed000-faq" && !strings.Contains(string(seed), "errmsg="+f[3]) &&
			!strings.Contains(string(seed), `"errmsg":"`+f[3]+`"`) {
			t.Errorf("extra.tsv: errmsg %q of %s is not in seed 000's FAQ", f[3], f[0])
		}
	}
}

func TestParseMarketing(t *testing.T) {
	text := "intro\n## 返回码\n\n返回码\t提示消息\t描述\n" +
		"0\tsuccess\t操作成功\n" +
		"18004\tValid values\t参数{Param}必须\n\n返回码\t提示消息\t描述\n" +
		"\tmust be greater.\t大于{Value}\n" +
		"32432\tfirst\t第一\n32432\tsecond\t第二\n"
	testParse(t, parseMarketing, text, []row{
		{0, "Marketing API", "操作成功", "success", "seed000"},
		{18004, "Marketing API", "参数{Param}必须大于{Value}", "Valid values must be greater.", "seed000"},
		{32432, "Marketing API", "第一", "first", "seed000"},
		{32432, "Marketing API", "第二", "second", "seed000"},
	}, map[string]string{
		"no heading":         "0\tsuccess\t成功\n",
		"two cells":          "## 返回码\n0\tsuccess\n",
		"code not a number":  "## 返回码\nx1\tsuccess\t成功\n",
		"wrap before a row":  "## 返回码\n\tsuccess\t成功\n",
		"no Chinese":         "## 返回码\n1\tsuccess\tok\n",
		"Chinese in English": "## 返回码\n1\t成功\t成功\n",
		"empty table":        "## 返回码\n\n",
	})
}

// testParse checks that parse gives want for text and fails on each of bad.
func testParse(t *testing.T, parse func(string) ([]row, error), text string, want []row, bad map[string]string) {
	t.Helper()
	rows, err := parse(text)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(rows, want) {
		t.Errorf("rows =\n%+v\nwant\n%+v", rows, want)
	}
	for name, text := range bad {
		if _, err := parse(text); err == nil {
			t.Errorf("%s: parsed without error", name)
		}
	}
}

func TestParseGlobal(t *testing.T) {
	text := "-1 |\n系统繁忙 |\nSystem busy. |\n|\n" +
		"40001 |\n错误 |\nInvalid |\nOA Platform |\n" + // an area, then no separator
		"60125 |\n非法部门名字 |\n|\nWork WeChat |\n" + // no English
		"91028 |\n缺少count参数 |\nMissing count |\nWeCom/td> |\n" +
		"0 |\n请求成功 |\nSuccessful request |" // last record, no area, no newline
	testParse(t, parseGlobal, text, []row{
		{-1, "", "系统繁忙", "System busy.", "seed001"},
		{40001, "OA Platform", "错误", "Invalid", "seed001"},
		{60125, "Work WeChat", "非法部门名字", "", "seed001"},
		{91028, "WeCom", "缺少count参数", "Missing count", "seed001"},
		{0, "", "请求成功", "Successful request", "seed001"},
	}, map[string]string{
		"unknown area":       "1 |\n错误 |\nError |\nMoon Base |\n",
		"English missing":    "1 |\n错误 |\nOA Platform |\n2 |\n", // area read as English
		"code missing":       "错误 |\nError |\n|\n",
		"not a cell":         "1 |\n错误\nError |\n|\n",
		"truncated":          "1 |\n错误 |\n",
		"no Chinese":         "1 |\nerror |\nError |\n|\n",
		"Chinese in English": "1 |\n错误 |\n错误 |\n|\n",
		"runs into a code":   "1 |\n错误 |\nError |\n2 |\n错误 |\nError |\n|\n",
		"plus sign code":     "+1 |\n错误 |\nError |\n|\n",
	})
}

func TestEncodeRefusesTabs(t *testing.T) {
	if _, err := encode([]row{{1, "", "错\t误", "Error", "seed001"}}); err == nil {
		t.Error("encoded a field holding a tab")
	}
}
