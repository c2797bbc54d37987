-- Idempotency keys (API `Idempotency-Key`, the buy form's one-time token):
-- one row per user and key, holding the request's SHA-256 and, once done,
-- the answer to replay. The unique key decides races across replicas; rows
-- are kept at least 24 hours, then deleted in small batches by created_at.
-- Keys are printable ASCII compared byte for byte (ascii_bin).
CREATE TABLE IF NOT EXISTS idempotency_key (
  id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  user_id INTEGER NOT NULL,
  idem_key VARCHAR(255) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  request_hash CHAR(64) CHARACTER SET ascii NOT NULL,
  state VARCHAR(16) CHARACTER SET ascii NOT NULL,
  claim CHAR(32) CHARACTER SET ascii NOT NULL,
  locked_at BIGINT NOT NULL,
  response_status INTEGER NULL,
  response_location VARCHAR(255) NULL,
  response_body MEDIUMTEXT NULL,
  created_at BIGINT NOT NULL,
  UNIQUE KEY ux_idempotency_key_user_key (user_id, idem_key),
  KEY ix_idempotency_key_created (created_at, id)
) DEFAULT CHARSET=utf8mb4;
