package wxads

import "context"

// CatalogStore keeps the creative-template catalog replaced through the
// admin API, so that restarts and every node serve the same one.
type CatalogStore interface {
	// Catalog returns the stored catalog JSON and its version; ErrNotFound
	// while none was ever stored (the embedded default applies).
	Catalog(ctx context.Context) (version int64, body []byte, err error)
	// CatalogVersion is the cheap check of whether a cached catalog is current.
	CatalogVersion(ctx context.Context) (int64, error)
	// SetCatalog stores a validated catalog and returns its new version.
	SetCatalog(ctx context.Context, body []byte) (int64, error)
}
