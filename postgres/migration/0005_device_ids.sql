-- v3.0 actions keep the user ids other than the WeChat app and openid, product_inform and channel
-- (SPEC §11); identified_by is the device id that identified the action ('' when its openid did).
ALTER TABLE actions
	ADD COLUMN user_ids text NOT NULL DEFAULT '',
	ADD COLUMN product_inform text,
	ADD COLUMN channel text NOT NULL DEFAULT '',
	ADD COLUMN identified_by text NOT NULL DEFAULT '';

-- An ad event names its advertiser (apps never change owner), so that a device-identified action's
-- click_id is looked up among all the advertiser's apps; and keeps the device ids it carried.
ALTER TABLE ad_events
	ADD COLUMN account_id bigint NOT NULL DEFAULT 0,
	ADD COLUMN user_ids text NOT NULL DEFAULT '';
UPDATE ad_events e SET account_id = a.account_id FROM apps a WHERE a.appid = e.appid;
CREATE INDEX ad_events_account_click ON ad_events(account_id, click_id, time, id) WHERE click_id <> '';

-- One row per device id of an ad event, keyed for the look-ups of identification (advertiser, kind,
-- value) and attribution (… type, time range, latest first, ties to the later stored event).
CREATE TABLE ad_event_ids (
	account_id bigint NOT NULL,
	kind       text NOT NULL,
	value      text NOT NULL,
	type       text NOT NULL,
	time       bigint NOT NULL,
	event_id   bigint NOT NULL,
	PRIMARY KEY (account_id, kind, value, type, time, event_id)
);
CREATE INDEX ad_event_ids_event ON ad_event_ids(event_id);
