#pragma once

#include <drogon/utils/coroutine.h>

#include <optional>
#include <string>

#include "db/models.h"
#include "db/repositories/auth_repository.h"
#include "db/repositories/user_repository.h"
#include "domain/password.h"
#include "domain/validation.h"
#include "services/outcome.h"

namespace bookstore::services {

// Accounts, sign-in and who is asking: registration, login with throttling,
// browser sessions and API tokens, the administrators' user list. Shared by
// the pages and the API so both apply the same validation, hashing and
// throttling. Sessions and tokens are stored only as SHA-256 hashes.
class AccountService {
 public:
  static constexpr int64_t kThrottleWindowSeconds = 15 * 60;
  static constexpr int64_t kMaxFailuresPerAccount = 5;
  static constexpr int64_t kMaxFailuresPerAddress = 30;
  static constexpr int64_t kSessionIdleSeconds = 12 * 3600;

  // `hashFormat`: how new and rewritten password hashes are stored
  // (Werkzeug's while ORIGINAL_COMPATIBLE is on, so the original can log
  // every user in after a rollback).
  AccountService(const db::UserRepository& users, const db::AuthRepository& auth,
                 domain::HashFormat hashFormat = domain::HashFormat::kArgon2id)
      : users_(users), auth_(auth), hashFormat_(hashFormat) {}

  // kInvalidFields or kEmailTaken.
  drogon::Task<Outcome<db::User>> registerUser(domain::UserInput input) const;

  // kWrongCredentials or kThrottled. Every attempt is counted before the
  // password check, atomically in the shared database (so it holds under
  // parallel requests and across replicas): past kMaxFailuresPerAccount
  // attempts for one account from one client address, or past
  // kMaxFailuresPerAddress from one address across accounts, within
  // kThrottleWindowSeconds. A success clears its account-and-address count
  // and takes itself back from the address's. The owner's right password
  // from another address is never stopped by failures elsewhere. A hash not in
  // the configured format (domain::verifyPassword says which) is rewritten
  // on success.
  drogon::Task<Outcome<db::User>> login(std::string email, std::string password,
                                        std::string clientAddress) const;

  // Browser sessions, named by the SHA-256 hex of their cookie value.
  // The session's user while it was used within kSessionIdleSeconds.
  drogon::Task<std::optional<db::User>> sessionUser(std::string idHash) const;
  // Starts a session (dropping `replacedIdHash` when set); returns its new
  // random id, the cookie value.
  drogon::Task<std::string> startSession(int64_t userId, std::string replacedIdHash) const;
  drogon::Task<void> endSession(std::string idHash) const;

  // API tokens: the raw token is shown once and only its hash is kept.
  drogon::Task<std::string> issueToken(int64_t userId) const;
  drogon::Task<std::optional<db::User>> tokenUser(std::string token) const;
  // False when no such token existed.
  drogon::Task<bool> revokeToken(std::string token) const;

  // kNotAdmin for anyone but an administrator.
  drogon::Task<Outcome<db::Page<db::User>>> listUsers(db::User actor, int64_t page,
                                                      int64_t perPage) const;

 private:
  const db::UserRepository& users_;
  const db::AuthRepository& auth_;
  domain::HashFormat hashFormat_;
};

}  // namespace bookstore::services
