-- Per-seller quotas (rule 11; README, "Operations"): each book's cover size,
-- so a seller's stored cover bytes are a SUM over their books; an index to
-- count the books a seller listed in the last hour; and one row per seller
-- that a quota-guarded change updates first, so one seller's changes take
-- turns (on every replica) between counting and writing.
ALTER TABLE book ADD COLUMN cover_bytes BIGINT NOT NULL DEFAULT 0;
CREATE INDEX IF NOT EXISTS ix_book_seller_created ON book (seller_id, created_at);
CREATE TABLE IF NOT EXISTS seller_quota (
  seller_id INTEGER NOT NULL PRIMARY KEY,
  guarded_changes BIGINT NOT NULL DEFAULT 0
);
