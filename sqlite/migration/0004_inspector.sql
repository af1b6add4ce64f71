-- The request inspector (SPEC §7): each advertiser's recent calls, written
-- off the request path in batches, pruned to 10 000 per advertiser / 7 days.
CREATE TABLE requests (
	id             INTEGER PRIMARY KEY,
	account_id     INTEGER NOT NULL,
	appid          TEXT NOT NULL,
	time_ms        INTEGER NOT NULL,
	method         TEXT NOT NULL,
	route          TEXT NOT NULL,
	request_id     TEXT NOT NULL,
	http_status    INTEGER NOT NULL,
	errcode        INTEGER NOT NULL,
	errmsg         TEXT NOT NULL,
	explanation    TEXT NOT NULL,
	explanation_cn TEXT NOT NULL,
	hint           TEXT NOT NULL,
	duration_ms    REAL NOT NULL,
	query          TEXT NOT NULL,
	body_bytes     INTEGER NOT NULL,
	action_count   INTEGER NOT NULL,
	dry_run        INTEGER NOT NULL,
	-- The kept body and the action verdicts: DEFLATE of JSON {"body", "actions"}.
	-- Compressed because they are most of what the inspector writes, and
	-- every byte of it shares the WAL and the disk with ingest.
	detail         BLOB NOT NULL
);
CREATE INDEX requests_account ON requests(account_id, time_ms, id);
CREATE INDEX requests_time ON requests(time_ms);

-- Upload diagnostics per advertiser × data source × GMT+8 day (received):
-- kind is accepted, duplicate, refused (by errcode), rejected, identified
-- or attributed; errcode is 0 except for refusals.
CREATE TABLE upload_diagnostics (
	account_id INTEGER NOT NULL,
	day        INTEGER NOT NULL,
	set_id     INTEGER NOT NULL,
	kind       TEXT NOT NULL,
	errcode    INTEGER NOT NULL,
	n          INTEGER NOT NULL,
	PRIMARY KEY (account_id, day, set_id, kind, errcode)
) WITHOUT ROWID;
