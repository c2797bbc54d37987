-- Columns and tables the new server needs, added beside the original ones.
-- Plain MySQL syntax (no MariaDB-only IF NOT EXISTS on columns) so Aurora
-- MySQL runs it too; a re-run after a crash is handled by the migrator.
ALTER TABLE `user` ADD COLUMN is_admin TINYINT(1) NOT NULL DEFAULT 0;
ALTER TABLE `user` ADD COLUMN created_at BIGINT NULL;
ALTER TABLE book ADD COLUMN cover_image VARCHAR(255) NULL;
ALTER TABLE book ADD COLUMN archived TINYINT(1) NOT NULL DEFAULT 0;
ALTER TABLE book ADD COLUMN created_at BIGINT NULL;
ALTER TABLE purchase ADD COLUMN created_at BIGINT NULL;
ALTER TABLE payment ADD COLUMN created_at BIGINT NULL;
CREATE INDEX ix_book_catalog ON book (archived, id);
CREATE INDEX ix_book_seller ON book (seller_id, id);
CREATE INDEX ix_purchase_user ON purchase (user_id, id);
CREATE INDEX ix_payment_purchase ON payment (purchase_id);
CREATE INDEX ix_delivery_assignment_purchase ON delivery_assignment (purchase_id);
CREATE TABLE IF NOT EXISTS web_session (
  id_hash CHAR(64) NOT NULL PRIMARY KEY,
  user_id INTEGER NOT NULL,
  created_at BIGINT NOT NULL,
  last_seen_at BIGINT NOT NULL,
  KEY ix_web_session_user (user_id),
  KEY ix_web_session_seen (last_seen_at),
  FOREIGN KEY (user_id) REFERENCES `user` (id)
) DEFAULT CHARSET=utf8mb4;
CREATE TABLE IF NOT EXISTS api_token (
  token_hash CHAR(64) NOT NULL PRIMARY KEY,
  user_id INTEGER NOT NULL,
  created_at BIGINT NOT NULL,
  last_used_at BIGINT NOT NULL,
  KEY ix_api_token_user (user_id),
  FOREIGN KEY (user_id) REFERENCES `user` (id)
) DEFAULT CHARSET=utf8mb4;
CREATE TABLE IF NOT EXISTS login_throttle (
  throttle_key VARCHAR(200) NOT NULL PRIMARY KEY,
  failures INTEGER NOT NULL,
  window_start BIGINT NOT NULL
) DEFAULT CHARSET=utf8mb4;
