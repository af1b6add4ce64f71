-- A follower may carry its unionid: a v3.0 action naming (wechat_app_id, wechat_unionid) is identified
-- as that follower (SPEC §11). '' when unknown; unique per app when set, looked up by (appid, unionid).
ALTER TABLE followers ADD COLUMN unionid TEXT NOT NULL DEFAULT '';
CREATE UNIQUE INDEX followers_unionid ON followers(appid, unionid) WHERE unionid <> '';
