// What a use case answers: its value, or why it refused. Pages and the API map
// a refusal to an HTML error page (web/errors.cc `htmlErrorFor`) or to the
// JSON error of API.md (web/errors.cc `jsonErrorFor`), each in that one place.
// Infrastructure failures (the database unreachable or timing out) are not
// refusals: they stay exceptions, which the route guard turns into 503.
#pragma once

#include <cstdint>
#include <utility>
#include <variant>

#include "domain/validation.h"

namespace bookstore::services {

// Why a use case refused, precise enough for each adapter to word it.
enum class Problem {
  kMalformedRequest,       // the request itself cannot be read (not JSON, broken multipart)
  kInvalidFields,          // `fields` says which and why
  kUnauthorized,           // no valid session or token
  kWrongCredentials,       // login refused
  kThrottled,              // too many failed logins (`retryAfterSeconds`)
  kTooManyRegistrations,   // registrations per client address (`retryAfterSeconds`)
  kBusy,                   // this replica is saturated (`retryAfterSeconds`)
  kForbidden,              // not allowed (generic)
  kNotAdmin,               // an administrator's action
  kNotSeller,              // a change to someone else's book
  kBookNotFound,           // no such book on sale
  kPurchaseNotFound,       // none, or someone else's
  kProviderNotFound,       // an administrator's change to a missing provider
  kEmailTaken,             // registration with a used email
  kInsufficientStock,      // `stockLeft` copies remain
  kStockChanged,           // an edit's stock was sold meanwhile: `stockLeft` is stored now
  kNotPayable,             // the purchase cannot be paid (cancelled, unknown state)
  kNotPaid,                // delivery before payment
  kNotCancellable,         // only a purchase pending payment can be cancelled
  kDeliveryAlreadyChosen,  // a second delivery choice
  kProviderInUse,          // a provider named by deliveries cannot be deleted
  kCoverTooLarge,          // above MAX_UPLOAD_MB (`limitBytes`)
  kCoverNotAnImage,        // not a complete JPEG, PNG or WebP
  kWrongContentType,       // an API upload declared another media type
  kIdempotencyKeyReused,   // the idempotency key was used for another request
  kRequestInFlight,        // the first request with the idempotency key still runs
  kBookQuotaReached,       // MAX_BOOKS_PER_SELLER_PER_HOUR: `retryAfterSeconds`, `limit`
  kCoverQuotaReached,      // MAX_COVER_BYTES_PER_SELLER: `limitBytes`
  kStorageFull,            // the upload folder has no room: nothing was stored
};

struct Error {
  Problem problem = Problem::kForbidden;
  domain::FieldErrors fields;  // kInvalidFields
  int64_t stockLeft = 0;       // kInsufficientStock
  int64_t limitBytes = 0;      // kCoverTooLarge, kCoverQuotaReached
  // Retry-After: kThrottled, kTooManyRegistrations, kBusy, kBookQuotaReached,
  // kCoverQuotaReached
  int64_t retryAfterSeconds = 0;
  int64_t limit = 0;  // kBookQuotaReached: books per hour
};

inline Error refuse(Problem problem) {
  return Error{problem, {}, 0, 0};
}
inline Error retryLater(Problem problem, int64_t seconds) {
  return Error{problem, {}, 0, 0, seconds};
}
inline Error invalidFields(domain::FieldErrors fields) {
  return Error{Problem::kInvalidFields, std::move(fields), 0, 0};
}

// A value or an Error. Test it before use: value() on an error is a bug
// (std::bad_variant_access), never undefined behaviour.
template <typename T>
class [[nodiscard]] Outcome {
 public:
  Outcome(T value) : state_(std::move(value)) {}      // NOLINT: implicit by design
  Outcome(Error error) : state_(std::move(error)) {}  // NOLINT

  bool ok() const { return state_.index() == 0; }
  explicit operator bool() const { return ok(); }

  T& value() & { return std::get<0>(state_); }
  const T& value() const& { return std::get<0>(state_); }
  T&& value() && { return std::get<0>(std::move(state_)); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

  const Error& error() const { return std::get<1>(state_); }
  Problem problem() const { return error().problem; }

 private:
  std::variant<T, Error> state_;
};

// The value of a use case that only succeeds or refuses.
struct Done {};
using Status = Outcome<Done>;
inline Status done() {
  return Done{};
}

}  // namespace bookstore::services
