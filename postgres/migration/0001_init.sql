-- Accounts, apps, followers, tokens. Times are Unix seconds (bigint), as in
-- the SQLite backend, so both answer the same numbers.
CREATE TABLE advertisers (
	id           bigserial PRIMARY KEY,
	name         text NOT NULL,
	status       text NOT NULL,
	created_time bigint NOT NULL
);

CREATE TABLE apps (
	appid        text PRIMARY KEY,
	account_id   bigint NOT NULL REFERENCES advertisers(id),
	name         text NOT NULL,
	secret_hash  bytea NOT NULL,
	ip_whitelist text[] NOT NULL, -- CIDRs
	created_time bigint NOT NULL
);
CREATE INDEX apps_account ON apps(account_id);

CREATE TABLE followers (
	appid        text NOT NULL,
	openid       text NOT NULL,
	created_time bigint NOT NULL,
	PRIMARY KEY (appid, openid)
);

CREATE TABLE tokens (
	hash          bytea PRIMARY KEY,
	appid         text NOT NULL,
	kind          integer NOT NULL,
	generation    bigint NOT NULL,
	issued_at     bigint NOT NULL,
	expires_at    bigint NOT NULL,
	superseded_at bigint NOT NULL DEFAULT 0
);
CREATE INDEX tokens_current ON tokens(appid, kind, superseded_at, generation);

-- Issue counters: kind 0 = /cgi-bin/token issues, 1 = forced stable refreshes.
CREATE TABLE token_quota (
	appid   text NOT NULL,
	kind    integer NOT NULL,
	day     text NOT NULL,
	count   integer NOT NULL,
	last_at bigint NOT NULL,
	PRIMARY KEY (appid, kind, day)
);

-- Data sources and conversions.
CREATE TABLE action_sets (
	id              bigserial PRIMARY KEY,
	account_id      bigint NOT NULL,
	type            text NOT NULL,
	name            text NOT NULL,
	description     text NOT NULL,
	wechat_app_id   text NOT NULL,
	creator_app_id  text NOT NULL,
	activate_status boolean NOT NULL DEFAULT false,
	created_time    bigint NOT NULL,
	UNIQUE (account_id, name)
);
CREATE INDEX action_sets_creator ON action_sets(creator_app_id, created_time);

-- Actions are range-partitioned by the GMT+8 day they were received
-- (partition.go creates the partitions ahead), so old data is dropped a day
-- at a time with DROP TABLE. A unique index of a partitioned table must
-- contain the partition key, so dedup lives in action_keys below instead.
CREATE TABLE actions (
	id                     bigserial NOT NULL,
	set_id                 bigint NOT NULL,
	outer_action_id        text,
	action_time            bigint NOT NULL,
	action_type            text NOT NULL,
	custom_action          text NOT NULL,
	url                    text NOT NULL,
	domain                 text NOT NULL,
	appid                  text NOT NULL,
	openid                 text NOT NULL,
	click_id               text NOT NULL,
	param                  text NOT NULL,
	claim_type             integer NOT NULL,
	value                  bigint NOT NULL,
	identified             boolean NOT NULL,
	attributed_ad_id       bigint NOT NULL,
	attributed_campaign_id bigint NOT NULL,
	received_time          bigint NOT NULL
) PARTITION BY RANGE (received_time);
CREATE INDEX actions_set ON actions(set_id, id);

-- The dedup keys of every set: the one unique index every node's group
-- commit inserts into (ON CONFLICT DO NOTHING RETURNING tells it which
-- actions are new), so dedup holds whichever node receives a retry.
CREATE TABLE action_keys (
	set_id          bigint NOT NULL,
	outer_action_id text NOT NULL,
	PRIMARY KEY (set_id, outer_action_id)
);

-- Report rollups, written in the same transaction as the actions.
-- period: Unix seconds of the GMT+8 hour (hourly tables) or day (daily tables).
CREATE TABLE rollup_hourly (
	set_id        bigint NOT NULL,
	period        bigint NOT NULL,
	action_type   text NOT NULL,
	custom_action text NOT NULL,
	domain        text NOT NULL,
	raw           bigint NOT NULL,
	identified    bigint NOT NULL,
	PRIMARY KEY (set_id, period, action_type, custom_action, domain)
);
CREATE TABLE rollup_daily (LIKE rollup_hourly INCLUDING ALL);

-- Distinct identified users: the membership set and its count per period.
-- granularity: 0 hourly, 1 daily.
CREATE TABLE rollup_users (
	set_id      bigint NOT NULL,
	granularity integer NOT NULL,
	period      bigint NOT NULL,
	appid       text NOT NULL,
	openid      text NOT NULL,
	PRIMARY KEY (set_id, granularity, period, appid, openid)
);
CREATE TABLE rollup_user_counts (
	set_id      bigint NOT NULL,
	granularity integer NOT NULL,
	period      bigint NOT NULL,
	users       bigint NOT NULL,
	PRIMARY KEY (set_id, granularity, period)
);

-- Ad events and attribution.
CREATE TABLE ad_events (
	id          bigserial PRIMARY KEY,
	type        text NOT NULL,
	appid       text NOT NULL,
	openid      text NOT NULL,
	ad_id       bigint NOT NULL,
	campaign_id bigint NOT NULL,
	click_id    text NOT NULL,
	time        bigint NOT NULL
);
CREATE INDEX ad_events_user ON ad_events(appid, openid, type, time);
CREATE INDEX ad_events_click ON ad_events(appid, click_id, time) WHERE click_id <> '';

-- Attributed conversions per advertiser, GMT+8 hour, ad, campaign, action type.
CREATE TABLE ad_rollup (
	account_id  bigint NOT NULL,
	period      bigint NOT NULL,
	ad_id       bigint NOT NULL,
	campaign_id bigint NOT NULL,
	action_type text NOT NULL,
	conversions bigint NOT NULL,
	value       bigint NOT NULL,
	PRIMARY KEY (account_id, period, ad_id, campaign_id, action_type)
);

-- The creative-template catalog set by PUT /admin/v1/adcreative_templates.
-- One row; absent means the embedded default catalog.
CREATE TABLE catalog (
	id      integer PRIMARY KEY CHECK (id = 1),
	version bigint NOT NULL,
	body    bytea NOT NULL
);
