package postgres

import (
	"context"
	"errors"

	"github.com/jackc/pgx/v5"

	"github.com/wxads/wxads"
)

var _ wxads.CatalogStore = (*DB)(nil)

func (db *DB) Catalog(ctx context.Context) (int64, []byte, error) {
	var version int64
	var body []byte
	err := db.pool.QueryRow(ctx, `SELECT version, body FROM catalog WHERE id = 1`).Scan(&version, &body)
	if err != nil {
		return 0, nil, translate(err)
	}
	return version, body, nil
}

func (db *DB) CatalogVersion(ctx context.Context) (int64, error) {
	var version int64
	err := db.pool.QueryRow(ctx, `SELECT version FROM catalog WHERE id = 1`).Scan(&version)
	if errors.Is(err, pgx.ErrNoRows) {
		return 0, nil
	}
	return version, err
}

func (db *DB) SetCatalog(ctx context.Context, body []byte) (int64, error) {
	var version int64
	err := db.pool.QueryRow(ctx, `INSERT INTO catalog (id, version, body) VALUES (1, 1, $1)
		ON CONFLICT (id) DO UPDATE SET version = catalog.version + 1, body = excluded.body RETURNING version`, body).Scan(&version)
	return version, err
}
