-- revoke_tokens and reset_secret end every token of an app at once (SPEC §5):
-- a revoked token is refused with no grace, whatever its superseded_at.
ALTER TABLE tokens ADD COLUMN revoked_at INTEGER NOT NULL DEFAULT 0;

-- GET /admin/v1/ad_events?appid=… pages one app's events in stored order
-- (the rowid is the index's last column).
CREATE INDEX ad_events_app ON ad_events(appid);
