#include "db/repositories/book_repository.h"

#include "db/row_reading.h"
#include "db/transaction.h"
#include "domain/money.h"

namespace bookstore::db {
namespace sql {
#define BOOK_SELECT                                                                        \
  "SELECT b.id, b.title, b.author, b.description, b.price, b.stock, b.seller_id, u.name, " \
  "b.cover_image, b.archived FROM book b LEFT JOIN `user` u ON u.id = b.seller_id "
constexpr auto kListing = BOOK_SELECT "WHERE b.archived = 0 ORDER BY b.id DESC";
constexpr auto kFind = BOOK_SELECT "WHERE b.id = ?";
constexpr auto kBySeller =
    BOOK_SELECT "WHERE b.seller_id = ? AND b.archived = 0 ORDER BY b.id DESC";
#undef BOOK_SELECT
constexpr auto kInsert =
    "INSERT INTO book (title, author, description, price, stock, seller_id, archived, created_at) "
    "VALUES (?, ?, ?, ?, ?, ?, 0, ?)";
// A NULL parameter keeps the column; the last two guard the stock the editor
// saw (NULL: unguarded). One statement, so no field is lost to a concurrent
// sale or edit of another field.
constexpr auto kUpdate =
    "UPDATE book SET title = COALESCE(?, title), author = COALESCE(?, author), "
    "description = COALESCE(?, description), price = COALESCE(?, price), "
    "stock = COALESCE(?, stock) WHERE id = ? AND (? IS NULL OR stock = ?)";
constexpr auto kStock = "SELECT stock FROM book WHERE id = ?";
constexpr auto kSelectCover = "SELECT cover_image FROM book WHERE id = ?";
constexpr auto kUpdateCover = "UPDATE book SET cover_image = ? WHERE id = ?";
constexpr auto kHasPurchases = "SELECT COUNT(*) FROM purchase WHERE book_id = ?";
constexpr auto kArchive = "UPDATE book SET archived = 1 WHERE id = ?";
constexpr auto kArchiveSoldOut = "UPDATE book SET archived = 1, stock = 0 WHERE id = ?";
constexpr auto kDelete = "DELETE FROM book WHERE id = ?";
}  // namespace sql

namespace {

Book bookFrom(const drogon::orm::Row& row) {
  return Book{intOf(row[0]), textOf(row[1]), textOf(row[2]), textOf(row[3]), centsOf(row[4]),
              intOf(row[5]), intOf(row[6]),  textOf(row[7]), textOf(row[8]), boolOf(row[9])};
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
  auto result = co_await db_->writer()->execSqlCoro(
      sql::kInsert, book.title, book.author, book.description, price, book.stock, sellerId, now);
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

drogon::Task<std::string> BookRepository::setCover(int64_t id, std::string cover) const {
  auto trans = co_await db_->writer()->newTransactionCoro();
  RollbackUnlessCommitted guard(trans);
  auto old = co_await trans->execSqlCoro(sql::kSelectCover, id);
  co_await trans->execSqlCoro(sql::kUpdateCover, cover, id);
  co_await commit(trans);
  changes_->record();
  co_return old.empty() ? std::string() : textOf(old[0][0]);
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

}  // namespace bookstore::db
