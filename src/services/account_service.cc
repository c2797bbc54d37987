#include "services/account_service.h"

#include <optional>
#include <string_view>

#include "domain/password.h"
#include "domain/tokens.h"
#include "ops/blocking.h"
#include "services/access.h"

namespace bookstore::services {
namespace {

// A client address as a throttle key part: at most this long (a trusted
// proxy's X-Forwarded-For entry is text the client may have shaped), so a
// key always fits login_throttle.throttle_key VARCHAR(200).
constexpr size_t kMaxAddressInKey = 64;

std::string_view shortAddress(const std::string& address) {
  return std::string_view(address).substr(0, kMaxAddressInKey);
}

// Per account and client address: an attacker's failures from one address
// never stop the owner's right password from another. Hashed: the email is
// up to 150 characters, and the key stays short whatever it holds.
std::string accountAddressKey(const std::string& email, const std::string& address) {
  std::string both = email;
  both += '\n';
  both += shortAddress(address);
  return "account-address:" + domain::sha256Hex(both);
}
// Per client address, across accounts.
std::string addressKey(const std::string& address) {
  return "address:" + std::string(shortAddress(address));
}

// Registrations per client address.
std::string registrationKey(const std::string& address) {
  return "register:" + std::string(shortAddress(address));
}

// Verifying against this when the email is unknown keeps the response time
// from telling which accounts exist (hence one per format: their costs differ).
const std::string& dummyHash(domain::HashFormat format) {
  if (format == domain::HashFormat::kWerkzeugPbkdf2) {
    static const std::string werkzeug = domain::hashPassword("bookstore-dummy-password", format);
    return werkzeug;
  }
  static const std::string argon2id = domain::hashPassword("bookstore-dummy-password", format);
  return argon2id;
}

// Text that can name no account (not UTF-8, longer than any stored email)
// and an empty password never reach the database or the throttle table.
bool couldBeCredentials(const std::string& email, const std::string& password) {
  return !password.empty() && domain::isValidUtf8(email) &&
         domain::utf8Length(email) <= domain::kEmailMaxChars;
}

}  // namespace

drogon::Task<Outcome<db::User>> AccountService::registerUser(domain::UserInput input,
                                                             std::string clientAddress) const {
  auto errors = domain::validateRegistration(input);
  if (!errors.empty()) co_return invalidFields(std::move(errors));
  // Counted atomically before any work, like login attempts.
  const auto registrations =
      co_await auth_.countAttempt(registrationKey(clientAddress), kRegistrationWindowSeconds);
  if (registrations > limits_.registrationsPerAddressPerHour) {
    co_return retryLater(Problem::kTooManyRegistrations, kRegistrationWindowSeconds);
  }
  const std::string name(domain::trimAscii(input.name));
  const std::string email = domain::normalizeEmail(input.email);
  if (co_await users_.findByEmail(email)) co_return refuse(Problem::kEmailTaken);
  auto admitted = hashSlots_->tryEnter();
  if (!admitted) co_return retryLater(Problem::kBusy, 1);
  auto hashing =
      ops::runBlocking([password = std::move(input.password),
                        format = hashFormat_] { return domain::hashPassword(password, format); },
                       ops::Pool::kHashing);
  auto hash = co_await hashing;
  auto user = co_await users_.create(name, email, hash);
  // nullopt: lost a race with another registration of the same email.
  if (!user) co_return refuse(Problem::kEmailTaken);
  co_return std::move(*user);
}

drogon::Task<Outcome<db::User>> AccountService::login(std::string email, std::string password,
                                                      std::string clientAddress) const {
  email = domain::normalizeEmail(email);
  if (!couldBeCredentials(email, password)) co_return refuse(Problem::kWrongCredentials);
  // Each attempt is counted before the password is checked, atomically, so
  // parallel guesses cannot all pass a count read before any was recorded.
  const auto pairKey = accountAddressKey(email, clientAddress);
  const auto fromAddressKey = addressKey(clientAddress);
  const auto pairAttempts = co_await auth_.countAttempt(pairKey, kThrottleWindowSeconds);
  const auto addressAttempts = co_await auth_.countAttempt(fromAddressKey, kThrottleWindowSeconds);
  if (pairAttempts > kMaxFailuresPerAccount || addressAttempts > kMaxFailuresPerAddress) {
    co_return retryLater(Problem::kThrottled, kThrottleWindowSeconds);
  }
  auto admitted = hashSlots_->tryEnter();
  if (!admitted) {
    // Saturated: this attempt checked nothing, so it is not held against anyone.
    co_await auth_.forgiveAttempt(pairKey);
    co_await auth_.forgiveAttempt(fromAddressKey);
    co_return retryLater(Problem::kBusy, 1);
  }
  auto user = co_await users_.findByEmail(email);
  // The dummy hash is made on first use, on the hashing pool like every
  // hash (600,000 PBKDF2 rounds must not stall an I/O thread).
  std::optional<std::string> stored;
  if (user) stored = user->passwordHash;
  auto verifying = ops::runBlocking(
      [password, stored = std::move(stored), format = hashFormat_] {
        return domain::verifyPassword(password, stored ? *stored : dummyHash(format), format);
      },
      ops::Pool::kHashing);
  const auto check = co_await verifying;
  if (!user || check == domain::PasswordCheck::kMismatch) {
    co_return refuse(Problem::kWrongCredentials);  // it stays counted
  }
  if (check == domain::PasswordCheck::kMatchNeedsRehash) {
    auto rehashing = ops::runBlocking(
        [password, format = hashFormat_] { return domain::hashPassword(password, format); },
        ops::Pool::kHashing);
    auto hash = co_await rehashing;
    co_await users_.updatePasswordHash(user->id, hash);
    user->passwordHash = hash;
  }
  // A success forgets this account's failures from this address, and is not
  // held against the address (only failures count there).
  co_await auth_.clearFailures(pairKey);
  co_await auth_.forgiveAttempt(fromAddressKey);
  co_return std::move(*user);
}

drogon::Task<std::optional<db::User>> AccountService::sessionUser(std::string idHash) const {
  co_return co_await auth_.sessionUser(std::move(idHash), limits_.sessionIdleSeconds,
                                       limits_.sessionMaxAgeSeconds);
}

drogon::Task<std::string> AccountService::startSession(int64_t userId,
                                                       std::string replacedIdHash) const {
  if (!replacedIdHash.empty()) co_await auth_.deleteSession(replacedIdHash);
  auto sessionId = domain::randomToken(32);
  auto idHash = domain::sha256Hex(sessionId);
  co_await auth_.createSession(std::move(idHash), userId);
  co_return sessionId;
}

drogon::Task<void> AccountService::endSession(std::string idHash) const {
  co_await auth_.deleteSession(std::move(idHash));
}

drogon::Task<AccountService::IssuedToken> AccountService::issueToken(int64_t userId) const {
  auto token = domain::randomToken(32);
  auto tokenHash = domain::sha256Hex(token);
  const auto createdAt = co_await auth_.createToken(std::move(tokenHash), userId);
  co_return IssuedToken{std::move(token), createdAt + limits_.tokenTtlSeconds};
}

drogon::Task<std::optional<db::User>> AccountService::tokenUser(std::string token) const {
  auto tokenHash = domain::sha256Hex(token);
  co_return co_await auth_.tokenUser(std::move(tokenHash), limits_.tokenTtlSeconds);
}

drogon::Task<int64_t> AccountService::deleteExpired() const {
  co_return co_await auth_.deleteExpired(limits_.sessionIdleSeconds, limits_.sessionMaxAgeSeconds,
                                         limits_.tokenTtlSeconds, kLongestThrottleWindowSeconds);
}

drogon::Task<bool> AccountService::revokeToken(std::string token) const {
  auto tokenHash = domain::sha256Hex(token);
  co_return co_await auth_.deleteToken(std::move(tokenHash));
}

drogon::Task<Outcome<db::Page<db::User>>> AccountService::listUsers(db::User actor, int64_t page,
                                                                    int64_t perPage) const {
  if (auto allowed = requireAdmin(actor); !allowed) co_return allowed.error();
  co_return co_await users_.list(page, perPage);
}

}  // namespace bookstore::services
