#pragma once

#include <drogon/orm/DbClient.h>
#include <drogon/utils/coroutine.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "db/database.h"
#include "db/models.h"

namespace bookstore::db {

struct KeyRow {
  std::string requestHash;
  bool done = false;
  int64_t lockedAt = 0;  // in flight: when the current holder took it
  StoredAnswer answer;   // done
};

// The idempotency_key table (migrations 0005): one row per user and key.
class IdempotencyRepository {
 public:
  explicit IdempotencyRepository(std::shared_ptr<Database> db) : db_(std::move(db)) {}

  // Inserts the key in flight, held by `claim.claim`; false when the user
  // already has it (the unique key decides between racing replicas).
  drogon::Task<bool> insert(KeyClaim claim, std::string requestHash, int64_t now) const;
  // The row, read from the writer (never a lagging reader).
  drogon::Task<std::optional<KeyRow>> find(int64_t userId, std::string key) const;
  // Takes over a key still in flight whose holder took it at
  // `lockedAtOrBefore` or earlier; true when this call did.
  drogon::Task<bool> takeOver(KeyClaim claim, int64_t now, int64_t lockedAtOrBefore) const;
  // Stores the answer while `claim` still holds the key; true when it did.
  drogon::Task<bool> finish(KeyClaim claim, StoredAnswer answer) const;
  // The same inside `trans` (the purchase's own transaction).
  drogon::Task<bool> finishIn(std::shared_ptr<drogon::orm::Transaction> trans, KeyClaim claim,
                              StoredAnswer answer) const;
  // Deletes the key while `claim` holds it in flight (nothing was stored).
  drogon::Task<void> release(KeyClaim claim) const;
  // Deletes at most `limit` keys created before `cutoff` (oldest first), in
  // one statement; answers how many.
  drogon::Task<int64_t> deleteCreatedBefore(int64_t cutoff, int64_t limit) const;

 private:
  std::shared_ptr<Database> db_;
};

}  // namespace bookstore::db
