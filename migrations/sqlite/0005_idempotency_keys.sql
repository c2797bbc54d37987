-- Idempotency keys (API `Idempotency-Key`, the buy form's one-time token):
-- one row per user and key, holding the request's SHA-256 and, once done,
-- the answer to replay. The unique key decides races across replicas; rows
-- are kept at least 24 hours, then deleted in small batches by created_at.
CREATE TABLE IF NOT EXISTS idempotency_key (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  user_id INTEGER NOT NULL,
  idem_key VARCHAR(255) NOT NULL,
  request_hash CHAR(64) NOT NULL,
  state VARCHAR(16) NOT NULL,
  claim CHAR(32) NOT NULL,
  locked_at BIGINT NOT NULL,
  response_status INTEGER,
  response_location VARCHAR(255),
  response_body TEXT,
  created_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX IF NOT EXISTS ux_idempotency_key_user_key ON idempotency_key (user_id, idem_key);
CREATE INDEX IF NOT EXISTS ix_idempotency_key_created ON idempotency_key (created_at, id);
