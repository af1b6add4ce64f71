package main

import (
	"context"
	"errors"
	"path/filepath"

	"github.com/wxads/wxads/postgres"
	"github.com/wxads/wxads/server"
	"github.com/wxads/wxads/sqlite"
)

// backend is a store as serve runs it: SQLite in --data, or PostgreSQL.
type backend interface {
	server.Stores
	SetAttributionWindow(seconds int64)
	Close() error
}

// openBackend opens PostgreSQL for --db postgres://…, else SQLite in --data.
func (m *Main) openBackend(ctx context.Context) (backend, error) {
	c := m.Config
	if c.DB == "" {
		db, err := sqlite.Open(filepath.Join(c.Data, "wxads.db"))
		if err != nil {
			return nil, err
		}
		return db, nil
	}
	db, err := postgres.Open(ctx, c.DB)
	if err != nil {
		return nil, err
	}
	return db, nil
}

// checkShared refuses a PostgreSQL node whose short-lived state would be its
// own: several nodes behind one address must share nonces (Redis) and the
// keys tokens are derived from and checked with. --single-node waives it.
func (c Config) checkShared() error {
	if c.DB == "" || c.SingleNode {
		return nil
	}
	if c.Redis == "" {
		return errors.New("--db postgres:// without --redis: v1.1 nonces would be remembered by each node alone, " +
			"so a request replayed to another node would pass. Give every node the same --redis redis://… " +
			"(WXADS_REDIS), or add --single-node if this is the only node. " +
			"使用 PostgreSQL 时需要 --redis（各节点共享防重放 nonce）；若只有一个节点，请加 --single-node")
	}
	if c.ServerKey == "" || c.AdminToken == "" {
		return errors.New("--db postgres:// needs --server-key and --admin-token (WXADS_SERVER_KEY, WXADS_ADMIN_TOKEN), " +
			"the same on every node: stable tokens are derived from the key, so nodes with their own generated " +
			"keys would supersede each other's tokens. Or add --single-node to keep them in --data. " +
			"多节点部署时每个节点必须使用相同的 --server-key 和 --admin-token；若只有一个节点，请加 --single-node")
	}
	return nil
}
