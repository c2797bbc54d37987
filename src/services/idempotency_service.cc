#include "services/idempotency_service.h"

#include "db/row_reading.h"
#include "domain/tokens.h"

namespace bookstore::services {

drogon::Task<IdempotencyService::Start> IdempotencyService::start(int64_t userId, std::string key,
                                                                  std::string requestHash) const {
  db::KeyClaim claim{userId, key, domain::randomToken(16)};
  // A row deleted between the insert and the read (released by a failing
  // first request, or swept) is inserted again; a few rounds settle it.
  for (int round = 0; round < 4; ++round) {
    const auto now = db::unixNow();
    const bool inserted = co_await keys_.insert(claim, requestHash, now);
    if (inserted) co_return Start{Found::kFirst, claim, {}, 0};
    auto row = co_await keys_.find(userId, key);
    if (!row) continue;
    if (row->requestHash != requestHash) co_return Start{Found::kReused, {}, {}, 0};
    if (row->done) co_return Start{Found::kReplay, {}, std::move(row->answer), 0};
    const int64_t staleAt = now - kTakeOverAfterSeconds;
    // Usually the first finishes within a second: Retry-After says 1, not
    // the takeover bound.
    if (row->lockedAt > staleAt) co_return Start{Found::kInFlight, {}, {}, 1};
    const bool taken = co_await keys_.takeOver(claim, now, staleAt);
    if (taken) co_return Start{Found::kFirst, claim, {}, 0};
  }
  co_return Start{Found::kInFlight, {}, {}, 1};
}

drogon::Task<void> IdempotencyService::finish(db::KeyClaim claim, db::StoredAnswer answer) const {
  co_await keys_.finish(std::move(claim), std::move(answer));
}

drogon::Task<void> IdempotencyService::release(db::KeyClaim claim) const {
  co_await keys_.release(std::move(claim));
}

drogon::Task<bool> IdempotencyService::finishIn(std::shared_ptr<drogon::orm::Transaction> trans,
                                                db::KeyClaim claim, db::StoredAnswer answer) const {
  co_return co_await keys_.finishIn(std::move(trans), std::move(claim), std::move(answer));
}

drogon::Task<int64_t> IdempotencyService::deleteExpired() const {
  const int64_t cutoff = db::unixNow() - kKeepSeconds;
  int64_t deleted = 0;
  for (int64_t i = 0; i < kMaxBatchesPerSweep; ++i) {
    const int64_t batch = co_await keys_.deleteCreatedBefore(cutoff, kDeleteBatch);
    deleted += batch;
    if (batch < kDeleteBatch) break;
  }
  co_return deleted;
}

}  // namespace bookstore::services
