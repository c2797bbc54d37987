#pragma once

#include <drogon/utils/coroutine.h>

#include <vector>

#include "db/models.h"
#include "db/repositories/provider_repository.h"
#include "domain/validation.h"
#include "services/outcome.h"

namespace bookstore::services {

// Delivery providers: everyone may list them (to choose one); only
// administrators change them (kNotAdmin), and one that deliveries name stays.
class ProviderService {
 public:
  explicit ProviderService(const db::ProviderRepository& providers) : providers_(providers) {}

  drogon::Task<std::vector<db::Provider>> list() const;
  // kNotAdmin, kInvalidFields (domain::validateProvider).
  drogon::Task<Outcome<int64_t>> add(db::User actor, domain::ProviderInput input) const;
  // kNotAdmin, kProviderNotFound, kInvalidFields.
  drogon::Task<Status> edit(db::User actor, int64_t id, domain::ProviderInput input) const;
  // kNotAdmin, kProviderNotFound, kProviderInUse.
  drogon::Task<Status> remove(db::User actor, int64_t id) const;

 private:
  const db::ProviderRepository& providers_;
};

}  // namespace bookstore::services
