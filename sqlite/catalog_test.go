package sqlite

import (
	"context"
	"errors"
	"path/filepath"
	"testing"

	"github.com/wxads/wxads"
)

func TestCatalogPersistsAndVersions(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "x.db")
	db := mustOpen(t, path)
	if v, err := db.CatalogVersion(ctx); err != nil || v != 0 {
		t.Fatalf("fresh version %d %v", v, err)
	}
	if _, _, err := db.Catalog(ctx); !errors.Is(err, wxads.ErrNotFound) {
		t.Fatalf("fresh catalog err %v", err)
	}
	for i, body := range []string{`[1]`, `[2]`} {
		v, err := db.SetCatalog(ctx, []byte(body))
		if err != nil || v != int64(i+1) {
			t.Fatalf("SetCatalog %d: %d %v", i, v, err)
		}
	}
	db.Close()
	db = mustOpen(t, path)
	defer db.Close()
	v, body, err := db.Catalog(ctx)
	if err != nil || v != 2 || string(body) != `[2]` {
		t.Fatalf("after restart: %d %s %v", v, body, err)
	}
}
