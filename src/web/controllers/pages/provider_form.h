#pragma once

#include <string>
#include <vector>

#include "web/views/admin_views.h"

namespace bookstore::web::pages {

struct ValidProvider {
  std::string name;
  std::string coverageArea;
  int64_t costCents = 0;
};

// Checks an admin's provider form: name 1–100 characters, coverage area
// 1–150, both trimmed, UTF-8, without control characters; cost a price
// (0.00–1,000,000.00, at most two decimals). Spanish messages on refusal.
struct ProviderCheck {
  ValidProvider provider;
  std::vector<std::string> messages;  // empty when valid
};
ProviderCheck checkProvider(const views::ProviderDraft& draft);

}  // namespace bookstore::web::pages
