#pragma once

#include <drogon/utils/coroutine.h>

#include <algorithm>
#include <memory>
#include <optional>
#include <string>

#include "db/models.h"
#include "db/repositories/auth_repository.h"
#include "db/repositories/user_repository.h"
#include "domain/password.h"
#include "domain/validation.h"
#include "ops/blocking.h"
#include "services/outcome.h"

namespace bookstore::services {

// The settings of config::Config that bound sessions, tokens and the
// expensive work (README, "Limits").
struct AccountLimits {
  int64_t sessionIdleSeconds = 12 * 3600;
  int64_t sessionMaxAgeSeconds = 7 * 86400;
  int64_t tokenTtlSeconds = 30 * 86400;
  int64_t registrationsPerAddressPerHour = 20;
  size_t passwordHashQueue = 16;
};

// Accounts, sign-in and who is asking: registration, login with throttling,
// browser sessions and API tokens, the administrators' user list. Shared by
// the pages and the API so both apply the same validation, hashing and
// throttling. Sessions and tokens are stored only as SHA-256 hashes.
class AccountService {
 public:
  static constexpr int64_t kThrottleWindowSeconds = 15 * 60;
  static constexpr int64_t kMaxFailuresPerAccount = 5;
  static constexpr int64_t kMaxFailuresPerAddress = 30;
  static constexpr int64_t kRegistrationWindowSeconds = 3600;
  static constexpr int64_t kLongestThrottleWindowSeconds =
      std::max(kThrottleWindowSeconds, kRegistrationWindowSeconds);

  using Limits = AccountLimits;

  // `hashFormat`: how new and rewritten password hashes are stored
  // (Werkzeug's while ORIGINAL_COMPATIBLE is on, so the original can log
  // every user in after a rollback).
  AccountService(const db::UserRepository& users, const db::AuthRepository& auth,
                 domain::HashFormat hashFormat = domain::HashFormat::kArgon2id, Limits limits = {})
      : users_(users),
        auth_(auth),
        hashFormat_(hashFormat),
        limits_(limits),
        hashSlots_(std::make_shared<ops::Admission>(limits.passwordHashQueue)) {}

  // kInvalidFields, kTooManyRegistrations (more than
  // registrationsPerAddressPerHour from `clientAddress` within the hour,
  // counted atomically before any work), kEmailTaken, or kBusy (the replica's
  // password hashing is saturated: passwordHashQueue hashes running or
  // waiting).
  drogon::Task<Outcome<db::User>> registerUser(domain::UserInput input,
                                               std::string clientAddress) const;

  // kWrongCredentials or kThrottled. Every attempt is counted before the
  // password check, atomically in the shared database (so it holds under
  // parallel requests and across replicas): past kMaxFailuresPerAccount
  // attempts for one account from one client address, or past
  // kMaxFailuresPerAddress from one address across accounts, within
  // kThrottleWindowSeconds. A success clears its account-and-address count
  // and takes itself back from the address's. The owner's right password
  // from another address is never stopped by failures elsewhere. A hash not in
  // the configured format (domain::verifyPassword says which) is rewritten
  // on success. kBusy when hashing is saturated (the attempt is not counted).
  drogon::Task<Outcome<db::User>> login(std::string email, std::string password,
                                        std::string clientAddress) const;

  // Browser sessions, named by the SHA-256 hex of their cookie value.
  // The session's user while it was used within sessionIdleSeconds and began
  // within sessionMaxAgeSeconds.
  drogon::Task<std::optional<db::User>> sessionUser(std::string idHash) const;
  // Starts a session (dropping `replacedIdHash` when set); returns its new
  // random id, the cookie value.
  drogon::Task<std::string> startSession(int64_t userId, std::string replacedIdHash) const;
  drogon::Task<void> endSession(std::string idHash) const;

  // API tokens: the raw token is shown once and only its hash is kept. A
  // token works for tokenTtlSeconds from its issue.
  struct IssuedToken {
    std::string token;
    int64_t expiresAt = 0;  // Unix seconds
  };
  drogon::Task<IssuedToken> issueToken(int64_t userId) const;
  drogon::Task<std::optional<db::User>> tokenUser(std::string token) const;

  // Deletes expired sessions, tokens and login-throttle rows, in small
  // batches (a bounded number per call); answers how many went.
  drogon::Task<int64_t> deleteExpired() const;
  // False when no such token existed.
  drogon::Task<bool> revokeToken(std::string token) const;

  // kNotAdmin for anyone but an administrator.
  drogon::Task<Outcome<db::Page<db::User>>> listUsers(db::User actor, int64_t page,
                                                      int64_t perPage) const;

 private:
  const db::UserRepository& users_;
  const db::AuthRepository& auth_;
  domain::HashFormat hashFormat_;
  Limits limits_;
  std::shared_ptr<ops::Admission> hashSlots_;  // shared by copies: one bound per replica
};

}  // namespace bookstore::services
