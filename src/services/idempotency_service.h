#pragma once

#include <drogon/utils/coroutine.h>

#include <cstdint>
#include <string>

#include "db/repositories/idempotency_repository.h"

namespace bookstore::services {

// Idempotent retries (API.md "Retries are safe"; the buy form's one-time
// token): the first request under a user's key is carried out and its answer
// stored; a repeat of the same request gets that answer again and changes
// nothing, another request under the key is refused, and a repeat while the
// first still runs is told to retry. The state is in the database, so every
// replica honours a key another one saw.
class IdempotencyService {
 public:
  // Keys are kept at least this long, then deleted by the periodic sweep.
  static constexpr int64_t kKeepSeconds = 24 * 60 * 60;
  // A key still in flight this long after its holder took it is taken over by
  // the next repeat: its holder died (a replica killed mid-request). No
  // request runs that long (every database call is bounded by DB_TIMEOUT_MS,
  // a commit by 15 s), and a holder that was only slow cannot store its
  // answer, nor commit its purchase, once its hold is gone.
  static constexpr int64_t kTakeOverAfterSeconds = 30;
  // Rows per delete statement, and statements per sweep.
  static constexpr int64_t kDeleteBatch = 500;
  static constexpr int64_t kMaxBatchesPerSweep = 20;

  explicit IdempotencyService(const db::IdempotencyRepository& keys) : keys_(keys) {}

  enum class Found {
    kFirst,     // carry the request out under `claim`, then finish() or release()
    kReplay,    // done before: answer `answer`
    kReused,    // the key was used for another request
    kInFlight,  // the first is still running: retry after `retryAfterSeconds`
  };
  struct Start {
    Found found = Found::kFirst;
    db::KeyClaim claim;       // kFirst
    db::StoredAnswer answer;  // kReplay
    int64_t retryAfterSeconds = 1;
  };
  // `requestHash`: domain::requestFingerprint of the request.
  drogon::Task<Start> start(int64_t userId, std::string key, std::string requestHash) const;

  // Stores the answer of a request started with kFirst (nothing when its hold
  // was taken over meanwhile, or the answer was stored in its transaction).
  drogon::Task<void> finish(db::KeyClaim claim, db::StoredAnswer answer) const;
  // Forgets a request that changed nothing and stored no answer (it failed,
  // or was refused where a repeat should run again).
  drogon::Task<void> release(db::KeyClaim claim) const;

  // The step that stores `answer` inside a purchase's own transaction, so the
  // purchase and its key's answer commit together or not at all.
  drogon::Task<bool> finishIn(std::shared_ptr<drogon::orm::Transaction> trans, db::KeyClaim claim,
                              db::StoredAnswer answer) const;

  // Deletes keys older than kKeepSeconds, kDeleteBatch rows per statement;
  // answers how many.
  drogon::Task<int64_t> deleteExpired() const;

 private:
  const db::IdempotencyRepository& keys_;
};

}  // namespace bookstore::services
