#include "services/covers.h"

#include "domain/image_type.h"
#include "ops/blocking.h"

namespace bookstore::services {

drogon::Task<CoverResult> storeCover(const app::AppContext& ctx, std::string bytes) {
  CoverResult result;
  if (static_cast<int64_t>(bytes.size()) > ctx.config.maxUploadBytes) {
    result.outcome = CoverOutcome::kTooLarge;
    co_return result;
  }
  auto type = domain::detectImageType(bytes);
  if (!type) co_return result;
  const auto* store = ctx.covers.get();
  auto saving = ops::runBlocking(
      [store, bytes = std::move(bytes), type] { return store->save(bytes, *type); });
  result.fileName = co_await saving;
  result.outcome = CoverOutcome::kStored;
  co_return result;
}

drogon::Task<void> attachCover(const app::AppContext& ctx, int64_t bookId, std::string fileName) {
  auto old = co_await ctx.books->setCover(bookId, fileName);
  if (!old.empty() && old != fileName) co_await deleteCoverFile(ctx, old);
}

drogon::Task<void> deleteCoverFile(const app::AppContext& ctx, std::string fileName) {
  const auto* store = ctx.covers.get();
  auto removing = ops::runBlocking([store, fileName] {
    store->remove(fileName);
    return true;
  });
  co_await removing;
}

}  // namespace bookstore::services
