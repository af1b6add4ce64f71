-- OAuth 2.0 on the Tencent side (SPEC §10): developer apps, authorization
-- codes and tokens. Secrets, codes and tokens are stored as SHA-256 hashes.
CREATE TABLE oauth_clients (
	id            INTEGER PRIMARY KEY AUTOINCREMENT,
	name          TEXT NOT NULL,
	secret_hash   BLOB NOT NULL,
	redirect_uris TEXT NOT NULL, -- JSON array, matched exactly
	created_time  INTEGER NOT NULL
);
-- Start client ids at a realistic size: ids travel as JSON numbers.
INSERT INTO sqlite_sequence (name, seq) VALUES ('oauth_clients', 1110000000);

CREATE TABLE oauth_codes (
	hash         BLOB PRIMARY KEY,
	client_id    INTEGER NOT NULL REFERENCES oauth_clients(id),
	account_id   INTEGER NOT NULL,
	redirect_uri TEXT NOT NULL,
	scopes       TEXT NOT NULL, -- comma-separated
	issued_at    INTEGER NOT NULL,
	expires_at   INTEGER NOT NULL,
	used_at      INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE oauth_tokens (
	hash         BLOB PRIMARY KEY,
	kind         INTEGER NOT NULL, -- 0 access, 1 refresh
	client_id    INTEGER NOT NULL REFERENCES oauth_clients(id),
	account_id   INTEGER NOT NULL,
	scopes       TEXT NOT NULL,
	issued_at    INTEGER NOT NULL,
	expires_at   INTEGER NOT NULL,
	refresh_hash BLOB
);
