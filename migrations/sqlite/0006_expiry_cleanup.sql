-- Expired sessions, API tokens and login-throttle rows are deleted in small
-- batches by every replica; these indexes let each batch read only expired
-- rows, however many live ones there are.
CREATE INDEX IF NOT EXISTS ix_web_session_created ON web_session (created_at);
CREATE INDEX IF NOT EXISTS ix_api_token_created ON api_token (created_at);
CREATE INDEX IF NOT EXISTS ix_login_throttle_window ON login_throttle (window_start);
