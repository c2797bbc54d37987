// Purchase lifecycle and payment methods. The stored strings are the Flask
// original's, so orders placed by the old server keep working.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string_view>

namespace bookstore::domain {

// Stored as "Pending Payment" -> "Paid" -> "Shipped"; a pending purchase may
// instead become "Cancelled" (by its buyer, or when left unpaid too long).
enum class PurchaseStatus { kPendingPayment, kPaid, kShipped, kCancelled, kUnknown };

// Database text; kUnknown maps to "" (it must never be written back).
std::string_view toString(PurchaseStatus status);
// Exact, case-sensitive match of the stored text; anything else (legacy or
// corrupted values, NULL read as "") is kUnknown.
PurchaseStatus parsePurchaseStatus(std::string_view text);

// Rule §3.5: pay only a pending purchase; delivery only for a paid one.
bool canPay(PurchaseStatus status);
bool canChooseDelivery(PurchaseStatus status);
// Rule §3.13: only a pending purchase can be cancelled.
bool canCancel(PurchaseStatus status);

// The stored spellings, in display order: "Credit Card", "Paypal", "Bank Transfer".
const std::array<std::string_view, 3>& paymentMethods();
// Returns the canonical stored spelling (a view of static storage). Matching
// is ASCII case-insensitive ("paypal" -> "Paypal"); no trimming.
std::optional<std::string_view> parsePaymentMethod(std::string_view text);

// unitPriceCents * quantity. Throws std::invalid_argument for negative
// inputs and std::overflow_error when the product does not fit in int64_t.
int64_t purchaseTotal(int64_t unitPriceCents, int64_t quantity);

}  // namespace bookstore::domain
