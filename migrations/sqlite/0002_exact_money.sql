-- SQLite has no exact decimal type: money columns keep their storage and the
-- server reads them as decimal text, rounds to cents and does all arithmetic
-- in integer cents (see domain/money.h). Nothing to convert here; the version
-- is kept so both dialects share one numbering.
SELECT 1;
