// Command gen parses the two return-code tables of the seed documents into
// the TSV files that package errcode embeds. Run it from the errcode
// directory with `go generate`; its output is checked in as it is.
//
// It fails, naming the line, on any record it cannot place: a row it cannot
// split, a code that is not an integer, a Chinese cell without Chinese, an
// English cell with Chinese, or a product area it does not know.
package main

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"unicode"
)

// The seed files and the data files made from them.
const (
	marketingSeed = "000_155c5a87d2dc360c.txt"
	globalSeed    = "001_a67aee77a0be659d.txt"
	marketingTSV  = "marketing.tsv"
	globalTSV     = "global.tsv"
)

// header is the first line of every data file; package errcode checks it.
const header = "code\tarea\tmessage_cn\tmessage_en\tsource"

// row is one entry of a table, as written to a data file.
type row struct {
	code         int
	area, cn, en string
	source       string
}

func main() {
	seeds := flag.String("seeds", filepath.Join("..", "testdata", "seeds"), "directory holding the seed documents")
	out := flag.String("out", ".", "directory to write "+marketingTSV+" and "+globalTSV+" into")
	flag.Parse()

	files, err := generate(*seeds)
	if err != nil {
		fmt.Fprintln(os.Stderr, "gen:", err)
		os.Exit(1)
	}
	for _, name := range []string{marketingTSV, globalTSV} {
		if err := os.WriteFile(filepath.Join(*out, name), files[name], 0o644); err != nil {
			fmt.Fprintln(os.Stderr, "gen:", err)
			os.Exit(1)
		}
	}
}

// generate reads both seeds from dir and returns the data files by name.
func generate(dir string) (map[string][]byte, error) {
	files := make(map[string][]byte)
	for _, t := range []struct {
		seed, out string
		parse     func(string) ([]row, error)
	}{
		{marketingSeed, marketingTSV, parseMarketing},
		{globalSeed, globalTSV, parseGlobal},
	} {
		text, err := os.ReadFile(filepath.Join(dir, t.seed))
		if err != nil {
			return nil, err
		}
		rows, err := t.parse(string(text))
		if err != nil {
			return nil, fmt.Errorf("%s: %w", t.seed, err)
		}
		b, err := encode(rows)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", t.seed, err)
		}
		files[t.out] = b
	}
	return files, nil
}

// encode writes rows as TSV under header. Fields are written raw, so a
// field holding a tab or a line break is refused rather than escaped.
func encode(rows []row) ([]byte, error) {
	var b bytes.Buffer
	b.WriteString(header + "\n")
	for _, r := range rows {
		fields := []string{strconv.Itoa(r.code), r.area, r.cn, r.en, r.source}
		for _, f := range fields {
			if strings.ContainsAny(f, "\t\r\n") {
				return nil, fmt.Errorf("code %d: field %q holds a tab or line break", r.code, f)
			}
		}
		b.WriteString(strings.Join(fields, "\t") + "\n")
	}
	return b.Bytes(), nil
}

// hasHan reports whether s holds a Chinese character.
func hasHan(s string) bool {
	return strings.IndexFunc(s, func(r rune) bool { return unicode.Is(unicode.Han, r) }) >= 0
}
