#pragma once

#include <string>
#include <vector>

#include "db/models.h"
#include "web/views/layout.h"

namespace bookstore::web::views {

struct PaymentView {
  db::Purchase purchase;
  std::string selectedMethod;  // stored spelling, kept after a refused submit
  std::string message;         // why the last submit was refused
};
std::string renderPayment(const PageFrame& frame, const PaymentView& view);

struct DeliveryView {
  db::Purchase purchase;
  std::vector<db::Provider> providers;
  int64_t selectedProvider = 0;
  std::string message;
};
std::string renderDelivery(const PageFrame& frame, const DeliveryView& view);

struct PurchasesView {
  std::vector<db::Purchase> purchases;
  int64_t page = 1;
  int64_t totalPages = 1;
};
std::string renderPurchases(const PageFrame& frame, const PurchasesView& view);

}  // namespace bookstore::web::views
