#include "services/accounts.h"

#include "domain/password.h"
#include "ops/blocking.h"

namespace bookstore::services {
namespace {

std::string accountKey(const std::string& email) {
  return "account:" + email;
}
std::string addressKey(const std::string& address) {
  return "address:" + address;
}

// Verifying against this when the email is unknown keeps the response time
// from telling which accounts exist.
const std::string& dummyHash() {
  static const std::string hash = domain::hashPassword("bookstore-dummy-password");
  return hash;
}

}  // namespace

drogon::Task<RegisterResult> registerUser(const app::AppContext& ctx, domain::UserInput input) {
  RegisterResult result;
  result.errors = domain::validateRegistration(input);
  if (!result.errors.empty()) co_return result;
  const std::string name(domain::trimAscii(input.name));
  const std::string email = domain::normalizeEmail(input.email);
  if (co_await ctx.users->findByEmail(email)) {
    result.emailTaken = true;
    co_return result;
  }
  auto hashing = ops::runBlocking(
      [password = std::move(input.password)] { return domain::hashPassword(password); });
  auto hash = co_await hashing;
  result.user = co_await ctx.users->create(name, email, hash);
  if (!result.user) result.emailTaken = true;  // lost a race with another registration
  co_return result;
}

drogon::Task<LoginResult> login(const app::AppContext& ctx, std::string email, std::string password,
                                std::string clientAddress) {
  LoginResult result;
  email = domain::normalizeEmail(email);
  // No account can have such an email; keep it out of the throttle table's key.
  if (email.size() > domain::kEmailMaxChars * 4 || !domain::isValidUtf8(email)) co_return result;
  const auto accountFailures =
      co_await ctx.auth->recentFailures(accountKey(email), kThrottleWindowSeconds);
  const auto addressFailures =
      co_await ctx.auth->recentFailures(addressKey(clientAddress), kThrottleWindowSeconds);
  if (accountFailures >= kMaxFailuresPerAccount || addressFailures >= kMaxFailuresPerAddress) {
    result.outcome = LoginOutcome::kThrottled;
    co_return result;
  }
  auto user = co_await ctx.users->findByEmail(email);
  const std::string stored = user ? user->passwordHash : dummyHash();
  auto verifying =
      ops::runBlocking([password, stored] { return domain::verifyPassword(password, stored); });
  auto check = co_await verifying;
  if (!user || check == domain::PasswordCheck::kMismatch) {
    co_await ctx.auth->recordFailure(accountKey(email), kThrottleWindowSeconds);
    co_await ctx.auth->recordFailure(addressKey(clientAddress), kThrottleWindowSeconds);
    co_return result;
  }
  if (check == domain::PasswordCheck::kMatchNeedsRehash) {
    auto rehashing = ops::runBlocking([password] { return domain::hashPassword(password); });
    auto hash = co_await rehashing;
    co_await ctx.users->updatePasswordHash(user->id, hash);
    user->passwordHash = hash;
  }
  co_await ctx.auth->clearFailures(accountKey(email));
  result.outcome = LoginOutcome::kOk;
  result.user = std::move(user);
  co_return result;
}

}  // namespace bookstore::services
