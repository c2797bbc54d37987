-- The catalog at any size (issue 10; ARCHITECTURE.md, "The catalog").
-- catalog_change: an append-only log, one row per catalog-changing write,
-- written in the write's own transaction (its id is the change's version;
-- no shared counter row, so purchases of different books never wait on one
-- lock). Replicas poll it to drop only the cached entries a change affects;
-- `listing` = 1 when the change can alter which books a page or a search
-- lists or their order (a book added, deleted, archived, retitled).
CREATE TABLE IF NOT EXISTS catalog_change (
  id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  book_id BIGINT NOT NULL,
  listing INTEGER NOT NULL,
  created_at BIGINT NOT NULL
) DEFAULT CHARSET=utf8mb4;
-- Full-text search over titles and authors (InnoDB FULLTEXT, maintained by
-- the server on every write): the columns' utf8mb4 collation makes it case-
-- and accent-insensitive. The server needs innodb_ft_min_token_size=1 and
-- innodb_ft_enable_stopword=0 (README, "Search") before this runs, or words
-- of one or two letters and stopwords ("de", "la") are not indexed.
ALTER TABLE book ADD FULLTEXT INDEX ft_book_search (title, author);
