#include "services/provider_service.h"

#include "services/access.h"

namespace bookstore::services {

drogon::Task<std::vector<db::Provider>> ProviderService::list() const {
  co_return co_await providers_.list();
}

drogon::Task<Outcome<int64_t>> ProviderService::add(db::User actor,
                                                    domain::ProviderInput input) const {
  if (auto allowed = requireAdmin(actor); !allowed) co_return allowed.error();
  auto checked = domain::validateProvider(input);
  if (auto* errors = std::get_if<domain::FieldErrors>(&checked)) {
    co_return invalidFields(std::move(*errors));
  }
  auto provider = std::get<domain::ValidProvider>(std::move(checked));
  co_return co_await providers_.create(provider.name, provider.coverageArea, provider.costCents);
}

drogon::Task<Status> ProviderService::edit(db::User actor, int64_t id,
                                           domain::ProviderInput input) const {
  if (auto allowed = requireAdmin(actor); !allowed) co_return allowed.error();
  // A missing provider is not found whatever was sent.
  if (!co_await providers_.find(id)) co_return refuse(Problem::kProviderNotFound);
  auto checked = domain::validateProvider(input);
  if (auto* errors = std::get_if<domain::FieldErrors>(&checked)) {
    co_return invalidFields(std::move(*errors));
  }
  auto provider = std::get<domain::ValidProvider>(std::move(checked));
  const bool updated =
      co_await providers_.update(id, provider.name, provider.coverageArea, provider.costCents);
  if (!updated) co_return refuse(Problem::kProviderNotFound);
  co_return done();
}

drogon::Task<Status> ProviderService::remove(db::User actor, int64_t id) const {
  if (auto allowed = requireAdmin(actor); !allowed) co_return allowed.error();
  const auto removed = co_await providers_.remove(id);
  switch (removed) {
    case db::ProviderDeleteOutcome::kNotFound:
      co_return refuse(Problem::kProviderNotFound);
    case db::ProviderDeleteOutcome::kInUse:
      co_return refuse(Problem::kProviderInUse);
    case db::ProviderDeleteOutcome::kDeleted:
      break;
  }
  co_return done();
}

}  // namespace bookstore::services
