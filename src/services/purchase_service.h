#pragma once

#include <drogon/utils/coroutine.h>

#include <functional>
#include <optional>
#include <string>

#include "db/models.h"
#include "db/repositories/book_repository.h"
#include "db/repositories/idempotency_repository.h"
#include "db/repositories/purchase_repository.h"
#include "services/idempotency_service.h"
#include "services/outcome.h"

namespace bookstore::services {

// Buying (rules §3.2–3.5): a purchase takes stock atomically and never
// oversells, is paid once (simulated) and then gets one delivery provider.
// A purchase exists only for its buyer: anyone else's is kPurchaseNotFound.
class PurchaseService {
 public:
  // `pendingTimeoutSeconds`: PENDING_PAYMENT_TIMEOUT_SECONDS, how long an
  // unpaid purchase holds its copies. `cancelledRows`: kDelete while
  // ORIGINAL_COMPATIBLE is on (the original knows no "Cancelled").
  PurchaseService(const db::PurchaseRepository& purchases, const db::BookRepository& books,
                  int64_t pendingTimeoutSeconds = 1800,
                  db::CancelledRows cancelledRows = db::CancelledRows::kKeep,
                  const IdempotencyService* keys = nullptr)
      : purchases_(purchases),
        books_(books),
        pendingTimeoutSeconds_(pendingTimeoutSeconds),
        cancelledRows_(cancelledRows),
        keys_(keys) {}

  // kInvalidFields (quantity outside 1–kMaxQuantity), kBookNotFound (none or
  // archived), kInsufficientStock (with the stock left).
  drogon::Task<Outcome<db::Purchase>> buy(int64_t userId, int64_t bookId, int64_t quantity) const;

  // What a keyed request answers for the purchase it created.
  using AnswerFor = std::function<db::StoredAnswer(const db::Purchase&)>;
  // buy() under an idempotency key held by `claim` (IdempotencyService::start
  // answered kFirst): the purchase and the key's answer, `answerFor(purchase)`,
  // are committed in one transaction, so a purchase never exists without its
  // key's answer (exactly once, even when the replica dies right after).
  // kRequestInFlight when the hold was taken over meanwhile (nothing
  // was bought). Refusals are as buy()'s; they store nothing.
  drogon::Task<Outcome<db::Purchase>> buyOnce(int64_t userId, int64_t bookId, int64_t quantity,
                                              db::KeyClaim claim, AnswerFor answerFor) const;

  // A buy form sent with its one-time token (`form_token`): the first
  // submission buys (as buyOnce, under the key domain::formTokenKey), a
  // repeat of it (a double click, a browser retry, on any replica) buys
  // nothing and answers the purchase the first one made (`repeated`). A
  // refused first submission keeps nothing, so sending it again runs again.
  // kInvalidFields (a malformed token), kIdempotencyKeyReused (the token
  // already bought another quantity), kRequestInFlight (the first is
  // still running), and buy()'s refusals.
  struct FormPurchase {
    int64_t purchaseId = 0;
    bool repeated = false;
  };
  drogon::Task<Outcome<FormPurchase>> buyFromForm(int64_t userId, int64_t bookId, int64_t quantity,
                                                  std::string formToken) const;

  drogon::Task<Outcome<db::Purchase>> purchaseOf(int64_t userId, int64_t purchaseId) const;
  drogon::Task<db::Page<db::Purchase>> purchasesOf(int64_t userId, int64_t page,
                                                   int64_t perPage) const;

  struct Payment {
    db::Purchase purchase;      // as stored after the payment
    bool firstPayment = false;  // false: it was already paid, nothing changed
  };
  // `method` as sent (nullopt: none could be read); the amount is always the
  // purchase's own total. kPurchaseNotFound, kInvalidFields (method),
  // kNotPayable (cancelled, or expired: then it is cancelled now). Paying
  // again changes nothing.
  drogon::Task<Outcome<Payment>> pay(int64_t userId, int64_t purchaseId,
                                     std::optional<std::string> method) const;

  // ORIGINAL_COMPATIBLE's part of the periodic sweep: rows written before
  // the mode was on (or by a replica still without it) that the original
  // would misread are made harmless — a batch of "Cancelled" purchases
  // deleted, archived books' stock set to 0. Answers how many rows changed.
  // Does nothing unless cancelled purchases are deleted (the mode is on).
  drogon::Task<int64_t> clearWhatTheOriginalMisreads() const;

  // kPurchaseNotFound, kInvalidFields (provider_id names no provider),
  // kNotPaid, kDeliveryAlreadyChosen. Answers the shipped purchase.
  drogon::Task<Outcome<db::Purchase>> chooseDelivery(int64_t userId, int64_t purchaseId,
                                                     int64_t providerId) const;

  // The buyer cancels a purchase pending payment: its copies go back to
  // stock. kPurchaseNotFound, kNotCancellable. Answers it as cancelled.
  drogon::Task<Outcome<db::Purchase>> cancel(int64_t userId, int64_t purchaseId) const;

  // Cancels a batch of purchases left unpaid past the timeout (any replica
  // may run it at any time: each is cancelled once). Answers how many.
  drogon::Task<int64_t> expireOverdue() const;

 private:
  const db::PurchaseRepository& purchases_;
  // The creation time at or before which a pending purchase has expired.
  int64_t expiredAtOrBefore() const;

  const db::BookRepository& books_;
  int64_t pendingTimeoutSeconds_;
  db::CancelledRows cancelledRows_;
  const IdempotencyService* keys_;

  drogon::Task<Outcome<db::Purchase>> buyWith(int64_t userId, int64_t bookId, int64_t quantity,
                                              db::AlsoInTransaction alsoDo) const;
};

}  // namespace bookstore::services
