-- Authorized apps (an advertiser's OAuth grants) are read from the tokens and
-- codes of each (account, client) pair, and revoked by deleting them: the
-- indexes serve both. used_at is the last API call made with an access token
-- (written at most once a minute per token), for "last used".
ALTER TABLE oauth_tokens ADD COLUMN used_at bigint NOT NULL DEFAULT 0;
CREATE INDEX oauth_tokens_grant ON oauth_tokens (account_id, client_id);
CREATE INDEX oauth_codes_grant ON oauth_codes (account_id, client_id);
