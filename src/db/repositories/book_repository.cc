#include "db/repositories/book_repository.h"

#include <array>

#include "db/errors.h"
#include "db/row_reading.h"
#include "db/transaction.h"
#include "domain/money.h"
#include "domain/search_text.h"

namespace bookstore::db {
namespace sql {
#define BOOK_SELECT                                                                        \
  "SELECT b.id, b.title, b.author, b.description, b.price, b.stock, b.seller_id, u.name, " \
  "b.cover_image, b.archived, b.cover_bytes FROM book b LEFT JOIN `user` u ON u.id = b.seller_id "
constexpr auto kFind = BOOK_SELECT "WHERE b.id = ?";
// Up to 20 books by primary key (unused places hold 0, which no book has).
constexpr auto kFindMany =
    BOOK_SELECT "WHERE b.id IN (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
// The catalog's ids, newest first, read from the covering index
// ix_book_catalog (archived, id) alone: `limit` ids from position `skip`
// among the books on sale with id <= an anchor (an id whose position
// services::CatalogService knows), so OFFSET skips fewer index entries the
// nearer the anchor is; the rows themselves are read by primary key (kFindMany).
// ORDER BY names both index columns: with `id DESC` alone MariaDB 10.11
// reads the index by `archived` only (ref) and filters `id <= ?` entry by
// entry, walking every entry above the anchor again.
#define LISTED_IDS_WHERE "WHERE archived = 0 AND id <= ? ORDER BY archived DESC, id DESC "
constexpr auto kListedIds = "SELECT id FROM book " LISTED_IDS_WHERE "LIMIT ? OFFSET ?";
// MariaDB, whatever the ORDER BY, still reads by `archived` alone (ref)
// when the anchor is among the oldest third of the books or so (its
// ORDER BY ... LIMIT costing prefers the ref's order): 145,000 entries for
// a page of 20 at 200,000 books. Forcing the index leaves it the range.
#define LISTED_IDS_MYSQL "SELECT id FROM book FORCE INDEX (ix_book_catalog) " LISTED_IDS_WHERE
constexpr auto kListedIdsMysql = LISTED_IDS_MYSQL "LIMIT ? OFFSET ?";
// Through ix_book_catalog (an index-only count).
constexpr auto kCountListed = "SELECT COUNT(*) FROM book WHERE archived = 0";
// Search, SQLite: the FTS5 table (migrations/sqlite/0008), newest first
// (FTS5 walks its rowids in descending order and takes the rowid bound as
// its own), as kListedIds. CROSS JOIN keeps the FTS table the outer loop:
// otherwise SQLite may walk ix_book_catalog and run the MATCH once per book
// (a minute at 1,000,000).
#define FTS_IDS                                                               \
  "SELECT f.rowid AS id FROM book_fts f CROSS JOIN book x ON x.id = f.rowid " \
  "WHERE book_fts MATCH ? AND f.rowid <= ? AND x.archived = 0 ORDER BY f.rowid DESC "
constexpr auto kFtsIds = FTS_IDS "LIMIT ? OFFSET ?";
constexpr auto kFtsCount =
    "SELECT COUNT(*) FROM book_fts f CROSS JOIN book x ON x.id = f.rowid "
    "WHERE book_fts MATCH ? AND x.archived = 0";
// Search, MySQL/MariaDB: the FULLTEXT index ft_book_search (migrations/mysql/0008).
#define FULLTEXT_IDS                                                             \
  "SELECT id FROM book WHERE MATCH (title, author) AGAINST (? IN BOOLEAN MODE) " \
  "AND archived = 0 AND id <= ? ORDER BY id DESC "
constexpr auto kFulltextIds = FULLTEXT_IDS "LIMIT ? OFFSET ?";
constexpr auto kFulltextCount =
    "SELECT COUNT(*) FROM book WHERE MATCH (title, author) AGAINST (? IN BOOLEAN MODE) "
    "AND archived = 0";
// Anchors (services::CatalogService): every `every`-th id of the ids above
// (the first `limit` of them, from an anchor; the anchor itself is the
// first and is left out), in one walk: the walk's rows are numbered in the
// database and only the anchors come back. One statement per listing
// change and depth, not one walk from the listing's start per anchor.
#define NUMBERED_WALK_OF \
  "SELECT id FROM (SELECT id, ROW_NUMBER() OVER (ORDER BY id DESC) AS n FROM ("
#define EVERY_NTH "LIMIT ?) AS walked) AS numbered WHERE n > 1 AND (n - 1) % ? = 0 ORDER BY id DESC"
constexpr auto kListedAnchors = NUMBERED_WALK_OF LISTED_IDS_MYSQL EVERY_NTH;
constexpr auto kFtsAnchors = NUMBERED_WALK_OF FTS_IDS EVERY_NTH;
constexpr auto kFulltextAnchors = NUMBERED_WALK_OF FULLTEXT_IDS EVERY_NTH;
#undef NUMBERED_WALK_OF
#undef EVERY_NTH
// The listing's anchors on SQLite: anchor by anchor, each read from the one
// before by kListedIds' seek (LIMIT 1 OFFSET every). SQLite sorts the
// numbered walk above whatever the index's order (a second for 1,000,000
// entries); this reads the same entries unsorted (under 0.1 s). MariaDB
// reads the correlated step by `archived` alone, from the listing's start
// at every step, so it numbers the walk instead.
constexpr auto kListedAnchorsStepwise =
    "WITH RECURSIVE anchor (k, id) AS (SELECT 0, ? UNION ALL SELECT k + 1, "
    "(SELECT b.id FROM book b WHERE b.archived = 0 AND b.id <= anchor.id "
    "ORDER BY b.archived DESC, b.id DESC LIMIT 1 OFFSET ?) "
    "FROM anchor WHERE k < ? AND anchor.id IS NOT NULL) "
    "SELECT id FROM anchor WHERE k > 0 AND id IS NOT NULL ORDER BY k";
#undef LISTED_IDS_WHERE
#undef LISTED_IDS_MYSQL
#undef FTS_IDS
#undef FULLTEXT_IDS
constexpr auto kBySeller =
    BOOK_SELECT "WHERE b.seller_id = ? AND b.archived = 0 ORDER BY b.id DESC";
#undef BOOK_SELECT
constexpr auto kInsert =
    "INSERT INTO book (title, author, description, price, stock, seller_id, archived, created_at, "
    "cover_image, cover_bytes) VALUES (?, ?, ?, ?, ?, ?, 0, ?, ?, ?)";
// A NULL parameter keeps the column; the last two guard the stock the editor
// saw (NULL: unguarded). One statement, so no field is lost to a concurrent
// sale or edit of another field.
constexpr auto kUpdate =
    "UPDATE book SET title = COALESCE(?, title), author = COALESCE(?, author), "
    "description = COALESCE(?, description), price = COALESCE(?, price), "
    "stock = COALESCE(?, stock) WHERE id = ? AND (? IS NULL OR stock = ?)";
constexpr auto kStock = "SELECT stock FROM book WHERE id = ?";
constexpr auto kSelectCover = "SELECT cover_image FROM book WHERE id = ?";
constexpr auto kUpdateCover = "UPDATE book SET cover_image = ?, cover_bytes = ? WHERE id = ?";
// Quotas (migrations/*/0007_seller_quotas.sql).
constexpr auto kQuotaRow = "SELECT seller_id FROM seller_quota WHERE seller_id = ?";
constexpr auto kQuotaInsert = "INSERT INTO seller_quota (seller_id, guarded_changes) VALUES (?, 0)";
// The first statement of a guarded write: the seller's turn.
constexpr auto kQuotaTurn =
    "UPDATE seller_quota SET guarded_changes = guarded_changes + 1 WHERE seller_id = ?";
// Through ix_book_seller_created (seller_id, created_at).
constexpr auto kRecentBooks =
    "SELECT COUNT(*), MIN(created_at) FROM book WHERE seller_id = ? AND created_at >= ?";
constexpr auto kSellerCoverBytes =
    "SELECT COALESCE(SUM(cover_bytes), 0) FROM book WHERE seller_id = ?";
constexpr auto kBookSeller = "SELECT seller_id FROM book WHERE id = ?";
constexpr auto kCoverAndSize = "SELECT cover_image, cover_bytes FROM book WHERE id = ?";
constexpr auto kHasPurchases = "SELECT COUNT(*) FROM purchase WHERE book_id = ?";
constexpr auto kArchive = "UPDATE book SET archived = 1 WHERE id = ?";
constexpr auto kArchiveSoldOut = "UPDATE book SET archived = 1, stock = 0 WHERE id = ?";
constexpr auto kDelete = "DELETE FROM book WHERE id = ?";
// ORIGINAL_COMPATIBLE's sweep: archived books keep no stock the original
// (which lists every book) could sell.
constexpr auto kEmptyArchivedStock = "UPDATE book SET stock = 0 WHERE archived = 1 AND stock <> 0";
// The catalog's change log (migrations/*/0008_catalog_changes.sql): one row
// in the transaction of every write that changes what the catalog shows.
constexpr auto kRecordChange =
    "INSERT INTO catalog_change (book_id, listing, created_at) VALUES (?, ?, ?)";
constexpr auto kLatestChange = "SELECT COALESCE(MAX(id), 0) FROM catalog_change";
// A primary-key range read (services::CatalogCache polls it).
constexpr auto kChangesAfter =
    "SELECT id, book_id, listing, created_at FROM catalog_change WHERE id > ? ORDER BY id LIMIT ?";
// The oldest row (one primary-key entry): nothing to prune while it is young.
constexpr auto kOldestChange = "SELECT id, created_at FROM catalog_change ORDER BY id LIMIT 1";
// A batch: a primary-key range, and only rows older than the cutoff.
constexpr auto kPruneChanges = "DELETE FROM catalog_change WHERE id < ? AND created_at < ?";
}  // namespace sql

namespace {

Book bookFrom(const drogon::orm::Row& row) {
  return Book{intOf(row[0]),   textOf(row[1]), textOf(row[2]), textOf(row[3]),
              centsOf(row[4]), intOf(row[5]),  intOf(row[6]),  textOf(row[7]),
              textOf(row[8]),  boolOf(row[9]), intOf(row[10])};
}

std::vector<int64_t> idsFrom(const drogon::orm::Result& rows) {
  std::vector<int64_t> out;
  out.reserve(rows.size());
  for (const auto& row : rows) out.push_back(intOf(row[0]));
  return out;
}

drogon::Task<void> recordChange(std::shared_ptr<drogon::orm::Transaction> trans, int64_t bookId,
                                bool listing) {
  co_await recordCatalogChange(
      std::move(trans), bookId,
      listing ? CatalogChangeKind::kListing : CatalogChangeKind::kBookOnly);
}

}  // namespace

drogon::Task<void> recordCatalogChange(std::shared_ptr<drogon::orm::Transaction> trans,
                                       int64_t bookId, CatalogChangeKind kind) {
  const int64_t listing = kind == CatalogChangeKind::kListing ? 1 : 0;
  const int64_t now = unixNow();
  co_await trans->execSqlCoro(sql::kRecordChange, bookId, listing, now);
}

drogon::Task<int64_t> BookRepository::countListed() const {
  auto rows = co_await db_->reader()->execSqlCoro(sql::kCountListed);
  co_return intOf(rows[0][0]);
}

drogon::Task<std::vector<int64_t>> BookRepository::listedIds(int64_t atOrBelow, int64_t skip,
                                                             int64_t limit) const {
  auto rows = co_await db_->reader()->execSqlCoro(
      db_->isMysql() ? sql::kListedIdsMysql : sql::kListedIds, atOrBelow, limit, skip);
  co_return idsFrom(rows);
}

drogon::Task<int64_t> BookRepository::countMatching(std::vector<std::string> words) const {
  if (db_->isMysql()) {
    const auto against = domain::booleanMatchQuery(words);
    auto rows = co_await db_->reader()->execSqlCoro(sql::kFulltextCount, against);
    co_return intOf(rows[0][0]);
  }
  const auto match = domain::fts5MatchQuery(words);
  auto rows = co_await db_->reader()->execSqlCoro(sql::kFtsCount, match);
  co_return intOf(rows[0][0]);
}

drogon::Task<std::vector<int64_t>> BookRepository::matchingIds(std::vector<std::string> words,
                                                               int64_t atOrBelow, int64_t skip,
                                                               int64_t limit) const {
  const bool mysql = db_->isMysql();
  const auto match = mysql ? domain::booleanMatchQuery(words) : domain::fts5MatchQuery(words);
  auto rows = co_await db_->reader()->execSqlCoro(mysql ? sql::kFulltextIds : sql::kFtsIds, match,
                                                  atOrBelow, limit, skip);
  co_return idsFrom(rows);
}

drogon::Task<std::vector<int64_t>> BookRepository::anchors(std::vector<std::string> words,
                                                           int64_t atOrBelow, int64_t every,
                                                           int64_t count) const {
  const int64_t walk = count * every + 1;  // the anchor `atOrBelow` itself first
  const bool mysql = db_->isMysql();
  if (words.empty() && mysql) {
    auto rows = co_await db_->reader()->execSqlCoro(sql::kListedAnchors, atOrBelow, walk, every);
    co_return idsFrom(rows);
  }
  if (words.empty()) {
    auto rows =
        co_await db_->reader()->execSqlCoro(sql::kListedAnchorsStepwise, atOrBelow, every, count);
    co_return idsFrom(rows);
  }
  const auto match = mysql ? domain::booleanMatchQuery(words) : domain::fts5MatchQuery(words);
  auto rows = co_await db_->reader()->execSqlCoro(mysql ? sql::kFulltextAnchors : sql::kFtsAnchors,
                                                  match, atOrBelow, walk, every);
  co_return idsFrom(rows);
}

drogon::Task<Page<int64_t>> BookRepository::idsAndTotal(std::vector<std::string> words,
                                                        int64_t skip, int64_t limit) const {
  const bool mysql = db_->isMysql();
  auto trans = co_await db_->reader()->newTransactionCoro();
  RollbackUnlessCommitted guard(trans);
  Page<int64_t> out;
  if (words.empty()) {
    auto rows = co_await trans->execSqlCoro(mysql ? sql::kListedIdsMysql : sql::kListedIds,
                                            kNoAnchor, limit, skip);
    out.items = idsFrom(rows);
    auto count = co_await trans->execSqlCoro(sql::kCountListed);
    out.total = intOf(count[0][0]);
  } else {
    const auto match = mysql ? domain::booleanMatchQuery(words) : domain::fts5MatchQuery(words);
    auto rows = co_await trans->execSqlCoro(mysql ? sql::kFulltextIds : sql::kFtsIds, match,
                                            kNoAnchor, limit, skip);
    out.items = idsFrom(rows);
    auto count = co_await trans->execSqlCoro(mysql ? sql::kFulltextCount : sql::kFtsCount, match);
    out.total = intOf(count[0][0]);
  }
  co_await commit(trans);
  co_return out;
}

drogon::Task<std::vector<Book>> BookRepository::findMany(std::vector<int64_t> ids) const {
  std::vector<Book> out;
  for (size_t first = 0; first < ids.size(); first += kFindManyBatch) {
    std::array<int64_t, kFindManyBatch> batch{};  // 0: no book
    for (size_t i = 0; i < kFindManyBatch && first + i < ids.size(); ++i) batch[i] = ids[first + i];
    auto rows = co_await db_->reader()->execSqlCoro(
        sql::kFindMany, batch[0], batch[1], batch[2], batch[3], batch[4], batch[5], batch[6],
        batch[7], batch[8], batch[9], batch[10], batch[11], batch[12], batch[13], batch[14],
        batch[15], batch[16], batch[17], batch[18], batch[19]);
    for (const auto& row : rows) out.push_back(bookFrom(row));
  }
  co_return out;
}

drogon::Task<int64_t> BookRepository::latestChange() const {
  auto rows = co_await db_->reader()->execSqlCoro(sql::kLatestChange);
  co_return intOf(rows[0][0]);
}

drogon::Task<std::vector<CatalogChange>> BookRepository::changesAfter(int64_t id,
                                                                      int64_t limit) const {
  std::vector<CatalogChange> out;
  auto rows = co_await db_->reader()->execSqlCoro(sql::kChangesAfter, id, limit);
  out.reserve(rows.size());
  for (const auto& row : rows) {
    out.push_back({intOf(row[0]), intOf(row[1]), boolOf(row[2]), intOf(row[3])});
  }
  co_return out;
}

drogon::Task<int64_t> BookRepository::pruneChanges(int64_t olderThan, int64_t batch) const {
  auto oldest = co_await db_->writer()->execSqlCoro(sql::kOldestChange);
  if (oldest.empty() || intOf(oldest[0][1]) >= olderThan) co_return 0;
  const int64_t below = intOf(oldest[0][0]) + batch;
  auto deleted = co_await db_->writer()->execSqlCoro(sql::kPruneChanges, below, olderThan);
  co_return static_cast<int64_t>(deleted.affectedRows());
}

drogon::Task<std::optional<Book>> BookRepository::find(int64_t id) const {
  auto result = co_await db_->reader()->execSqlCoro(sql::kFind, id);
  if (result.empty()) co_return std::nullopt;
  co_return bookFrom(result[0]);
}

drogon::Task<std::vector<Book>> BookRepository::bySeller(int64_t sellerId) const {
  std::vector<Book> out;
  for (const auto& row : co_await db_->reader()->execSqlCoro(sql::kBySeller, sellerId)) {
    out.push_back(bookFrom(row));
  }
  co_return out;
}

drogon::Task<int64_t> BookRepository::create(int64_t sellerId, domain::ValidBook book) const {
  // Named locals, not expressions inside co_await (ARCHITECTURE.md, "GCC 12").
  const std::string price = domain::formatMoney(book.priceCents);
  const int64_t now = unixNow();
  const std::optional<std::string> noCover;
  const int64_t noBytes = 0;
  auto trans = co_await db_->writer()->newTransactionCoro();
  RollbackUnlessCommitted guard(trans);
  auto result = co_await trans->execSqlCoro(sql::kInsert, book.title, book.author, book.description,
                                            price, book.stock, sellerId, now, noCover, noBytes);
  const auto id = static_cast<int64_t>(result.insertId());
  co_await recordChange(trans, id, true);
  co_await commit(trans);
  changes_->record();
  co_return id;
}

drogon::Task<UpdateResult> BookRepository::update(int64_t id, domain::BookChanges changes) const {
  std::optional<std::string> price;
  if (changes.priceCents) price = domain::formatMoney(*changes.priceCents);
  // A new title or author can change what a search finds.
  const bool listing = changes.title.has_value() || changes.author.has_value();
  auto trans = co_await db_->writer()->newTransactionCoro();
  RollbackUnlessCommitted guard(trans);
  auto updated = co_await trans->execSqlCoro(sql::kUpdate, changes.title, changes.author,
                                             changes.description, price, changes.stock, id,
                                             changes.expectedStock, changes.expectedStock);
  if (updated.affectedRows() > 0) {
    co_await recordChange(trans, id, listing);
    co_await commit(trans);
    changes_->record();
    co_return UpdateResult{UpdateOutcome::kUpdated, 0};
  }
  // MySQL counts a row whose values did not change as not affected: read
  // whether it exists and what its stock is.
  auto current = co_await trans->execSqlCoro(sql::kStock, id);
  if (current.empty()) co_return UpdateResult{UpdateOutcome::kNotFound, 0};
  const int64_t stock = intOf(current[0][0]);
  if (changes.expectedStock && *changes.expectedStock != stock) {
    co_return UpdateResult{UpdateOutcome::kStockChanged, stock};
  }
  co_return UpdateResult{UpdateOutcome::kUpdated, 0};
}

drogon::Task<std::string> BookRepository::setCover(int64_t id, std::string cover,
                                                   int64_t coverBytes) const {
  auto trans = co_await db_->writer()->newTransactionCoro();
  RollbackUnlessCommitted guard(trans);
  auto old = co_await trans->execSqlCoro(sql::kSelectCover, id);
  co_await trans->execSqlCoro(sql::kUpdateCover, cover, coverBytes, id);
  co_await recordChange(trans, id, false);
  co_await commit(trans);
  changes_->record();
  co_return old.empty() ? std::string() : textOf(old[0][0]);
}

drogon::Task<void> BookRepository::ensureQuotaRow(int64_t sellerId) const {
  const auto writer = db_->writer();
  if (!(co_await writer->execSqlCoro(sql::kQuotaRow, sellerId)).empty()) co_return;
  try {
    co_await writer->execSqlCoro(sql::kQuotaInsert, sellerId);
  } catch (const drogon::orm::DrogonDbException& e) {
    if (!isUniqueViolation(e)) throw;  // else a racing request made it
  }
}

drogon::Task<GuardedWrite> BookRepository::createWithinQuota(int64_t sellerId,
                                                             domain::ValidBook book,
                                                             std::string cover, int64_t coverBytes,
                                                             domain::SellerQuotas quotas) const {
  co_await ensureQuotaRow(sellerId);
  const std::string price = domain::formatMoney(book.priceCents);
  const int64_t now = unixNow();
  const int64_t windowOpen = now - domain::kBookQuotaWindowSeconds;
  std::optional<std::string> coverName;
  if (!cover.empty()) coverName = cover;
  auto trans = co_await db_->writer()->newTransactionCoro();
  RollbackUnlessCommitted guard(trans);
  co_await trans->execSqlCoro(sql::kQuotaTurn, sellerId);
  // Read after taking the turn: every earlier guarded write of this seller
  // has committed (MySQL's snapshot starts at this first plain read).
  if (quotas.booksPerHour > 0) {
    auto recent = co_await trans->execSqlCoro(sql::kRecentBooks, sellerId, windowOpen);
    std::optional<int64_t> oldest;
    if (!recent[0][1].isNull()) oldest = intOf(recent[0][1]);
    const int64_t wait =
        domain::bookQuotaWait(intOf(recent[0][0]), oldest, now, quotas.booksPerHour);
    if (wait > 0) co_return GuardedWrite{QuotaOutcome::kTooManyBooks, 0, wait, {}};
  }
  if (coverName && quotas.coverBytes > 0) {
    auto stored = co_await trans->execSqlCoro(sql::kSellerCoverBytes, sellerId);
    if (!domain::coverFitsQuota(intOf(stored[0][0]), 0, coverBytes, quotas.coverBytes)) {
      co_return GuardedWrite{QuotaOutcome::kCoverQuotaFull, 0, 0, {}};
    }
  }
  auto inserted =
      co_await trans->execSqlCoro(sql::kInsert, book.title, book.author, book.description, price,
                                  book.stock, sellerId, now, coverName, coverBytes);
  const auto bookId = static_cast<int64_t>(inserted.insertId());
  co_await recordChange(trans, bookId, true);
  co_await commit(trans);
  changes_->record();
  co_return GuardedWrite{QuotaOutcome::kDone, bookId, 0, {}};
}

drogon::Task<GuardedWrite> BookRepository::setCoverWithinQuota(int64_t id, std::string cover,
                                                               int64_t coverBytes,
                                                               int64_t maxSellerCoverBytes) const {
  // A book's seller never changes: read it before taking the seller's turn.
  auto owner = co_await db_->writer()->execSqlCoro(sql::kBookSeller, id);
  if (owner.empty()) co_return GuardedWrite{QuotaOutcome::kNotFound, 0, 0, {}};
  const int64_t sellerId = intOf(owner[0][0]);
  co_await ensureQuotaRow(sellerId);
  auto trans = co_await db_->writer()->newTransactionCoro();
  RollbackUnlessCommitted guard(trans);
  co_await trans->execSqlCoro(sql::kQuotaTurn, sellerId);
  auto current = co_await trans->execSqlCoro(sql::kCoverAndSize, id);
  if (current.empty()) co_return GuardedWrite{QuotaOutcome::kNotFound, 0, 0, {}};
  if (maxSellerCoverBytes > 0) {
    auto stored = co_await trans->execSqlCoro(sql::kSellerCoverBytes, sellerId);
    if (!domain::coverFitsQuota(intOf(stored[0][0]), intOf(current[0][1]), coverBytes,
                                maxSellerCoverBytes)) {
      co_return GuardedWrite{QuotaOutcome::kCoverQuotaFull, 0, 0, {}};
    }
  }
  co_await trans->execSqlCoro(sql::kUpdateCover, cover, coverBytes, id);
  co_await recordChange(trans, id, false);
  co_await commit(trans);
  changes_->record();
  co_return GuardedWrite{QuotaOutcome::kDone, id, 0, textOf(current[0][0])};
}

drogon::Task<int64_t> BookRepository::coverBytesOf(int64_t sellerId) const {
  auto stored = co_await db_->reader()->execSqlCoro(sql::kSellerCoverBytes, sellerId);
  co_return stored.empty() ? 0 : intOf(stored[0][0]);
}

drogon::Task<DeleteOutcome> BookRepository::remove(int64_t id, bool soldOut) const {
  auto trans = co_await db_->writer()->newTransactionCoro();
  RollbackUnlessCommitted guard(trans);
  if ((co_await trans->execSqlCoro(sql::kFind, id)).empty()) co_return DeleteOutcome::kNotFound;
  if (intOf((co_await trans->execSqlCoro(sql::kHasPurchases, id))[0][0]) > 0) {
    const char* archive = soldOut ? sql::kArchiveSoldOut : sql::kArchive;
    co_await trans->execSqlCoro(archive, id);
    co_await recordChange(trans, id, true);
    co_await commit(trans);
    changes_->record();
    co_return DeleteOutcome::kArchived;
  }
  co_await trans->execSqlCoro(sql::kDelete, id);
  co_await recordChange(trans, id, true);
  co_await commit(trans);
  changes_->record();
  co_return DeleteOutcome::kDeleted;
}

drogon::Task<int64_t> BookRepository::emptyArchivedStock() const {
  auto changed = co_await db_->writer()->execSqlCoro(sql::kEmptyArchivedStock);
  co_return static_cast<int64_t>(changed.affectedRows());
}

}  // namespace bookstore::db
