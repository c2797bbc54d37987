#pragma once

#include <drogon/utils/coroutine.h>

#include <optional>

#include "db/database.h"
#include "db/models.h"

namespace bookstore::db {

// Browser sessions, API tokens and login throttling: all in the shared
// database so that every replica sees the same state. Only hashes of session
// ids and tokens are stored.
class AuthRepository {
 public:
  explicit AuthRepository(std::shared_ptr<Database> db) : db_(std::move(db)) {}

  drogon::Task<void> createSession(std::string idHash, int64_t userId) const;
  // The session's user when the session exists, was used within
  // `idleSeconds` and began within `maxAgeSeconds` (else it is deleted);
  // refreshes its last use at most once a minute.
  drogon::Task<std::optional<User>> sessionUser(std::string idHash, int64_t idleSeconds,
                                                int64_t maxAgeSeconds) const;
  drogon::Task<void> deleteSession(std::string idHash) const;

  // Answers the token's creation time (Unix seconds).
  drogon::Task<int64_t> createToken(std::string tokenHash, int64_t userId) const;
  // The token's user while it is younger than `ttlSeconds` (else it is deleted).
  drogon::Task<std::optional<User>> tokenUser(std::string tokenHash, int64_t ttlSeconds) const;
  // Deletes, in batches of a few hundred rows and at most a few thousand per
  // call, sessions idle or older than allowed, tokens past their lifetime and
  // throttle rows whose window closed; answers how many rows went.
  drogon::Task<int64_t> deleteExpired(int64_t sessionIdleSeconds, int64_t sessionMaxAgeSeconds,
                                      int64_t tokenTtlSeconds, int64_t throttleWindowSeconds) const;
  drogon::Task<bool> deleteToken(std::string tokenHash) const;

  // Login throttle. Counts one attempt for `key` and answers the attempts
  // counted for it within the last `windowSeconds`, this one included, as one
  // atomic step on the shared database: of any number of parallel attempts,
  // on any replicas, at most `n` read a count of `n` or less.
  drogon::Task<int64_t> countAttempt(std::string key, int64_t windowSeconds) const;
  // Takes one counted attempt back (a login that succeeded).
  drogon::Task<void> forgiveAttempt(std::string key) const;
  drogon::Task<void> clearFailures(std::string key) const;

 private:
  std::shared_ptr<Database> db_;
};

}  // namespace bookstore::db
