-- Columns and tables the new server needs, added beside the original ones.
ALTER TABLE user ADD COLUMN is_admin INTEGER NOT NULL DEFAULT 0;
ALTER TABLE user ADD COLUMN created_at BIGINT;
ALTER TABLE book ADD COLUMN cover_image VARCHAR(255);
ALTER TABLE book ADD COLUMN archived INTEGER NOT NULL DEFAULT 0;
ALTER TABLE book ADD COLUMN created_at BIGINT;
ALTER TABLE purchase ADD COLUMN created_at BIGINT;
ALTER TABLE payment ADD COLUMN created_at BIGINT;
CREATE INDEX IF NOT EXISTS ix_book_catalog ON book (archived, id);
CREATE INDEX IF NOT EXISTS ix_book_seller ON book (seller_id, id);
CREATE INDEX IF NOT EXISTS ix_purchase_user ON purchase (user_id, id);
CREATE INDEX IF NOT EXISTS ix_purchase_book ON purchase (book_id);
CREATE INDEX IF NOT EXISTS ix_payment_purchase ON payment (purchase_id);
CREATE INDEX IF NOT EXISTS ix_delivery_assignment_purchase ON delivery_assignment (purchase_id);
CREATE TABLE IF NOT EXISTS web_session (
  id_hash CHAR(64) NOT NULL PRIMARY KEY,
  user_id INTEGER NOT NULL REFERENCES user (id),
  created_at BIGINT NOT NULL,
  last_seen_at BIGINT NOT NULL
);
CREATE INDEX IF NOT EXISTS ix_web_session_user ON web_session (user_id);
CREATE INDEX IF NOT EXISTS ix_web_session_seen ON web_session (last_seen_at);
CREATE TABLE IF NOT EXISTS api_token (
  token_hash CHAR(64) NOT NULL PRIMARY KEY,
  user_id INTEGER NOT NULL REFERENCES user (id),
  created_at BIGINT NOT NULL,
  last_used_at BIGINT NOT NULL
);
CREATE INDEX IF NOT EXISTS ix_api_token_user ON api_token (user_id);
CREATE TABLE IF NOT EXISTS login_throttle (
  throttle_key VARCHAR(200) NOT NULL PRIMARY KEY,
  failures INTEGER NOT NULL,
  window_start BIGINT NOT NULL
);
