-- Fields of the Tencent v3.0 data-source model (SPEC §11), kept by
-- POST /v3.0/user_action_sets/add and returned by /v3.0/user_action_sets/get.
ALTER TABLE action_sets
	ADD COLUMN mobile_app_id bigint NOT NULL DEFAULT 0,
	ADD COLUMN enable_conversion_claim boolean NOT NULL DEFAULT false;
