-- v3.0 actions keep the user ids other than the WeChat app and openid, product_inform and channel
-- (SPEC §11); identified_by is the device id that identified the action ('' when its openid did).
ALTER TABLE actions ADD COLUMN user_ids TEXT NOT NULL DEFAULT '';
ALTER TABLE actions ADD COLUMN product_inform TEXT;
ALTER TABLE actions ADD COLUMN channel TEXT NOT NULL DEFAULT '';
ALTER TABLE actions ADD COLUMN identified_by TEXT NOT NULL DEFAULT '';

-- An ad event names its advertiser (apps never change owner), so that a device-identified action's
-- click_id is looked up among all the advertiser's apps; and keeps the device ids it carried.
ALTER TABLE ad_events ADD COLUMN account_id INTEGER NOT NULL DEFAULT 0;
ALTER TABLE ad_events ADD COLUMN user_ids TEXT NOT NULL DEFAULT '';
UPDATE ad_events SET account_id = COALESCE((SELECT account_id FROM apps WHERE apps.appid = ad_events.appid), 0);
CREATE INDEX ad_events_account_click ON ad_events(account_id, click_id, time) WHERE click_id <> '';

-- One row per device id of an ad event, keyed for the look-ups of identification (advertiser, kind,
-- value) and attribution (… type, time range, latest first, ties to the later stored event).
CREATE TABLE ad_event_ids (
	account_id INTEGER NOT NULL,
	kind       TEXT NOT NULL,
	value      TEXT NOT NULL,
	type       TEXT NOT NULL,
	time       INTEGER NOT NULL,
	event_id   INTEGER NOT NULL,
	PRIMARY KEY (account_id, kind, value, type, time, event_id)
) WITHOUT ROWID;
CREATE INDEX ad_event_ids_event ON ad_event_ids(event_id);
