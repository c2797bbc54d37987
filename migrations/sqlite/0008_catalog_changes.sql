-- The catalog at any size (issue 10; ARCHITECTURE.md, "The catalog").
-- catalog_change: an append-only log, one row per catalog-changing write,
-- written in the write's own transaction (its id is the change's version).
-- Replicas poll it to drop only the cached entries a change affects;
-- `listing` = 1 when the change can alter which books a page or a search
-- lists or their order (a book added, deleted, archived, retitled).
CREATE TABLE IF NOT EXISTS catalog_change (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  book_id INTEGER NOT NULL,
  listing INTEGER NOT NULL,
  created_at BIGINT NOT NULL
);
-- Full-text search over titles and authors: case- and accent-insensitive
-- words and word prefixes. External content (the text stays in book only),
-- kept in step by triggers on every write, whoever makes it.
CREATE VIRTUAL TABLE IF NOT EXISTS book_fts USING fts5(
  title, author, content = 'book', content_rowid = 'id',
  tokenize = 'unicode61 remove_diacritics 2'
);
CREATE TRIGGER IF NOT EXISTS book_fts_insert AFTER INSERT ON book BEGIN
  INSERT INTO book_fts (rowid, title, author) VALUES (new.id, new.title, new.author);
END;
CREATE TRIGGER IF NOT EXISTS book_fts_delete AFTER DELETE ON book BEGIN
  INSERT INTO book_fts (book_fts, rowid, title, author)
    VALUES ('delete', old.id, old.title, old.author);
END;
CREATE TRIGGER IF NOT EXISTS book_fts_update AFTER UPDATE OF title, author ON book BEGIN
  INSERT INTO book_fts (book_fts, rowid, title, author)
    VALUES ('delete', old.id, old.title, old.author);
  INSERT INTO book_fts (rowid, title, author) VALUES (new.id, new.title, new.author);
END;
-- The books already there (a database adopted from the original included).
INSERT INTO book_fts (book_fts) VALUES ('rebuild');
