#pragma once

#include <drogon/utils/coroutine.h>

#include <optional>

#include "db/database.h"
#include "db/models.h"

namespace bookstore::db {

enum class ProviderDeleteOutcome { kDeleted, kInUse, kNotFound };

class ProviderRepository {
 public:
  explicit ProviderRepository(std::shared_ptr<Database> db) : db_(std::move(db)) {}

  drogon::Task<std::vector<Provider>> list() const;
  drogon::Task<std::optional<Provider>> find(int64_t id) const;
  drogon::Task<int64_t> create(std::string name, std::string area, int64_t costCents) const;
  // False when there is no such provider.
  drogon::Task<bool> update(int64_t id, std::string name, std::string area,
                            int64_t costCents) const;
  // A provider chosen for a delivery stays (order history names it).
  drogon::Task<ProviderDeleteOutcome> remove(int64_t id) const;

  // Blocking, for the migrator: adds the original's four providers (DHL,
  // FedEx, Envia, Servientrega) when there are none, as the original did.
  // Returns true when it added them.
  static bool seedDefaultsSync(const drogon::orm::DbClientPtr& client);

 private:
  std::shared_ptr<Database> db_;
};

}  // namespace bookstore::db
