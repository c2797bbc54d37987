#pragma once

#include <drogon/utils/coroutine.h>

#include <optional>
#include <string>

#include "app/context.h"
#include "db/models.h"
#include "domain/validation.h"

namespace bookstore::services {

// Registration and login, shared by the pages and the API so both apply the
// same validation, hashing and throttling.

struct RegisterResult {
  std::optional<db::User> user;  // set on success
  domain::FieldErrors errors;    // validation problems
  bool emailTaken = false;
};
drogon::Task<RegisterResult> registerUser(const app::AppContext& ctx, domain::UserInput input);

enum class LoginOutcome { kOk, kWrongCredentials, kThrottled };
struct LoginResult {
  LoginOutcome outcome = LoginOutcome::kWrongCredentials;
  std::optional<db::User> user;
};
// Throttled per account and per client address after repeated failures
// (state in the shared database, so it holds across replicas). A legacy or
// outdated hash is replaced by Argon2id on success.
drogon::Task<LoginResult> login(const app::AppContext& ctx, std::string email, std::string password,
                                std::string clientAddress);

inline constexpr int64_t kThrottleWindowSeconds = 15 * 60;
inline constexpr int64_t kMaxFailuresPerAccount = 5;
inline constexpr int64_t kMaxFailuresPerAddress = 30;

}  // namespace bookstore::services
