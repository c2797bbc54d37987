#include "services/purchase_service.h"

#include <chrono>
#include <exception>

#include "domain/idempotency.h"
#include "domain/purchase_state.h"
#include "domain/validation.h"

namespace bookstore::services {
namespace {

Error invalidField(const char* field, const char* messageEn, const char* messageEs) {
  return invalidFields({domain::FieldError{field, "invalid", messageEn, messageEs}});
}

}  // namespace

drogon::Task<Outcome<db::Purchase>> PurchaseService::buy(int64_t userId, int64_t bookId,
                                                         int64_t quantity) const {
  db::AlsoInTransaction nothing;
  return buyWith(userId, bookId, quantity, std::move(nothing));
}

drogon::Task<Outcome<db::Purchase>> PurchaseService::buyOnce(int64_t userId, int64_t bookId,
                                                             int64_t quantity, db::KeyClaim claim,
                                                             AnswerFor answerFor) const {
  db::AlsoInTransaction storeAnswer;
  if (keys_ && answerFor) {
    storeAnswer = [keys = keys_, claim = std::move(claim), answerFor = std::move(answerFor)](
                      std::shared_ptr<drogon::orm::Transaction> trans, const db::Purchase& p) {
      return keys->finishIn(std::move(trans), claim, answerFor(p));
    };
  }
  return buyWith(userId, bookId, quantity, std::move(storeAnswer));
}

drogon::Task<Outcome<PurchaseService::FormPurchase>> PurchaseService::buyFromForm(
    int64_t userId, int64_t bookId, int64_t quantity, std::string formToken) const {
  if (!domain::validFormToken(formToken)) {
    co_return invalidField("form_token", "malformed form token",
                           "El formulario no es válido. Recarga la página e inténtalo de nuevo.");
  }
  if (!keys_) {
    auto plain = co_await buy(userId, bookId, quantity);
    if (!plain) co_return plain.error();
    co_return FormPurchase{plain->id, false};
  }
  const std::string path = "/buy/" + std::to_string(bookId);
  std::string key = domain::formTokenKey(formToken, path);
  std::string hash =
      domain::requestFingerprint("POST", path, "quantity=" + std::to_string(quantity));
  auto starting = keys_->start(userId, std::move(key), std::move(hash));
  auto started = co_await starting;
  switch (started.found) {
    case IdempotencyService::Found::kReplay: {
      int64_t id = 0;
      try {
        id = std::stoll(started.answer.body);
      } catch (const std::exception&) {
        id = 0;
      }
      if (id <= 0) co_return refuse(Problem::kIdempotencyKeyReused);
      co_return FormPurchase{id, true};
    }
    case IdempotencyService::Found::kReused:
      co_return refuse(Problem::kIdempotencyKeyReused);
    case IdempotencyService::Found::kInFlight:
      co_return refuse(Problem::kRequestInFlight);
    case IdempotencyService::Found::kFirst:
      break;
  }
  // The stored answer is the purchase's id, committed with the purchase.
  AnswerFor answerFor = [](const db::Purchase& p) {
    return db::StoredAnswer{201, "", std::to_string(p.id)};
  };
  std::optional<Outcome<db::Purchase>> bought;
  std::exception_ptr failure;
  try {
    auto buying = buyOnce(userId, bookId, quantity, started.claim, std::move(answerFor));
    auto result = co_await buying;
    bought.emplace(std::move(result));
  } catch (...) {
    failure = std::current_exception();
  }
  if (failure || !*bought) {
    // Nothing was bought (a commit that did happen left the key done, which
    // release() does not touch): sending the form again runs again.
    try {
      auto releasing = keys_->release(started.claim);
      co_await releasing;
    } catch (const std::exception&) {
      // Left in flight: taken over after kTakeOverAfterSeconds.
    }
    if (failure) std::rethrow_exception(failure);
    co_return bought->error();
  }
  co_return FormPurchase{bought->value().id, false};
}

drogon::Task<Outcome<db::Purchase>> PurchaseService::buyWith(int64_t userId, int64_t bookId,
                                                             int64_t quantity,
                                                             db::AlsoInTransaction alsoDo) const {
  // The stock bound itself is the repository's conditional update.
  if (!domain::quantityAllowed(quantity, domain::kMaxQuantity)) {
    co_return invalidFields({domain::quantityError()});
  }
  auto bought = co_await purchases_.buy(userId, bookId, quantity, std::move(alsoDo));
  switch (bought.outcome) {
    case db::BuyOutcome::kKeyLost:
      co_return refuse(Problem::kRequestInFlight);
    case db::BuyOutcome::kBookNotFound:
      co_return refuse(Problem::kBookNotFound);
    case db::BuyOutcome::kInsufficientStock: {
      // Another buyer may have taken it a moment ago: say what is left now.
      auto book = co_await books_.find(bookId);
      co_return Error{Problem::kInsufficientStock, {}, book ? book->stock : 0, 0};
    }
    case db::BuyOutcome::kTotalTooLarge:
      co_return invalidField("quantity", "makes the total exceed 9999999999.99",
                             "El total superaría el máximo admitido (9.999.999.999,99).");
    case db::BuyOutcome::kCreated:
      break;
  }
  // The answer comes from the purchase's own transaction; a re-read only when
  // the repository could not tell.
  if (bought.purchase) co_return std::move(*bought.purchase);
  co_return co_await purchaseOf(userId, bought.purchaseId);
}

drogon::Task<Outcome<db::Purchase>> PurchaseService::purchaseOf(int64_t userId,
                                                                int64_t purchaseId) const {
  auto purchase = co_await purchases_.findForBuyer(purchaseId, userId);
  if (!purchase) co_return refuse(Problem::kPurchaseNotFound);
  co_return std::move(*purchase);
}

drogon::Task<db::Page<db::Purchase>> PurchaseService::purchasesOf(int64_t userId, int64_t page,
                                                                  int64_t perPage) const {
  co_return co_await purchases_.listForBuyer(userId, page, perPage);
}

drogon::Task<Outcome<PurchaseService::Payment>> PurchaseService::pay(
    int64_t userId, int64_t purchaseId, std::optional<std::string> method) const {
  const auto storedMethod = method ? domain::parsePaymentMethod(*method) : std::nullopt;
  if (!storedMethod) {
    // A missing purchase is not found whatever was sent.
    auto existing = co_await purchaseOf(userId, purchaseId);
    if (!existing) co_return existing.error();
    co_return invalidField("method", "must be one of Credit Card, Paypal, Bank Transfer",
                           "Elige un método de pago de la lista.");
  }
  std::string methodName(*storedMethod);
  auto paid = co_await purchases_.pay(purchaseId, userId, std::move(methodName),
                                      expiredAtOrBefore(), cancelledRows_);
  switch (paid.outcome) {
    case db::PayOutcome::kNotFound:
      co_return refuse(Problem::kPurchaseNotFound);
    case db::PayOutcome::kNotPayable:
      co_return refuse(Problem::kNotPayable);
    case db::PayOutcome::kPaid:
    case db::PayOutcome::kAlreadyPaid:
      break;
  }
  const bool first = paid.outcome == db::PayOutcome::kPaid;
  // A new payment's answer comes from pay()'s transaction; a repeat shows the
  // purchase as stored (its first payment, any delivery).
  if (paid.purchase) co_return Payment{std::move(*paid.purchase), first};
  auto stored = co_await purchaseOf(userId, purchaseId);
  if (!stored) co_return stored.error();
  co_return Payment{std::move(stored.value()), first};
}

drogon::Task<Outcome<db::Purchase>> PurchaseService::chooseDelivery(int64_t userId,
                                                                    int64_t purchaseId,
                                                                    int64_t providerId) const {
  const auto chosen = co_await purchases_.chooseDelivery(purchaseId, userId, providerId);
  switch (chosen) {
    case db::DeliveryOutcome::kNotFound:
      co_return refuse(Problem::kPurchaseNotFound);
    case db::DeliveryOutcome::kProviderNotFound:
      co_return invalidField("provider_id", "no such delivery provider",
                             "Elige un proveedor de entrega de la lista.");
    case db::DeliveryOutcome::kNotPaid:
      co_return refuse(Problem::kNotPaid);
    case db::DeliveryOutcome::kAlreadyChosen:
      co_return refuse(Problem::kDeliveryAlreadyChosen);
    case db::DeliveryOutcome::kAssigned:
      break;
  }
  co_return co_await purchaseOf(userId, purchaseId);
}

drogon::Task<Outcome<db::Purchase>> PurchaseService::cancel(int64_t userId,
                                                            int64_t purchaseId) const {
  auto purchase = co_await purchaseOf(userId, purchaseId);
  if (!purchase) co_return purchase.error();
  const auto cancelled = co_await purchases_.cancel(purchaseId, userId, cancelledRows_);
  switch (cancelled) {
    case db::CancelOutcome::kNotFound:
      co_return refuse(Problem::kPurchaseNotFound);
    case db::CancelOutcome::kNotPending:
      co_return refuse(Problem::kNotCancellable);
    case db::CancelOutcome::kCancelled:
      break;
  }
  purchase->status = std::string(domain::toString(domain::PurchaseStatus::kCancelled));
  co_return purchase;
}

drogon::Task<int64_t> PurchaseService::expireOverdue() const {
  constexpr int64_t kBatch = 100;  // small batches: a backlog never holds the writer long
  co_return co_await purchases_.expirePending(expiredAtOrBefore(), kBatch, cancelledRows_);
}

drogon::Task<int64_t> PurchaseService::clearWhatTheOriginalMisreads() const {
  if (cancelledRows_ != db::CancelledRows::kDelete) co_return 0;
  constexpr int64_t kBatch = 500;
  const int64_t purchases = co_await purchases_.deleteCancelled(kBatch);
  const int64_t books = co_await books_.emptyArchivedStock();
  co_return purchases + books;
}

int64_t PurchaseService::expiredAtOrBefore() const {
  const auto now = std::chrono::duration_cast<std::chrono::seconds>(
                       std::chrono::system_clock::now().time_since_epoch())
                       .count();
  return now - pendingTimeoutSeconds_;
}

}  // namespace bookstore::services
