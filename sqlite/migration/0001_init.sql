-- Accounts, apps, followers, tokens.
CREATE TABLE advertisers (
	id           INTEGER PRIMARY KEY,
	name         TEXT NOT NULL,
	status       TEXT NOT NULL,
	created_time INTEGER NOT NULL
);

CREATE TABLE apps (
	appid        TEXT PRIMARY KEY,
	account_id   INTEGER NOT NULL REFERENCES advertisers(id),
	name         TEXT NOT NULL,
	secret_hash  BLOB NOT NULL,
	ip_whitelist TEXT NOT NULL, -- JSON array of CIDRs
	created_time INTEGER NOT NULL
);
CREATE INDEX apps_account ON apps(account_id);

CREATE TABLE followers (
	appid        TEXT NOT NULL,
	openid       TEXT NOT NULL,
	created_time INTEGER NOT NULL,
	PRIMARY KEY (appid, openid)
) WITHOUT ROWID;

CREATE TABLE tokens (
	hash          BLOB PRIMARY KEY,
	appid         TEXT NOT NULL,
	kind          INTEGER NOT NULL,
	generation    INTEGER NOT NULL,
	issued_at     INTEGER NOT NULL,
	expires_at    INTEGER NOT NULL,
	superseded_at INTEGER NOT NULL DEFAULT 0
) WITHOUT ROWID;
CREATE INDEX tokens_current ON tokens(appid, kind, superseded_at, generation);

-- Issue counters: kind 0 = /cgi-bin/token issues, 1 = forced stable refreshes.
CREATE TABLE token_quota (
	appid   TEXT NOT NULL,
	kind    INTEGER NOT NULL,
	day     TEXT NOT NULL,
	count   INTEGER NOT NULL,
	last_at INTEGER NOT NULL,
	PRIMARY KEY (appid, kind, day)
) WITHOUT ROWID;

-- Data sources and conversions.
CREATE TABLE action_sets (
	id              INTEGER PRIMARY KEY,
	account_id      INTEGER NOT NULL,
	type            TEXT NOT NULL,
	name            TEXT NOT NULL,
	description     TEXT NOT NULL,
	wechat_app_id   TEXT NOT NULL,
	creator_app_id  TEXT NOT NULL,
	activate_status INTEGER NOT NULL DEFAULT 0,
	created_time    INTEGER NOT NULL,
	UNIQUE (account_id, name)
);
CREATE INDEX action_sets_creator ON action_sets(creator_app_id, created_time);

CREATE TABLE actions (
	id                   INTEGER PRIMARY KEY,
	set_id               INTEGER NOT NULL,
	outer_action_id      TEXT,
	action_time          INTEGER NOT NULL,
	action_type          TEXT NOT NULL,
	custom_action        TEXT NOT NULL,
	url                  TEXT NOT NULL,
	domain               TEXT NOT NULL,
	appid                TEXT NOT NULL,
	openid               TEXT NOT NULL,
	click_id             TEXT NOT NULL,
	param                TEXT NOT NULL,
	claim_type           INTEGER NOT NULL,
	value                INTEGER NOT NULL,
	identified           INTEGER NOT NULL,
	attributed_ad_id     INTEGER NOT NULL,
	attributed_campaign_id INTEGER NOT NULL,
	received_time        INTEGER NOT NULL
);
CREATE INDEX actions_set ON actions(set_id, id);
CREATE UNIQUE INDEX actions_dedup ON actions(set_id, outer_action_id) WHERE outer_action_id IS NOT NULL;

-- Report rollups, written in the same transaction as the actions.
-- period: Unix seconds of the GMT+8 hour (hourly tables) or day (daily tables).
CREATE TABLE rollup_hourly (
	set_id        INTEGER NOT NULL,
	period        INTEGER NOT NULL,
	action_type   TEXT NOT NULL,
	custom_action TEXT NOT NULL,
	domain        TEXT NOT NULL,
	raw           INTEGER NOT NULL,
	identified    INTEGER NOT NULL,
	PRIMARY KEY (set_id, period, action_type, custom_action, domain)
) WITHOUT ROWID;
CREATE TABLE rollup_daily (
	set_id        INTEGER NOT NULL,
	period        INTEGER NOT NULL,
	action_type   TEXT NOT NULL,
	custom_action TEXT NOT NULL,
	domain        TEXT NOT NULL,
	raw           INTEGER NOT NULL,
	identified    INTEGER NOT NULL,
	PRIMARY KEY (set_id, period, action_type, custom_action, domain)
) WITHOUT ROWID;

-- Distinct identified users: the membership set and its count per period.
-- granularity: 0 hourly, 1 daily.
CREATE TABLE rollup_users (
	set_id      INTEGER NOT NULL,
	granularity INTEGER NOT NULL,
	period      INTEGER NOT NULL,
	appid       TEXT NOT NULL,
	openid      TEXT NOT NULL,
	PRIMARY KEY (set_id, granularity, period, appid, openid)
) WITHOUT ROWID;
CREATE TABLE rollup_user_counts (
	set_id      INTEGER NOT NULL,
	granularity INTEGER NOT NULL,
	period      INTEGER NOT NULL,
	users       INTEGER NOT NULL,
	PRIMARY KEY (set_id, granularity, period)
) WITHOUT ROWID;

-- Ad events and attribution.
CREATE TABLE ad_events (
	id          INTEGER PRIMARY KEY,
	type        TEXT NOT NULL,
	appid       TEXT NOT NULL,
	openid      TEXT NOT NULL,
	ad_id       INTEGER NOT NULL,
	campaign_id INTEGER NOT NULL,
	click_id    TEXT NOT NULL,
	time        INTEGER NOT NULL
);
CREATE INDEX ad_events_user ON ad_events(appid, openid, type, time);
CREATE INDEX ad_events_click ON ad_events(appid, click_id, time) WHERE click_id <> '';

-- Attributed conversions per advertiser, GMT+8 hour, ad, campaign, action type.
CREATE TABLE ad_rollup (
	account_id  INTEGER NOT NULL,
	period      INTEGER NOT NULL,
	ad_id       INTEGER NOT NULL,
	campaign_id INTEGER NOT NULL,
	action_type TEXT NOT NULL,
	conversions INTEGER NOT NULL,
	value       INTEGER NOT NULL,
	PRIMARY KEY (account_id, period, ad_id, campaign_id, action_type)
) WITHOUT ROWID;
