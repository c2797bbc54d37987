#include <gtest/gtest.h>

#include <cstdint>
#include <limits>
#include <stdexcept>
#include <string>
#include <vector>

#include "domain/purchase_state.h"

namespace bookstore::domain {
namespace {

using namespace std::string_literals;

TEST(DomainPurchaseStatus, StoredStringsRoundTrip) {
  EXPECT_EQ(toString(PurchaseStatus::kPendingPayment), "Pending Payment");
  EXPECT_EQ(toString(PurchaseStatus::kPaid), "Paid");
  EXPECT_EQ(toString(PurchaseStatus::kShipped), "Shipped");
  EXPECT_EQ(toString(PurchaseStatus::kUnknown), "");
  for (auto status :
       {PurchaseStatus::kPendingPayment, PurchaseStatus::kPaid, PurchaseStatus::kShipped}) {
    EXPECT_EQ(parsePurchaseStatus(toString(status)), status);
  }
}

TEST(DomainPurchaseStatus, UnknownValues) {
  for (const std::string& text :
       std::vector<std::string>{""s, "pending payment"s, "PAID"s, "Paid "s, " Paid"s, "Pending"s,
                                "cancelled"s, "Paid\0"s, "Pagado"s, std::string(10'000, 'x')}) {
    EXPECT_EQ(parsePurchaseStatus(text), PurchaseStatus::kUnknown) << testing::PrintToString(text);
  }
}

TEST(DomainPurchaseStatus, Transitions) {
  EXPECT_TRUE(canPay(PurchaseStatus::kPendingPayment));
  EXPECT_FALSE(canPay(PurchaseStatus::kPaid));
  EXPECT_FALSE(canPay(PurchaseStatus::kShipped));
  EXPECT_FALSE(canPay(PurchaseStatus::kUnknown));

  EXPECT_FALSE(canChooseDelivery(PurchaseStatus::kPendingPayment));
  EXPECT_TRUE(canChooseDelivery(PurchaseStatus::kPaid));
  EXPECT_FALSE(canChooseDelivery(PurchaseStatus::kShipped));
  EXPECT_FALSE(canChooseDelivery(PurchaseStatus::kUnknown));
}

TEST(DomainPaymentMethod, CanonicalList) {
  const auto& methods = paymentMethods();
  ASSERT_EQ(methods.size(), 3u);
  EXPECT_EQ(methods[0], "Credit Card");
  EXPECT_EQ(methods[1], "Paypal");
  EXPECT_EQ(methods[2], "Bank Transfer");
  for (auto method : methods) EXPECT_EQ(parsePaymentMethod(method), method);
}

TEST(DomainPaymentMethod, CaseInsensitiveReturnsCanonicalSpelling) {
  EXPECT_EQ(parsePaymentMethod("paypal"), "Paypal");
  EXPECT_EQ(parsePaymentMethod("PayPal"), "Paypal");
  EXPECT_EQ(parsePaymentMethod("CREDIT CARD"), "Credit Card");
  EXPECT_EQ(parsePaymentMethod("bank transfer"), "Bank Transfer");
  // The result must not point into the caller's (temporary) buffer.
  std::string input = "paypal";
  const auto parsed = parsePaymentMethod(input);
  input.assign("xxxxxx");
  ASSERT_TRUE(parsed.has_value());
  EXPECT_EQ(*parsed, "Paypal");
}

TEST(DomainPaymentMethod, RejectsOthers) {
  for (const std::string& text :
       std::vector<std::string>{""s, "Cash"s, "Paypal "s, " Paypal"s, "CreditCard"s,
                                "Credit  Card"s, "Credit_Card"s, "Paypal\0"s, "Pay\0pal"s,
                                "Tarjeta de crédito"s, "PAYPAL\xFF"s, std::string(5000, 'P')}) {
    EXPECT_EQ(parsePaymentMethod(text), std::nullopt) << testing::PrintToString(text);
  }
}

TEST(DomainPurchaseTotal, Multiplies) {
  EXPECT_EQ(purchaseTotal(1999, 3), 5997);
  EXPECT_EQ(purchaseTotal(0, 5), 0);
  EXPECT_EQ(purchaseTotal(1999, 0), 0);
  EXPECT_EQ(purchaseTotal(100'000'000, 1'000'000), 100'000'000'000'000);
}

TEST(DomainPurchaseTotal, OverflowThrows) {
  constexpr int64_t kMax = std::numeric_limits<int64_t>::max();
  EXPECT_EQ(purchaseTotal(kMax, 1), kMax);
  EXPECT_THROW(purchaseTotal(kMax, 2), std::overflow_error);
  EXPECT_THROW(purchaseTotal(kMax / 2 + 1, 2), std::overflow_error);
  EXPECT_THROW(purchaseTotal(int64_t{1} << 32, int64_t{1} << 32), std::overflow_error);
  EXPECT_EQ(purchaseTotal(kMax / 2, 2), kMax - 1);
}

TEST(DomainPurchaseTotal, NegativeInputsThrow) {
  EXPECT_THROW(purchaseTotal(-1, 1), std::invalid_argument);
  EXPECT_THROW(purchaseTotal(100, -1), std::invalid_argument);
  EXPECT_THROW(purchaseTotal(std::numeric_limits<int64_t>::min(), -1), std::invalid_argument);
}

}  // namespace
}  // namespace bookstore::domain

namespace bookstore::domain {
namespace {

TEST(DomainPurchaseStatus, Cancelled) {
  EXPECT_EQ(parsePurchaseStatus("Cancelled"), PurchaseStatus::kCancelled);
  EXPECT_EQ(toString(PurchaseStatus::kCancelled), "Cancelled");
  EXPECT_TRUE(canCancel(PurchaseStatus::kPendingPayment));
  for (auto s : {PurchaseStatus::kPaid, PurchaseStatus::kShipped, PurchaseStatus::kCancelled,
                 PurchaseStatus::kUnknown}) {
    EXPECT_FALSE(canCancel(s));
  }
  EXPECT_FALSE(canPay(PurchaseStatus::kCancelled));
  EXPECT_FALSE(canChooseDelivery(PurchaseStatus::kCancelled));
}

}  // namespace
}  // namespace bookstore::domain
