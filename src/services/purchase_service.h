#pragma once

#include <drogon/utils/coroutine.h>

#include <optional>
#include <string>

#include "db/models.h"
#include "db/repositories/book_repository.h"
#include "db/repositories/purchase_repository.h"
#include "services/outcome.h"

namespace bookstore::services {

// Buying (rules §3.2–3.5): a purchase takes stock atomically and never
// oversells, is paid once (simulated) and then gets one delivery provider.
// A purchase exists only for its buyer: anyone else's is kPurchaseNotFound.
class PurchaseService {
 public:
  PurchaseService(const db::PurchaseRepository& purchases, const db::BookRepository& books)
      : purchases_(purchases), books_(books) {}

  // kInvalidFields (quantity outside 1–kMaxQuantity), kBookNotFound (none or
  // archived), kInsufficientStock (with the stock left).
  drogon::Task<Outcome<db::Purchase>> buy(int64_t userId, int64_t bookId, int64_t quantity) const;

  drogon::Task<Outcome<db::Purchase>> purchaseOf(int64_t userId, int64_t purchaseId) const;
  drogon::Task<db::Page<db::Purchase>> purchasesOf(int64_t userId, int64_t page,
                                                   int64_t perPage) const;

  struct Payment {
    db::Purchase purchase;      // as stored after the payment
    bool firstPayment = false;  // false: it was already paid, nothing changed
  };
  // `method` as sent (nullopt: none could be read); the amount is always the
  // purchase's own total. kPurchaseNotFound, kInvalidFields (method),
  // kNotPayable. Paying again changes nothing.
  drogon::Task<Outcome<Payment>> pay(int64_t userId, int64_t purchaseId,
                                     std::optional<std::string> method) const;

  // kPurchaseNotFound, kInvalidFields (provider_id names no provider),
  // kNotPaid, kDeliveryAlreadyChosen. Answers the shipped purchase.
  drogon::Task<Outcome<db::Purchase>> chooseDelivery(int64_t userId, int64_t purchaseId,
                                                     int64_t providerId) const;

 private:
  const db::PurchaseRepository& purchases_;
  const db::BookRepository& books_;
};

}  // namespace bookstore::services
