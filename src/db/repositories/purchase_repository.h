#pragma once

#include <drogon/orm/DbClient.h>
#include <drogon/utils/coroutine.h>

#include <functional>
#include <memory>
#include <optional>

#include "db/catalog_changes.h"
#include "db/database.h"
#include "db/models.h"

namespace bookstore::db {

// kKeyLost: the step run inside the purchase's transaction refused (its
// idempotency key was taken over), so nothing was bought.
enum class BuyOutcome { kCreated, kBookNotFound, kInsufficientStock, kTotalTooLarge, kKeyLost };
// The largest purchase total purchase.total_price holds (DECIMAL(12,2) on
// MySQL): 9,999,999,999.99.
inline constexpr int64_t kMaxStoredTotalCents = 999'999'999'999;
struct BuyResult {
  BuyOutcome outcome = BuyOutcome::kBookNotFound;
  int64_t purchaseId = 0;
  // kCreated: the new purchase exactly as findForBuyer() would read it, from
  // the values of the transaction.
  std::optional<Purchase> purchase;
};

enum class PayOutcome { kPaid, kAlreadyPaid, kNotFound, kNotPayable };
struct PayResult {
  PayOutcome outcome = PayOutcome::kNotFound;
  // kPaid: the paid purchase exactly as findForBuyer() would read it, from the
  // values of the transaction; empty when only a re-read can tell (a legacy
  // database already held a payment or delivery row for the purchase).
  std::optional<Purchase> purchase;
};
enum class DeliveryOutcome { kAssigned, kNotFound, kProviderNotFound, kNotPaid, kAlreadyChosen };
enum class CancelOutcome { kCancelled, kNotFound, kNotPending };

// How a cancelled purchase is kept: as "Cancelled", or (ORIGINAL_COMPATIBLE:
// the original knows no such status, and it was never paid) deleted; then
// its copies go back only to a book that is not archived (an archived book
// keeps stock 0, which stops the original from selling it).
enum class CancelledRows { kKeep, kDelete };

// A step run inside the purchase's own transaction once the purchase row is
// written (storing its idempotent answer); false rolls the purchase back.
using AlsoInTransaction =
    std::function<drogon::Task<bool>(std::shared_ptr<drogon::orm::Transaction>, const Purchase&)>;

// Purchases with their payment and delivery: the buying rules that must hold
// under any concurrency, on any number of replicas (spec §3.3–3.5).
class PurchaseRepository {
 public:
  PurchaseRepository(std::shared_ptr<Database> db, std::shared_ptr<CatalogChanges> changes)
      : db_(std::move(db)), changes_(std::move(changes)) {}

  // Takes `quantity` from the stock atomically (never below zero) and records
  // a "Pending Payment" purchase at the database's current price.
  drogon::Task<BuyResult> buy(int64_t userId, int64_t bookId, int64_t quantity) const;
  // The same, committing only when `alsoDo` (when set) answers true.
  drogon::Task<BuyResult> buy(int64_t userId, int64_t bookId, int64_t quantity,
                              AlsoInTransaction alsoDo) const;
  // The purchase when it belongs to `userId`; anyone else's does not exist.
  drogon::Task<std::optional<Purchase>> findForBuyer(int64_t id, int64_t userId) const;
  drogon::Task<Page<Purchase>> listForBuyer(int64_t userId, int64_t page, int64_t perPage) const;
  // Records one payment for the purchase total; a repeat changes nothing.
  // A purchase pending since `expiredAtOrBefore` (Unix seconds) or earlier
  // has expired: it is not paid (kNotPayable) but cancelled now.
  drogon::Task<PayResult> pay(int64_t id, int64_t userId, std::string method,
                              int64_t expiredAtOrBefore, CancelledRows rows) const;
  // Only for a paid purchase, once.
  drogon::Task<DeliveryOutcome> chooseDelivery(int64_t id, int64_t userId,
                                               int64_t providerId) const;
  // The buyer's pending purchase becomes "Cancelled" and its copies go back
  // to stock, exactly once however many replicas try at the same moment.
  drogon::Task<CancelOutcome> cancel(int64_t id, int64_t userId, CancelledRows rows) const;
  // Cancels up to `limit` purchases pending since `expiredAtOrBefore` or
  // earlier (oldest first); answers how many this call cancelled.
  drogon::Task<int64_t> expirePending(int64_t expiredAtOrBefore, int64_t limit,
                                      CancelledRows rows) const;
  // ORIGINAL_COMPATIBLE: deletes up to `limit` "Cancelled" purchases (kept
  // from before the mode was on) that have no payment or delivery row;
  // answers how many.
  drogon::Task<int64_t> deleteCancelled(int64_t limit) const;

 private:
  // Inside `trans`: cancels purchase `id` if it is still pending and puts
  // its copies back; true when this call did it.
  drogon::Task<bool> cancelPendingIn(std::shared_ptr<drogon::orm::Transaction> trans, int64_t id,
                                     CancelledRows rows) const;

  std::shared_ptr<Database> db_;
  std::shared_ptr<CatalogChanges> changes_;
};

}  // namespace bookstore::db
