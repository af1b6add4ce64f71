-- Report rollups as two cubes per granularity (issue 14): counts by action type and by domain
-- alone, since a report aggregates by one of them or by neither, never by both. A report reads
-- one row per period and value it returns, in key order. granularity: 0 hourly, 1 daily.
CREATE TABLE rollup_types (
	set_id        bigint NOT NULL,
	granularity   integer NOT NULL,
	period        bigint NOT NULL,
	action_type   text NOT NULL,
	custom_action text NOT NULL,
	raw           bigint NOT NULL,
	identified    bigint NOT NULL,
	PRIMARY KEY (set_id, granularity, period, action_type, custom_action)
);
CREATE TABLE rollup_domains (
	set_id      bigint NOT NULL,
	granularity integer NOT NULL,
	period      bigint NOT NULL,
	domain      text NOT NULL,
	raw         bigint NOT NULL,
	identified  bigint NOT NULL,
	PRIMARY KEY (set_id, granularity, period, domain)
);

-- The counts so far, folded from the old tables, which then go: nothing reads them. Writers
-- of older nodes would fail on the dropped tables: stop every node before upgrading (the
-- migration runs under the advisory lock, in one transaction).
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
