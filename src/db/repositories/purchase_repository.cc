#include "db/repositories/purchase_repository.h"

#include "db/repositories/book_repository.h"
#include "db/row_reading.h"
#include "db/transaction.h"
#include "domain/money.h"
#include "domain/purchase_state.h"

namespace bookstore::db {
namespace sql {
// The conditional decrement is the oversell guard: it succeeds only while the
// stock covers the quantity, and the row lock serialises concurrent buyers.
constexpr auto kTakeStock =
    "UPDATE book SET stock = stock - ? WHERE id = ? AND archived = 0 AND stock >= ?";
constexpr auto kBookExists = "SELECT COUNT(*) FROM book WHERE id = ? AND archived = 0";
// What the new purchase's answer needs from its book, read under the row lock.
constexpr auto kBookPriceTitle = "SELECT price, title FROM book WHERE id = ?";
constexpr auto kInsertPurchase =
    "INSERT INTO purchase (user_id, book_id, quantity, total_price, status, created_at) "
    "VALUES (?, ?, ?, ?, ?, ?)";
#define PURCHASE_SELECT                                                                         \
  "SELECT p.id, p.user_id, p.book_id, b.title, p.quantity, p.total_price, p.status, "           \
  "(SELECT pm.payment_method FROM payment pm WHERE pm.purchase_id = p.id ORDER BY pm.id LIMIT " \
  "1), "                                                                                        \
  "(SELECT pm.amount FROM payment pm WHERE pm.purchase_id = p.id ORDER BY pm.id LIMIT 1), "     \
  "(SELECT pm.payment_status FROM payment pm WHERE pm.purchase_id = p.id ORDER BY pm.id LIMIT " \
  "1), "                                                                                        \
  "(SELECT COUNT(*) FROM payment pm WHERE pm.purchase_id = p.id), "                             \
  "da.provider_id, dp.name, dp.cost "                                                           \
  "FROM purchase p LEFT JOIN book b ON b.id = p.book_id "                                       \
  "LEFT JOIN delivery_assignment da ON da.id = (SELECT MIN(d2.id) FROM delivery_assignment d2 " \
  "WHERE d2.purchase_id = p.id) "                                                               \
  "LEFT JOIN delivery_provider dp ON dp.id = da.provider_id "
constexpr auto kFindForBuyer = PURCHASE_SELECT "WHERE p.id = ? AND p.user_id = ?";
constexpr auto kListForBuyer =
    PURCHASE_SELECT "WHERE p.user_id = ? ORDER BY p.id DESC LIMIT ? OFFSET ?";
#undef PURCHASE_SELECT
constexpr auto kCountForBuyer = "SELECT COUNT(*) FROM purchase WHERE user_id = ?";
// Rows the original wrote have no created_at: they never expire.
constexpr auto kMarkPaid =
    "UPDATE purchase SET status = ? WHERE id = ? AND user_id = ? AND status = ? "
    "AND (created_at IS NULL OR created_at > ?)";
constexpr auto kPurchaseOfBuyer =
    "SELECT status, total_price FROM purchase WHERE id = ? AND user_id = ?";
// What the paid purchase's answer needs, read under the row lock. The payment
// and delivery probes (indexed) only find rows a legacy database left behind.
constexpr auto kPaidPurchase =
    "SELECT p.book_id, b.title, p.quantity, p.total_price, "
    "EXISTS (SELECT 1 FROM payment pm WHERE pm.purchase_id = p.id), "
    "EXISTS (SELECT 1 FROM delivery_assignment da WHERE da.purchase_id = p.id) "
    "FROM purchase p LEFT JOIN book b ON b.id = p.book_id WHERE p.id = ? AND p.user_id = ?";
constexpr auto kInsertPayment =
    "INSERT INTO payment (purchase_id, amount, payment_method, payment_status, created_at) "
    "VALUES (?, ?, ?, ?, ?)";
constexpr auto kProviderExists = "SELECT COUNT(*) FROM delivery_provider WHERE id = ?";
constexpr auto kMarkShipped =
    "UPDATE purchase SET status = ? WHERE id = ? AND user_id = ? AND status = ?";
constexpr auto kAssignmentCount = "SELECT COUNT(*) FROM delivery_assignment WHERE purchase_id = ?";
constexpr auto kInsertAssignment =
    "INSERT INTO delivery_assignment (purchase_id, provider_id) VALUES (?, ?)";
constexpr auto kPendingPurchase =
    "SELECT book_id, quantity FROM purchase WHERE id = ? AND status = ?";
// The conditional change is the exactly-once guard: of two replicas
// cancelling one purchase, only one changes a row and returns the copies.
constexpr auto kMarkCancelled = "UPDATE purchase SET status = ? WHERE id = ? AND status = ?";
constexpr auto kDeletePending = "DELETE FROM purchase WHERE id = ? AND status = ?";
constexpr auto kReturnStock = "UPDATE book SET stock = stock + ? WHERE id = ?";
// ORIGINAL_COMPATIBLE: an archived book keeps stock 0, as the original (which
// knows no archived flag) would otherwise sell the copies given back.
constexpr auto kReturnStockUnlessArchived =
    "UPDATE book SET stock = stock + ? WHERE id = ? AND archived = 0";
// ORIGINAL_COMPATIBLE's sweep: "Cancelled" purchases kept from before the
// mode was on (never paid: no payment or delivery rows; their copies went
// back when cancelled), a batch at a time. The derived table lets MySQL
// take LIMIT inside IN.
constexpr auto kDeleteCancelledBatch =
    "DELETE FROM purchase WHERE id IN (SELECT id FROM (SELECT p.id FROM purchase p "
    "WHERE p.status = ? "
    "AND NOT EXISTS (SELECT 1 FROM payment pay WHERE pay.purchase_id = p.id) "
    "AND NOT EXISTS (SELECT 1 FROM delivery_assignment d WHERE d.purchase_id = p.id) "
    "ORDER BY p.id LIMIT ?) AS cancelled_batch)";
constexpr auto kOverduePending =
    "SELECT id FROM purchase WHERE status = ? AND created_at > 0 AND created_at <= ? "
    "ORDER BY created_at, id LIMIT ?";
}  // namespace sql

namespace {

constexpr auto kPaymentCompleted = "Completed";

Purchase purchaseFrom(const drogon::orm::Row& row) {
  Purchase p;
  p.id = intOf(row[0]);
  p.userId = intOf(row[1]);
  p.bookId = intOf(row[2]);
  p.bookTitle = textOf(row[3]);
  p.quantity = intOf(row[4]);
  p.totalCents = centsOf(row[5]);
  p.status = textOf(row[6]);
  if (intOf(row[10]) > 0) p.payment = Payment{textOf(row[7]), centsOf(row[8]), textOf(row[9])};
  if (!row[11].isNull()) p.delivery = Delivery{intOf(row[11]), textOf(row[12]), centsOf(row[13])};
  return p;
}

std::string statusText(domain::PurchaseStatus status) {
  return std::string(domain::toString(status));
}

// A book's stock changed: its own entries only (an append-only log, so
// purchases of different books share no row lock).
drogon::Task<void> recordStockChange(std::shared_ptr<drogon::orm::Transaction> trans,
                                     int64_t bookId) {
  co_await recordCatalogChange(std::move(trans), bookId, CatalogChangeKind::kBookOnly);
}

}  // namespace

drogon::Task<BuyResult> PurchaseRepository::buy(int64_t userId, int64_t bookId,
                                                int64_t quantity) const {
  AlsoInTransaction nothing;
  return buy(userId, bookId, quantity, std::move(nothing));
}

drogon::Task<BuyResult> PurchaseRepository::buy(int64_t userId, int64_t bookId, int64_t quantity,
                                                AlsoInTransaction alsoDo) const {
  auto trans = co_await db_->writer()->newTransactionCoro();
  RollbackUnlessCommitted guard(trans);
  auto taken = co_await trans->execSqlCoro(sql::kTakeStock, quantity, bookId, quantity);
  if (taken.affectedRows() == 0) {
    auto exists = co_await trans->execSqlCoro(sql::kBookExists, bookId);
    co_return BuyResult{
        intOf(exists[0][0]) > 0 ? BuyOutcome::kInsufficientStock : BuyOutcome::kBookNotFound, 0,
        std::nullopt};
  }
  auto book = co_await trans->execSqlCoro(sql::kBookPriceTitle, bookId);
  const int64_t total = domain::purchaseTotal(centsOf(book[0][0]), quantity);
  // Above what the column holds: refused before anything is written (the
  // guard gives the stock back).
  if (total > kMaxStoredTotalCents)
    co_return BuyResult{BuyOutcome::kTotalTooLarge, 0, std::nullopt};
  const auto status = statusText(domain::PurchaseStatus::kPendingPayment);
  auto inserted = co_await trans->execSqlCoro(sql::kInsertPurchase, userId, bookId, quantity,
                                              domain::formatMoney(total), status, unixNow());
  Purchase p;
  p.id = static_cast<int64_t>(inserted.insertId());
  p.userId = userId;
  p.bookId = bookId;
  p.bookTitle = textOf(book[0][1]);
  p.quantity = quantity;
  p.totalCents = total;
  p.status = status;
  if (alsoDo) {
    auto step = alsoDo(trans, p);
    const bool kept = co_await step;
    if (!kept) co_return BuyResult{BuyOutcome::kKeyLost, 0, std::nullopt};  // rolled back
  }
  co_await recordStockChange(trans, bookId);
  co_await commit(trans);
  changes_->record();
  BuyResult result{BuyOutcome::kCreated, p.id, std::nullopt};
  result.purchase = std::move(p);
  co_return result;
}

drogon::Task<std::optional<Purchase>> PurchaseRepository::findForBuyer(int64_t id,
                                                                       int64_t userId) const {
  auto rows = co_await db_->reader()->execSqlCoro(sql::kFindForBuyer, id, userId);
  if (rows.empty()) co_return std::nullopt;
  co_return purchaseFrom(rows[0]);
}

drogon::Task<Page<Purchase>> PurchaseRepository::listForBuyer(int64_t userId, int64_t page,
                                                              int64_t perPage) const {
  Page<Purchase> out;
  out.total = intOf((co_await db_->reader()->execSqlCoro(sql::kCountForBuyer, userId))[0][0]);
  for (const auto& row : co_await db_->reader()->execSqlCoro(sql::kListForBuyer, userId, perPage,
                                                             (page - 1) * perPage)) {
    out.items.push_back(purchaseFrom(row));
  }
  co_return out;
}

drogon::Task<PayResult> PurchaseRepository::pay(int64_t id, int64_t userId, std::string method,
                                                int64_t expiredAtOrBefore,
                                                CancelledRows rows) const {
  auto trans = co_await db_->writer()->newTransactionCoro();
  RollbackUnlessCommitted guard(trans);
  auto marked = co_await trans->execSqlCoro(
      sql::kMarkPaid, statusText(domain::PurchaseStatus::kPaid), id, userId,
      statusText(domain::PurchaseStatus::kPendingPayment), expiredAtOrBefore);
  if (marked.affectedRows() == 0) {
    auto current = co_await trans->execSqlCoro(sql::kPurchaseOfBuyer, id, userId);
    if (current.empty()) co_return PayResult{PayOutcome::kNotFound, std::nullopt};
    auto status = domain::parsePurchaseStatus(textOf(current[0][0]));
    if (status == domain::PurchaseStatus::kPendingPayment) {
      // Still pending, so it has expired: noticed here, cancelled now.
      const bool cancelled = co_await cancelPendingIn(trans, id, rows);
      co_await commit(trans);
      if (cancelled) changes_->record();
      co_return PayResult{PayOutcome::kNotPayable, std::nullopt};
    }
    co_return PayResult{
        status == domain::PurchaseStatus::kPaid || status == domain::PurchaseStatus::kShipped
            ? PayOutcome::kAlreadyPaid
            : PayOutcome::kNotPayable,
        std::nullopt};
  }
  // The amount is the purchase's own total, never a client's figure.
  auto current = co_await trans->execSqlCoro(sql::kPaidPurchase, id, userId);
  Purchase p;
  p.id = id;
  p.userId = userId;
  p.bookId = intOf(current[0][0]);
  p.bookTitle = textOf(current[0][1]);
  p.quantity = intOf(current[0][2]);
  p.totalCents = centsOf(current[0][3]);
  p.status = statusText(domain::PurchaseStatus::kPaid);
  const bool legacyRows = boolOf(current[0][4]) || boolOf(current[0][5]);
  const int64_t total = p.totalCents;
  co_await trans->execSqlCoro(sql::kInsertPayment, id, domain::formatMoney(total), method,
                              std::string(kPaymentCompleted), unixNow());
  co_await commit(trans);
  PayResult result{PayOutcome::kPaid, std::nullopt};
  // The answer shows the purchase's first payment and delivery: this payment
  // and none, unless a legacy database already held rows for it.
  if (!legacyRows && total <= kMaxStoredTotalCents) {
    p.payment = Payment{std::move(method), total, std::string(kPaymentCompleted)};
    result.purchase = std::move(p);
  }
  co_return result;
}

drogon::Task<DeliveryOutcome> PurchaseRepository::chooseDelivery(int64_t id, int64_t userId,
                                                                 int64_t providerId) const {
  auto trans = co_await db_->writer()->newTransactionCoro();
  RollbackUnlessCommitted guard(trans);
  auto current = co_await trans->execSqlCoro(sql::kPurchaseOfBuyer, id, userId);
  if (current.empty()) co_return DeliveryOutcome::kNotFound;
  if (intOf((co_await trans->execSqlCoro(sql::kProviderExists, providerId))[0][0]) == 0) {
    co_return DeliveryOutcome::kProviderNotFound;
  }
  auto marked =
      co_await trans->execSqlCoro(sql::kMarkShipped, statusText(domain::PurchaseStatus::kShipped),
                                  id, userId, statusText(domain::PurchaseStatus::kPaid));
  if (marked.affectedRows() == 0) {
    auto status = domain::parsePurchaseStatus(textOf(current[0][0]));
    co_return status == domain::PurchaseStatus::kShipped ? DeliveryOutcome::kAlreadyChosen
                                                         : DeliveryOutcome::kNotPaid;
  }
  // A database from the original may already hold an assignment for a paid purchase.
  if (intOf((co_await trans->execSqlCoro(sql::kAssignmentCount, id))[0][0]) > 0) {
    co_return DeliveryOutcome::kAlreadyChosen;  // the guard rolls the status change back
  }
  co_await trans->execSqlCoro(sql::kInsertAssignment, id, providerId);
  co_await commit(trans);
  co_return DeliveryOutcome::kAssigned;
}

drogon::Task<bool> PurchaseRepository::cancelPendingIn(
    std::shared_ptr<drogon::orm::Transaction> trans, int64_t id, CancelledRows rows) const {
  const auto pending = statusText(domain::PurchaseStatus::kPendingPayment);
  auto found = co_await trans->execSqlCoro(sql::kPendingPurchase, id, pending);
  if (found.empty()) co_return false;
  const int64_t bookId = intOf(found[0][0]);
  const int64_t quantity = intOf(found[0][1]);
  int64_t changed = 0;
  if (rows == CancelledRows::kDelete) {
    changed = static_cast<int64_t>(
        (co_await trans->execSqlCoro(sql::kDeletePending, id, pending)).affectedRows());
  } else {
    const auto cancelled = statusText(domain::PurchaseStatus::kCancelled);
    changed = static_cast<int64_t>(
        (co_await trans->execSqlCoro(sql::kMarkCancelled, cancelled, id, pending)).affectedRows());
  }
  if (changed == 0) co_return false;  // another replica got there first
  if (quantity > 0) {
    const char* giveBack =
        rows == CancelledRows::kDelete ? sql::kReturnStockUnlessArchived : sql::kReturnStock;
    co_await trans->execSqlCoro(giveBack, quantity, bookId);
    co_await recordStockChange(trans, bookId);
  }
  co_return true;
}

drogon::Task<CancelOutcome> PurchaseRepository::cancel(int64_t id, int64_t userId,
                                                       CancelledRows rows) const {
  auto trans = co_await db_->writer()->newTransactionCoro();
  RollbackUnlessCommitted guard(trans);
  auto current = co_await trans->execSqlCoro(sql::kPurchaseOfBuyer, id, userId);
  if (current.empty()) co_return CancelOutcome::kNotFound;
  const bool cancelled = co_await cancelPendingIn(trans, id, rows);
  co_await commit(trans);
  if (!cancelled) co_return CancelOutcome::kNotPending;
  changes_->record();
  co_return CancelOutcome::kCancelled;
}

drogon::Task<int64_t> PurchaseRepository::expirePending(int64_t expiredAtOrBefore, int64_t limit,
                                                        CancelledRows rows) const {
  const auto pending = statusText(domain::PurchaseStatus::kPendingPayment);
  auto overdue =
      co_await db_->reader()->execSqlCoro(sql::kOverduePending, pending, expiredAtOrBefore, limit);
  int64_t cancelled = 0;
  for (const auto& row : overdue) {
    const int64_t id = intOf(row[0]);
    auto trans = co_await db_->writer()->newTransactionCoro();
    RollbackUnlessCommitted guard(trans);
    const bool done = co_await cancelPendingIn(trans, id, rows);
    co_await commit(trans);
    if (done) ++cancelled;
  }
  if (cancelled > 0) changes_->record();
  co_return cancelled;
}

drogon::Task<int64_t> PurchaseRepository::deleteCancelled(int64_t limit) const {
  const auto cancelled = statusText(domain::PurchaseStatus::kCancelled);
  auto deleted = co_await db_->writer()->execSqlCoro(sql::kDeleteCancelledBatch, cancelled, limit);
  co_return static_cast<int64_t>(deleted.affectedRows());
}

}  // namespace bookstore::db
