#pragma once

#include <string>
#include <vector>

#include "db/models.h"
#include "web/views/layout.h"

namespace bookstore::web::views {

struct UsersView {
  std::vector<db::User> users;
  int64_t total = 0;
  int64_t page = 1;
  int64_t totalPages = 1;
};
std::string renderAdminUsers(const PageFrame& frame, const UsersView& view);

// A provider form as typed (cost as text), for showing a refused submit back.
struct ProviderDraft {
  std::string name, coverageArea, cost;
};

struct ProvidersView {
  std::vector<db::Provider> providers;
  ProviderDraft newProvider;
  std::vector<std::string> newProviderMessages;
  int64_t editedId = 0;  // the provider whose refused edit is shown
  ProviderDraft editedDraft;
  std::vector<std::string> editMessages;
};
std::string renderAdminProviders(const PageFrame& frame, const ProvidersView& view);

}  // namespace bookstore::web::views
