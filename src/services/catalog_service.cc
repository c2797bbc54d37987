#include "services/catalog_service.h"

namespace bookstore::services {

drogon::Task<SnapshotPtr> CatalogService::snapshot() const {
  auto wait = cache_->snapshot();
  co_return co_await wait;
}

drogon::Task<Outcome<db::Book>> CatalogService::book(int64_t id, Archived archived) const {
  auto wait = cache_->snapshot();
  const auto current = co_await wait;
  if (const auto* listed = current->find(id)) co_return *listed;
  auto stored = co_await books_.find(id);
  if (!stored || (stored->archived && archived == Archived::kExcluded)) {
    co_return refuse(Problem::kBookNotFound);
  }
  co_return std::move(*stored);
}

}  // namespace bookstore::services
