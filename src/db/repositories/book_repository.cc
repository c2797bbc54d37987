#include "db/repositories/book_repository.h"

#include "db/errors.h"
#include "db/row_reading.h"
#include "db/transaction.h"
#include "domain/money.h"

namespace bookstore::db {
namespace sql {
#define BOOK_SELECT                                                                        \
  "SELECT b.id, b.title, b.author, b.description, b.price, b.stock, b.seller_id, u.name, " \
  "b.cover_image, b.archived, b.cover_bytes FROM book b LEFT JOIN `user` u ON u.id = b.seller_id "
constexpr auto kListing = BOOK_SELECT "WHERE b.archived = 0 ORDER BY b.id DESC";
constexpr auto kFind = BOOK_SELECT "WHERE b.id = ?";
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
}  // namespace sql

namespace {

Book bookFrom(const drogon::orm::Row& row) {
  return Book{intOf(row[0]),   textOf(row[1]), textOf(row[2]), textOf(row[3]),
              centsOf(row[4]), intOf(row[5]),  intOf(row[6]),  textOf(row[7]),
              textOf(row[8]),  boolOf(row[9]), intOf(row[10])};
}

}  // namespace

drogon::Task<std::vector<Book>> BookRepository::listing() const {
  std::vector<Book> out;
  auto rows = co_await db_->reader()->execSqlCoro(sql::kListing);
  out.reserve(rows.size());
  for (const auto& row : rows) out.push_back(bookFrom(row));
  co_return out;
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
  auto result =
      co_await db_->writer()->execSqlCoro(sql::kInsert, book.title, book.author, book.description,
                                          price, book.stock, sellerId, now, noCover, noBytes);
  changes_->record();
  co_return static_cast<int64_t>(result.insertId());
}

drogon::Task<UpdateResult> BookRepository::update(int64_t id, domain::BookChanges changes) const {
  std::optional<std::string> price;
  if (changes.priceCents) price = domain::formatMoney(*changes.priceCents);
  auto updated = co_await db_->writer()->execSqlCoro(sql::kUpdate, changes.title, changes.author,
                                                     changes.description, price, changes.stock, id,
                                                     changes.expectedStock, changes.expectedStock);
  if (updated.affectedRows() > 0) {
    changes_->record();
    co_return UpdateResult{UpdateOutcome::kUpdated, 0};
  }
  // MySQL counts a row whose values did not change as not affected: read
  // whether it exists and what its stock is.
  auto current = co_await db_->writer()->execSqlCoro(sql::kStock, id);
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
    co_await commit(trans);
    changes_->record();
    co_return DeleteOutcome::kArchived;
  }
  co_await trans->execSqlCoro(sql::kDelete, id);
  co_await commit(trans);
  changes_->record();
  co_return DeleteOutcome::kDeleted;
}

drogon::Task<int64_t> BookRepository::emptyArchivedStock() const {
  auto changed = co_await db_->writer()->execSqlCoro(sql::kEmptyArchivedStock);
  co_return static_cast<int64_t>(changed.affectedRows());
}

}  // namespace bookstore::db
