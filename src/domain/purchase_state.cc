#include "domain/purchase_state.h"

#include <stdexcept>

namespace bookstore::domain {
namespace {

constexpr std::string_view kPendingPayment = "Pending Payment";
constexpr std::string_view kPaid = "Paid";
constexpr std::string_view kShipped = "Shipped";
constexpr std::string_view kCancelled = "Cancelled";

constexpr std::array<std::string_view, 3> kPaymentMethods = {"Credit Card", "Paypal",
                                                             "Bank Transfer"};

bool equalsIgnoreAsciiCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; };
    if (lower(a[i]) != lower(b[i])) return false;
  }
  return true;
}

std::optional<size_t> paymentMethodIndex(std::string_view text) {
  for (size_t i = 0; i < kPaymentMethods.size(); ++i) {
    if (equalsIgnoreAsciiCase(text, kPaymentMethods[i])) return i;
  }
  return std::nullopt;
}

}  // namespace

std::string_view toString(PurchaseStatus status) {
  switch (status) {
    case PurchaseStatus::kPendingPayment:
      return kPendingPayment;
    case PurchaseStatus::kPaid:
      return kPaid;
    case PurchaseStatus::kShipped:
      return kShipped;
    case PurchaseStatus::kCancelled:
      return kCancelled;
    case PurchaseStatus::kUnknown:
      break;
  }
  return {};
}

PurchaseStatus parsePurchaseStatus(std::string_view text) {
  if (text == kPendingPayment) return PurchaseStatus::kPendingPayment;
  if (text == kPaid) return PurchaseStatus::kPaid;
  if (text == kShipped) return PurchaseStatus::kShipped;
  if (text == kCancelled) return PurchaseStatus::kCancelled;
  return PurchaseStatus::kUnknown;
}

bool canPay(PurchaseStatus status) {
  return status == PurchaseStatus::kPendingPayment;
}

bool canChooseDelivery(PurchaseStatus status) {
  return status == PurchaseStatus::kPaid;
}

bool canCancel(PurchaseStatus status) {
  return status == PurchaseStatus::kPendingPayment;
}

const std::array<std::string_view, 3>& paymentMethods() {
  return kPaymentMethods;
}

std::optional<std::string_view> parsePaymentMethod(std::string_view text) {
  if (const auto index = paymentMethodIndex(text)) return kPaymentMethods[*index];
  return std::nullopt;
}

int64_t purchaseTotal(int64_t unitPriceCents, int64_t quantity) {
  if (unitPriceCents < 0 || quantity < 0) {
    throw std::invalid_argument("purchaseTotal: negative price or quantity");
  }
  int64_t total = 0;
  if (__builtin_mul_overflow(unitPriceCents, quantity, &total)) {
    throw std::overflow_error("purchaseTotal: total does not fit in 64 bits");
  }
  return total;
}

}  // namespace bookstore::domain
