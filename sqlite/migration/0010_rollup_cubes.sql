-- Report rollups as two cubes per granularity (issue 14): counts by action type and by domain
-- alone, since a report aggregates by one of them or by neither, never by both. A report reads
-- one row per period and value it returns, in key order, where the (type, domain) tables made it
-- read and group five rows per row returned, or sort. granularity: 0 hourly, 1 daily.
CREATE TABLE rollup_types (
	set_id        INTEGER NOT NULL,
	granularity   INTEGER NOT NULL,
	period        INTEGER NOT NULL,
	action_type   TEXT NOT NULL,
	custom_action TEXT NOT NULL,
	raw           INTEGER NOT NULL,
	identified    INTEGER NOT NULL,
	PRIMARY KEY (set_id, granularity, period, action_type, custom_action)
) WITHOUT ROWID;
CREATE TABLE rollup_domains (
	set_id      INTEGER NOT NULL,
	granularity INTEGER NOT NULL,
	period      INTEGER NOT NULL,
	domain      TEXT NOT NULL,
	raw         INTEGER NOT NULL,
	identified  INTEGER NOT NULL,
	PRIMARY KEY (set_id, granularity, period, domain)
) WITHOUT ROWID;

-- The counts so far, folded from the old tables, which then go: nothing reads them.
INSERT INTO rollup_types
	SELECT set_id, 0, period, action_type, custom_action, SUM(raw), SUM(identified) FROM rollup_hourly
	GROUP BY set_id, period, action_type, custom_action;
INSERT INTO rollup_types
	SELECT set_id, 1, period, action_type, custom_action, SUM(raw), SUM(identified) FROM rollup_daily
	GROUP BY set_id, period, action_type, custom_action;
INSERT INTO rollup_domains
	SELECT set_id, 0, period, domain, SUM(raw), SUM(identified) FROM rollup_hourly GROUP BY set_id, period, domain;
INSERT INTO rollup_domains
	SELECT set_id, 1, period, domain, SUM(raw), SUM(identified) FROM rollup_daily GROUP BY set_id, period, domain;
DROP TABLE rollup_hourly;
DROP TABLE rollup_daily;
