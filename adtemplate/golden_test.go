package adtemplate

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite testdata/template69.golden.json from seed 002")

// seedFile is the repository's verbatim copy of seed 002 (testdata/seeds;
// errcode/internal/gen checks the copy against ../shared/seeds).
var seedFile = filepath.Join("..", "testdata", "seeds", "002_1e4c5a7a62fe80e2.txt")

const goldenFile = "testdata/template69.golden.json"

// seedTemplate69 returns data.list[0] of the seed's response example,
// compacted.
func seedTemplate69(t *testing.T) []byte {
	t.Helper()
	text, err := os.ReadFile(seedFile)
	if err != nil {
		t.Fatal(err)
	}
	example := string(text)
	example = example[strings.Index(example, "应答示例"):]
	example = example[strings.Index(example, "{"):]
	var envelope struct {
		Data struct {
			List []json.RawMessage `json:"list"`
		} `json:"data"`
	}
	// Decode reads exactly one JSON value and ignores the page text after it.
	if err := json.NewDecoder(strings.NewReader(example)).Decode(&envelope); err != nil {
		t.Fatalf("seed example: %v", err)
	}
	if len(envelope.Data.List) != 1 {
		t.Fatalf("seed example has %d templates, want 1", len(envelope.Data.List))
	}
	var compact bytes.Buffer
	if err := json.Compact(&compact, envelope.Data.List[0]); err != nil {
		t.Fatal(err)
	}
	return compact.Bytes()
}

// TestGoldenFromSeed keeps the golden file equal to what the seed shows.
func TestGoldenFromSeed(t *testing.T) {
	fromSeed := seedTemplate69(t)
	if *update {
		if err := os.WriteFile(goldenFile, append(fromSeed, '\n'), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	golden := mustReadGolden(t)
	if !bytes.Equal(golden, fromSeed) {
		t.Errorf("%s differs from seed 002's example; run go test ./adtemplate -run Golden -update\n got: %s\nwant: %s", goldenFile, golden, fromSeed)
	}
}

// TestTemplate69Served checks the bytes the API serves for template 69, both
// through Get and through an unprojected List, against the golden file.
func TestTemplate69Served(t *testing.T) {
	golden := mustReadGolden(t)
	tpl, ok := Default().Get(69)
	if !ok {
		t.Fatal("template 69 missing from the default catalog")
	}
	if !bytes.Equal(tpl.Raw(), golden) {
		t.Errorf("Get(69).Raw() differs from %s\n got: %s\nwant: %s", goldenFile, tpl.Raw(), golden)
	}
	items, _ := Default().List(mustQuery(t, "filtering", `[{"field":"adcreative_template_id","operator":"EQUALS","values":[69]}]`))
	if len(items) != 1 || !bytes.Equal(items[0], golden) {
		t.Errorf("List(id=69) = %s, want exactly the golden bytes", items)
	}
	// What a handler writes: an envelope encoded without HTML escaping
	// (the seed's patterns hold "&", which encoding/json would turn into \u0026).
	var out bytes.Buffer
	enc := json.NewEncoder(&out)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(map[string]any{"list": items}); err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(out.Bytes(), golden) {
		t.Errorf("encoded envelope does not hold the golden bytes: %s", out.Bytes())
	}
}

func mustReadGolden(t *testing.T) []byte {
	t.Helper()
	golden, err := os.ReadFile(goldenFile)
	if err != nil {
		t.Fatalf("%v (create it with -update)", err)
	}
	return bytes.TrimSuffix(golden, []byte("\n"))
}
