-- The request inspector (SPEC §7): each advertiser's recent calls, written
-- off the request path in batches by every node, pruned to 10 000 per
-- advertiser / 7 days. Large bodies and verdict lists are compressed by
-- PostgreSQL itself (TOAST).
CREATE TABLE requests (
	id             bigserial PRIMARY KEY,
	account_id     bigint NOT NULL,
	appid          text NOT NULL,
	time_ms        bigint NOT NULL,
	method         text NOT NULL,
	route          text NOT NULL,
	request_id     text NOT NULL,
	http_status    integer NOT NULL,
	errcode        integer NOT NULL,
	errmsg         text NOT NULL,
	explanation    text NOT NULL,
	explanation_cn text NOT NULL,
	hint           text NOT NULL,
	duration_ms    double precision NOT NULL,
	query          text NOT NULL,
	body           text NOT NULL,
	body_bytes     integer NOT NULL,
	action_count   integer NOT NULL,
	dry_run        boolean NOT NULL,
	actions        json -- wxads.ActionVerdict list, NULL when none
);
CREATE INDEX requests_account ON requests(account_id, time_ms, id);
CREATE INDEX requests_time ON requests(time_ms);

-- Upload diagnostics per advertiser × data source × GMT+8 day (received):
-- kind is accepted, duplicate, refused (by errcode), rejected, identified
-- or attributed; errcode is 0 except for refusals.
CREATE TABLE upload_diagnostics (
	account_id bigint NOT NULL,
	day        bigint NOT NULL,
	set_id     bigint NOT NULL,
	kind       text NOT NULL,
	errcode    integer NOT NULL,
	n          bigint NOT NULL,
	PRIMARY KEY (account_id, day, set_id, kind, errcode)
);
