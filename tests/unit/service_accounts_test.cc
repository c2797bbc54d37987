// AccountService against the real user and auth repositories (service_fixture.h).
// Argon2id is deliberately slow, so few users are registered through it: the
// throttling tests use a cheap legacy PBKDF2 hash instead.
#include <algorithm>
#include <ctime>
#include <future>
#include <string>
#include <thread>
#include <vector>

#include "domain/password.h"
#include "domain/tokens.h"
#include "service_fixture.h"

namespace bookstore::test {
namespace {

using services::AccountService;
using services::Problem;

// Werkzeug's format, cheap to verify (1000 iterations). Made with
// /usr/bin/python3 -c "import hashlib; print(hashlib.pbkdf2_hmac('sha256',
//     b'clave-antigua-1', b'NaCl4u', 1000).hex())"
const std::string kLegacyPassword = "clave-antigua-1";
const std::string kLegacyHash =
    "pbkdf2:sha256:1000$NaCl4u$5aafed1e8cfbbb2ee6b57eb80a8559ed676e852473f5c3e4df0d47406407dc40";

std::vector<std::string> fieldsOf(const services::Error& error) {
  std::vector<std::string> fields;
  for (const auto& field : error.fields) fields.push_back(field.field);
  std::sort(fields.begin(), fields.end());
  return fields;
}

class ServiceAccounts : public ServiceTest {
 protected:
  services::Outcome<db::User> registerUser(const std::string& name, const std::string& email,
                                           const std::string& password) {
    domain::UserInput input{name, email, password};
    return run(accounts_->registerUser(std::move(input), std::string(kRegistrationAddress)));
  }
  static constexpr const char* kRegistrationAddress = "198.51.100.9";

  services::Outcome<db::User> login(const std::string& email, const std::string& password,
                                    const std::string& address = "203.0.113.7") {
    std::string e = email, p = password, a = address;
    return run(accounts_->login(std::move(e), std::move(p), std::move(a)));
  }

  // A user whose stored hash is the legacy PBKDF2 one (what the Flask
  // original left behind): logins verify quickly until it is upgraded.
  db::User legacyUser(const std::string& name) {
    auto user = makeUser(name);
    std::string hash = kLegacyHash;
    run(users_.updatePasswordHash(user.id, std::move(hash)));
    user.passwordHash = kLegacyHash;
    return user;
  }

  std::string storedHash(const std::string& email) {
    std::string normalised = email;
    auto user = run(users_.findByEmail(std::move(normalised)));
    return user ? user->passwordHash : "";
  }

  int64_t userCount() {
    auto page = run(users_.list(1, 100));
    return page.total;
  }
};

TEST_F(ServiceAccounts, RegisterStoresTrimmedNameNormalisedEmailAndArgon2idHash) {
  auto user = registerUser("  Ana Pérez  ", "  Ana@Example.COM ", "una clave larga");
  ASSERT_TRUE(user.ok());
  EXPECT_GT(user->id, 0);
  EXPECT_EQ(user->name, "Ana Pérez");
  EXPECT_EQ(user->email, "ana@example.com");
  EXPECT_FALSE(user->isAdmin);
  EXPECT_EQ(user->passwordHash.rfind("$argon2id$", 0), 0u) << user->passwordHash;

  std::string email = "ana@example.com";
  auto stored = run(users_.findByEmail(std::move(email)));
  ASSERT_TRUE(stored.has_value());
  EXPECT_EQ(stored->id, user->id);
  EXPECT_EQ(stored->passwordHash, user->passwordHash);  // (login tests verify it)

  // The same address however it is written is taken (and costs no hashing).
  auto again = registerUser("Otra Ana", "ANA@example.com", "otra clave larga");
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.problem(), Problem::kEmailTaken);
  EXPECT_EQ(userCount(), 1);
}

TEST_F(ServiceAccounts, RegisterRefusesInvalidFieldsNamingEach) {
  auto refused = registerUser("   ", "no-es-un-correo", "corta");
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.problem(), Problem::kInvalidFields);
  EXPECT_EQ(fieldsOf(refused.error()), (std::vector<std::string>{"email", "name", "password"}));

  auto shortPassword = registerUser("Bea", "bea@example.com", "1234567");
  ASSERT_FALSE(shortPassword.ok());
  EXPECT_EQ(shortPassword.problem(), Problem::kInvalidFields);
  EXPECT_EQ(fieldsOf(shortPassword.error()), (std::vector<std::string>{"password"}));
  EXPECT_EQ(userCount(), 0);
}

TEST_F(ServiceAccounts, RegisterRefusesAnEmailTakenByAnExistingUser) {
  auto existing = makeUser("carla");
  auto refused = registerUser("Carla Dos", existing.email, "una clave larga");
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.problem(), Problem::kEmailTaken);
  EXPECT_EQ(userCount(), 1);
}

TEST_F(ServiceAccounts, ConcurrentRegistrationsOfOneEmailLetExactlyOneThrough) {
  constexpr int kAttempts = 2;  // (the blocking pool hashes two at once)
  std::vector<std::optional<services::Outcome<db::User>>> results(kAttempts);
  std::vector<std::thread> threads;
  for (int i = 0; i < kAttempts; ++i) {
    threads.emplace_back([this, i, &results] {
      results[i].emplace(
          registerUser("Dana " + std::to_string(i), "dana@example.com", "una clave larga"));
    });
  }
  for (auto& thread : threads) thread.join();
  int succeeded = 0;
  for (const auto& result : results) {
    ASSERT_TRUE(result.has_value());
    if (result->ok()) {
      ++succeeded;
    } else {
      EXPECT_EQ(result->problem(), Problem::kEmailTaken);
    }
  }
  EXPECT_EQ(succeeded, 1);
  EXPECT_EQ(userCount(), 1);
}

TEST_F(ServiceAccounts, LoginAcceptsTheRightPasswordOnly) {
  auto user = registerUser("Elena", "elena@example.com", "una clave larga");
  ASSERT_TRUE(user.ok());

  auto in = login("  ELENA@example.com ", "una clave larga");
  ASSERT_TRUE(in.ok());
  EXPECT_EQ(in->id, user->id);
  EXPECT_EQ(in->email, "elena@example.com");

  auto wrong = login("elena@example.com", "otra clave");
  ASSERT_FALSE(wrong.ok());
  EXPECT_EQ(wrong.problem(), Problem::kWrongCredentials);

  auto unknown = login("nadie@example.com", "una clave larga");
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.problem(), Problem::kWrongCredentials);

  auto empty = login("elena@example.com", "");
  ASSERT_FALSE(empty.ok());
  EXPECT_EQ(empty.problem(), Problem::kWrongCredentials);

  auto notUtf8 = login("elena\xff@example.com", "una clave larga");
  ASSERT_FALSE(notUtf8.ok());
  EXPECT_EQ(notUtf8.problem(), Problem::kWrongCredentials);

  // A failed attempt changed nothing stored.
  EXPECT_EQ(storedHash("elena@example.com"), user->passwordHash);
}

TEST_F(ServiceAccounts, LegacyWerkzeugHashIsReplacedByArgon2idOnSuccess) {
  auto user = legacyUser("fede");

  auto wrong = login(user.email, "no es la clave");
  ASSERT_FALSE(wrong.ok());
  EXPECT_EQ(storedHash(user.email), kLegacyHash);

  auto in = login(user.email, kLegacyPassword);
  ASSERT_TRUE(in.ok());
  EXPECT_EQ(in->id, user.id);
  const auto stored = storedHash(user.email);
  EXPECT_EQ(stored.rfind("$argon2id$", 0), 0u) << stored;
  EXPECT_EQ(in->passwordHash, stored);
  EXPECT_EQ(domain::verifyPassword(kLegacyPassword, stored), domain::PasswordCheck::kMatch);
}

TEST_F(ServiceAccounts, AccountIsThrottledAfterTooManyFailures) {
  auto user = legacyUser("gala");
  auto other = legacyUser("hugo");
  for (int64_t i = 0; i < AccountService::kMaxFailuresPerAccount; ++i) {
    auto failed = login(user.email, "mala clave " + std::to_string(i));
    ASSERT_FALSE(failed.ok());
    ASSERT_EQ(failed.problem(), Problem::kWrongCredentials) << "attempt " << i;
  }
  // Even the right password, from the address the failures came from.
  auto right = login(user.email, kLegacyPassword);
  ASSERT_FALSE(right.ok());
  EXPECT_EQ(right.problem(), Problem::kThrottled);
  auto again = login("  GALA@test.bookstore", kLegacyPassword);
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.problem(), Problem::kThrottled);
  EXPECT_EQ(storedHash(user.email), kLegacyHash);
  // The owner, from another address, still logs in: an attacker's failures
  // cannot lock the account out.
  auto owner = login("  GALA@test.bookstore", kLegacyPassword, "198.51.100.1");
  ASSERT_TRUE(owner.ok());
  EXPECT_EQ(owner->id, user.id);

  // Another account from the same address is not throttled.
  auto otherWrong = login(other.email, "mala clave");
  ASSERT_FALSE(otherWrong.ok());
  EXPECT_EQ(otherWrong.problem(), Problem::kWrongCredentials);
}

TEST_F(ServiceAccounts, SuccessClearsTheAccountsFailures) {
  auto user = legacyUser("ines");
  const std::string address = "192.0.2.44";
  for (int64_t i = 0; i + 1 < AccountService::kMaxFailuresPerAccount; ++i) {
    ASSERT_EQ(login(user.email, "mala", address).problem(), Problem::kWrongCredentials);
  }
  // The success forgets the failures above.
  ASSERT_TRUE(login(user.email, kLegacyPassword, address).ok());
  // (Back to the cheap hash the success upgraded, to keep the test quick.)
  std::string cheap = kLegacyHash;
  run(users_.updatePasswordHash(user.id, std::move(cheap)));
  for (int64_t i = 0; i < AccountService::kMaxFailuresPerAccount; ++i) {
    ASSERT_EQ(login(user.email, "mala", address).problem(), Problem::kWrongCredentials)
        << "attempt " << i;
  }
  // Five in a row now: the sixth attempt is throttled.
  EXPECT_EQ(login(user.email, kLegacyPassword, address).problem(), Problem::kThrottled);
}

TEST_F(ServiceAccounts, AddressIsThrottledAfterTooManyFailuresAcrossAccounts) {
  const std::string address = "198.51.100.23";
  // Spread over accounts so that no single account reaches its own limit.
  std::vector<db::User> victims;
  const int64_t perAccount = AccountService::kMaxFailuresPerAccount - 1;
  int64_t failures = 0;
  for (int n = 0; failures < AccountService::kMaxFailuresPerAddress; ++n) {
    victims.push_back(legacyUser("victima" + std::to_string(n)));
    for (int64_t i = 0; i < perAccount && failures < AccountService::kMaxFailuresPerAddress; ++i) {
      auto failed = login(victims.back().email, "mala", address);
      ASSERT_FALSE(failed.ok());
      ASSERT_EQ(failed.problem(), Problem::kWrongCredentials) << "failure " << failures;
      ++failures;
    }
  }
  auto fresh = legacyUser("intacta");
  auto fromThere = login(fresh.email, kLegacyPassword, address);
  ASSERT_FALSE(fromThere.ok());
  EXPECT_EQ(fromThere.problem(), Problem::kThrottled);
  // The same account from another address is only judged by its password.
  auto fromElsewhere = login(fresh.email, "mala", "198.51.100.24");
  ASSERT_FALSE(fromElsewhere.ok());
  EXPECT_EQ(fromElsewhere.problem(), Problem::kWrongCredentials);
}

TEST_F(ServiceAccounts, ThrottledGuessesKeepBeingRefused) {
  // Guesses past the limit are refused (counted, never checked), however
  // many come; the parallel case is tests/http/test_login_throttle.py.
  auto user = legacyUser("karla");
  const std::string address = "203.0.113.50";
  constexpr int kGuesses = 40;
  int wrong = 0;
  int throttled = 0;
  for (int i = 0; i < kGuesses; ++i) {
    auto outcome = login(user.email, "mala " + std::to_string(i), address);
    ASSERT_FALSE(outcome.ok());
    if (outcome.problem() == Problem::kWrongCredentials) ++wrong;
    if (outcome.problem() == Problem::kThrottled) ++throttled;
  }
  EXPECT_EQ(wrong, AccountService::kMaxFailuresPerAccount);
  EXPECT_EQ(throttled, kGuesses - AccountService::kMaxFailuresPerAccount);
  EXPECT_EQ(login(user.email, kLegacyPassword, address).problem(), Problem::kThrottled);
  // The owner elsewhere is unaffected.
  EXPECT_TRUE(login(user.email, kLegacyPassword, "203.0.113.51").ok());
}

TEST_F(ServiceAccounts, SuccessesDoNotCountAgainstTheAddress) {
  auto user = legacyUser("lola");
  const std::string address = "203.0.113.60";
  std::string cheap = kLegacyHash;
  for (int64_t i = 0; i < AccountService::kMaxFailuresPerAddress + 5; ++i) {
    ASSERT_TRUE(login(user.email, kLegacyPassword, address).ok()) << "login " << i;
    cheap = kLegacyHash;
    run(users_.updatePasswordHash(user.id, std::move(cheap)));
  }
}

TEST_F(ServiceAccounts, SessionsRoundTripReplaceAndEnd) {
  auto user = makeUser("julia");
  std::string none;
  const auto cookie = run(accounts_->startSession(user.id, std::move(none)));
  EXPECT_GE(cookie.size(), 32u);
  const auto idHash = domain::sha256Hex(cookie);

  std::string lookup = idHash;
  auto current = run(accounts_->sessionUser(std::move(lookup)));
  ASSERT_TRUE(current.has_value());
  EXPECT_EQ(current->id, user.id);
  EXPECT_EQ(current->email, user.email);

  // The cookie value itself names no session: only its hash is stored.
  std::string raw = cookie;
  EXPECT_FALSE(run(accounts_->sessionUser(std::move(raw))).has_value());
  auto stored = admin_->execSqlSync("SELECT id_hash FROM web_session");
  ASSERT_EQ(stored.size(), 1u);
  EXPECT_EQ(stored[0][0].as<std::string>(), idHash);

  // A new session replacing the old one (as at login): the old one is gone.
  std::string replaced = idHash;
  const auto second = run(accounts_->startSession(user.id, std::move(replaced)));
  EXPECT_NE(second, cookie);
  std::string oldLookup = idHash;
  EXPECT_FALSE(run(accounts_->sessionUser(std::move(oldLookup))).has_value());
  std::string newLookup = domain::sha256Hex(second);
  ASSERT_TRUE(run(accounts_->sessionUser(std::move(newLookup))).has_value());

  std::string ending = domain::sha256Hex(second);
  run(accounts_->endSession(std::move(ending)));
  std::string endedLookup = domain::sha256Hex(second);
  EXPECT_FALSE(run(accounts_->sessionUser(std::move(endedLookup))).has_value());
}

TEST_F(ServiceAccounts, SessionIdleTooLongIsGone) {
  auto user = makeUser("karen");
  std::string none;
  const auto cookie = run(accounts_->startSession(user.id, std::move(none)));
  const auto idHash = domain::sha256Hex(cookie);
  const int64_t longAgo =
      static_cast<int64_t>(std::time(nullptr)) - AccountService::Limits{}.sessionIdleSeconds - 60;
  admin_->execSqlSync("UPDATE web_session SET last_seen_at = ? WHERE id_hash = ?", longAgo, idHash);
  std::string lookup = idHash;
  EXPECT_FALSE(run(accounts_->sessionUser(std::move(lookup))).has_value());
  EXPECT_EQ(admin_->execSqlSync("SELECT COUNT(*) FROM web_session")[0][0].as<int64_t>(), 0);
}

TEST_F(ServiceAccounts, TokensRoundTripAndRevoke) {
  auto user = makeUser("luis");
  const auto issued = run(accounts_->issueToken(user.id));
  const auto token = issued.token;
  EXPECT_GE(token.size(), 32u);
  const auto now = static_cast<int64_t>(std::time(nullptr));
  EXPECT_NEAR(issued.expiresAt, now + AccountService::Limits{}.tokenTtlSeconds, 5);
  const auto another = run(accounts_->issueToken(user.id)).token;
  EXPECT_NE(token, another);

  std::string asked = token;
  auto owner = run(accounts_->tokenUser(std::move(asked)));
  ASSERT_TRUE(owner.has_value());
  EXPECT_EQ(owner->id, user.id);

  // Only the hash is kept.
  auto stored = admin_->execSqlSync("SELECT token_hash FROM api_token ORDER BY token_hash");
  ASSERT_EQ(stored.size(), 2u);
  for (const auto& row : stored) {
    EXPECT_NE(row[0].as<std::string>(), token);
    EXPECT_NE(row[0].as<std::string>(), another);
  }

  std::string revoking = token;
  EXPECT_TRUE(run(accounts_->revokeToken(std::move(revoking))));
  std::string revokedAgain = token;
  EXPECT_FALSE(run(accounts_->revokeToken(std::move(revokedAgain))));
  std::string afterRevoke = token;
  EXPECT_FALSE(run(accounts_->tokenUser(std::move(afterRevoke))).has_value());
  // The other token still works.
  std::string stillValid = another;
  EXPECT_TRUE(run(accounts_->tokenUser(std::move(stillValid))).has_value());
  std::string made = "no-es-un-token";
  EXPECT_FALSE(run(accounts_->tokenUser(std::move(made))).has_value());
}

TEST_F(ServiceAccounts, ListUsersIsForAdministrators) {
  auto admin = makeAdmin("admin");
  auto plain = makeUser("mario");
  makeUser("nora");

  db::User notAdmin = plain;
  auto refused = run(accounts_->listUsers(std::move(notAdmin), 1, 10));
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.problem(), Problem::kNotAdmin);

  db::User actor = admin;
  auto first = run(accounts_->listUsers(std::move(actor), 1, 2));
  ASSERT_TRUE(first.ok());
  EXPECT_EQ(first->total, 3);
  ASSERT_EQ(first->items.size(), 2u);
  EXPECT_EQ(first->items[0].id, admin.id);
  EXPECT_TRUE(first->items[0].isAdmin);
  EXPECT_EQ(first->items[1].id, plain.id);

  db::User actorAgain = admin;
  auto second = run(accounts_->listUsers(std::move(actorAgain), 2, 2));
  ASSERT_TRUE(second.ok());
  EXPECT_EQ(second->total, 3);
  ASSERT_EQ(second->items.size(), 1u);
  EXPECT_EQ(second->items[0].email, "nora@test.bookstore");
}

}  // namespace
}  // namespace bookstore::test

namespace bookstore::test {
namespace {

// ORIGINAL_COMPATIBLE: the same repositories behind an AccountService that
// writes Werkzeug hashes, as app/application.cc builds it in that mode.
class ServiceOriginalCompatible : public ServiceTest {
 protected:
  services::AccountService compatible_{users_, auth_, domain::HashFormat::kWerkzeugPbkdf2};

  services::Outcome<db::User> login(const std::string& email, const std::string& password) {
    std::string e = email, p = password, address = "198.51.100.9";
    return run(compatible_.login(std::move(e), std::move(p), std::move(address)));
  }
  std::string storedHash(const std::string& email) {
    std::string e = email;
    auto user = run(users_.findByEmail(std::move(e)));
    return user ? user->passwordHash : std::string();
  }
};

TEST_F(ServiceOriginalCompatible, RegistrationWritesWerkzeugPbkdf2) {
  domain::UserInput input{"Ana", "ana@compat.example", "una-clave-larga"};
  auto user = run(compatible_.registerUser(std::move(input), "198.51.100.10"));
  ASSERT_TRUE(user);
  EXPECT_EQ(storedHash("ana@compat.example").rfind("pbkdf2:sha256:600000$", 0), 0u);
  EXPECT_TRUE(login("ana@compat.example", "una-clave-larga"));
  EXPECT_EQ(login("ana@compat.example", "otra-clave").problem(), Problem::kWrongCredentials);
}

TEST_F(ServiceOriginalCompatible, LegacyHashKeptArgon2Rewritten) {
  std::string name = "Legacy", email = "legacy@compat.example", hash = kLegacyHash;
  ASSERT_TRUE(run(users_.create(std::move(name), std::move(email), std::move(hash))));
  ASSERT_TRUE(login("legacy@compat.example", kLegacyPassword));
  EXPECT_EQ(storedHash("legacy@compat.example"), kLegacyHash);  // left as the original wrote it

  // A user whose hash became Argon2id before the mode was turned on.
  std::string argonName = "Argon", argonEmail = "argon@compat.example";
  std::string argonHash = domain::hashPassword("clave-argon-1");
  ASSERT_TRUE(
      run(users_.create(std::move(argonName), std::move(argonEmail), std::move(argonHash))));
  ASSERT_TRUE(login("argon@compat.example", "clave-argon-1"));
  const auto rewritten = storedHash("argon@compat.example");
  EXPECT_EQ(rewritten.rfind("pbkdf2:sha256:600000$", 0), 0u) << rewritten;
  EXPECT_EQ(domain::verifyPassword("clave-argon-1", rewritten, domain::HashFormat::kWerkzeugPbkdf2),
            domain::PasswordCheck::kMatch);

  // The mode turned off: the next login re-hashes to Argon2id, as always.
  std::string e = "legacy@compat.example", p = kLegacyPassword, address = "198.51.100.9";
  ASSERT_TRUE(run(accounts_->login(std::move(e), std::move(p), std::move(address))));
  EXPECT_EQ(storedHash("legacy@compat.example").rfind("$argon2id$", 0), 0u);
}

TEST_F(ServiceOriginalCompatible, ArchivedBookAlsoSoldOut) {
  services::BookService books{books_, covers_, config_.maxUploadBytes, true};
  const auto seller = makeUser("vendedora");
  const auto buyer = makeUser("compradora");
  const auto book = publish(seller, "Vendido una vez", 4);
  ASSERT_TRUE(run(purchaseService_->buy(buyer.id, book.id, 1)));
  auto removed = run(books.remove(seller.id, book.id));
  ASSERT_TRUE(removed);
  EXPECT_EQ(*removed, services::BookService::Removal::kArchived);
  auto stored = run(books_.find(book.id));
  ASSERT_TRUE(stored);
  EXPECT_TRUE(stored->archived);
  // The original knows no archived flag: with no stock it cannot sell it.
  EXPECT_EQ(stored->stock, 0);
}

}  // namespace
}  // namespace bookstore::test

namespace bookstore::test {
namespace {

using services::AccountService;

// Sessions, tokens and throttle rows with short lifetimes, against a real
// SQLite file: they stop working when they expire and are deleted in batches.
class ServiceAccountLimits : public ServiceTest {
 protected:
  AccountService limited(AccountService::Limits limits) {
    return AccountService(users_, auth_, domain::HashFormat::kArgon2id, limits);
  }
  int64_t count(const std::string& table) {
    return admin_->execSqlSync("SELECT COUNT(*) FROM " + table)[0][0].as<int64_t>();
  }
  static int64_t now() { return static_cast<int64_t>(std::time(nullptr)); }
};

TEST_F(ServiceAccountLimits, SessionsEndAtTheirMaximumAgeEvenWhileUsed) {
  auto accounts = limited({.sessionIdleSeconds = 3600, .sessionMaxAgeSeconds = 100});
  auto user = makeUser("olga");
  std::string none;
  const auto idHash = domain::sha256Hex(run(accounts.startSession(user.id, std::move(none))));
  std::string lookup = idHash;
  EXPECT_TRUE(run(accounts.sessionUser(std::move(lookup))).has_value());
  // Used a moment ago, but begun longer ago than the maximum age.
  admin_->execSqlSync("UPDATE web_session SET created_at = ?, last_seen_at = ? WHERE id_hash = ?",
                      now() - 101, now(), idHash);
  std::string again = idHash;
  EXPECT_FALSE(run(accounts.sessionUser(std::move(again))).has_value());
  EXPECT_EQ(count("web_session"), 0);
}

TEST_F(ServiceAccountLimits, TokensExpireAfterTheirLifetime) {
  auto accounts = limited({.tokenTtlSeconds = 100});
  auto user = makeUser("pablo");
  const auto issued = run(accounts.issueToken(user.id));
  EXPECT_NEAR(issued.expiresAt, now() + 100, 5);
  std::string asked = issued.token;
  EXPECT_TRUE(run(accounts.tokenUser(std::move(asked))).has_value());
  admin_->execSqlSync("UPDATE api_token SET created_at = ?", now() - 101);
  std::string late = issued.token;
  EXPECT_FALSE(run(accounts.tokenUser(std::move(late))).has_value());
  EXPECT_EQ(count("api_token"), 0);
}

TEST_F(ServiceAccountLimits, ExpiredRowsAreDeletedInBatchesAndLiveOnesKept) {
  auto accounts =
      limited({.sessionIdleSeconds = 100, .sessionMaxAgeSeconds = 1000, .tokenTtlSeconds = 100});
  auto user = makeUser("quima");
  const auto old = now() - 5000;
  // More than two batches of expired tokens, sessions idle and too old, and
  // throttle rows whose window closed, beside live ones of each.
  admin_->execSqlSync("BEGIN");
  for (int i = 0; i < 1200; ++i) {
    admin_->execSqlSync(
        "INSERT INTO api_token (token_hash, user_id, created_at, last_used_at) "
        "VALUES (?, ?, ?, ?)",
        "expired-token-" + std::to_string(i), user.id, old, old);
  }
  for (int i = 0; i < 30; ++i) {
    admin_->execSqlSync(
        "INSERT INTO web_session (id_hash, user_id, created_at, last_seen_at) "
        "VALUES (?, ?, ?, ?)",
        "idle-" + std::to_string(i), user.id, now() - 200, now() - 150);
    admin_->execSqlSync(
        "INSERT INTO web_session (id_hash, user_id, created_at, last_seen_at) "
        "VALUES (?, ?, ?, ?)",
        "too-old-" + std::to_string(i), user.id, now() - 2000, now());
    admin_->execSqlSync(
        "INSERT INTO login_throttle (throttle_key, failures, window_start) VALUES (?, 3, ?)",
        "address:closed-" + std::to_string(i), old);
  }
  admin_->execSqlSync("COMMIT");
  std::string none;
  run(accounts.startSession(user.id, std::move(none)));
  run(accounts.issueToken(user.id));
  std::string key = "address:open";
  run(auth_.countAttempt(std::move(key), AccountService::kThrottleWindowSeconds));

  EXPECT_EQ(run(accounts.deleteExpired()), 1200 + 30 + 30 + 30);
  EXPECT_EQ(count("api_token"), 1);
  EXPECT_EQ(count("web_session"), 1);
  EXPECT_EQ(count("login_throttle"), 1);
  EXPECT_EQ(run(accounts.deleteExpired()), 0);
}

TEST_F(ServiceAccountLimits, RegistrationsPerAddressAreLimited) {
  auto accounts = limited({.registrationsPerAddressPerHour = 3});
  auto registerFrom = [&](int i, const std::string& address) {
    domain::UserInput input{"Rita " + std::to_string(i),
                            "rita" + std::to_string(i) + "@example.com", "una clave larga"};
    return run(accounts.registerUser(std::move(input), std::string(address)));
  };
  for (int i = 0; i < 3; ++i) EXPECT_TRUE(registerFrom(i, "192.0.2.1").ok());
  auto refused = registerFrom(3, "192.0.2.1");
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.problem(), services::Problem::kTooManyRegistrations);
  EXPECT_EQ(refused.error().retryAfterSeconds, AccountService::kRegistrationWindowSeconds);
  // No account was made for it; another address still registers.
  std::string email = "rita3@example.com";
  EXPECT_FALSE(run(users_.findByEmail(std::move(email))).has_value());
  EXPECT_TRUE(registerFrom(4, "192.0.2.2").ok());
}

TEST_F(ServiceAccountLimits, SaturatedHashingAnswersBusyAtOnceAndCountsNoAttempt) {
  auto accounts = limited({.passwordHashQueue = 1});
  auto user = makeUser("sara");
  // Many logins at once on one hashing place: those that find it taken are
  // refused as busy, not queued, and their attempts are forgiven.
  int busy = 0, wrong = 0;
  std::vector<std::future<services::Outcome<db::User>>> results;
  for (int i = 0; i < 8; ++i) {
    results.push_back(std::async(std::launch::async, [&, i] {
      return run(accounts.login(std::string(user.email), "clave equivocada " + std::to_string(i),
                                "203.0.113." + std::to_string(i)));
    }));
  }
  for (auto& result : results) {
    auto outcome = result.get();
    ASSERT_FALSE(outcome.ok());
    if (outcome.problem() == services::Problem::kBusy) {
      ++busy;
      EXPECT_EQ(outcome.error().retryAfterSeconds, 1);
    } else {
      EXPECT_EQ(outcome.problem(), services::Problem::kWrongCredentials);
      ++wrong;
    }
  }
  EXPECT_GE(wrong, 1);
  EXPECT_GE(busy, 1);  // eight Argon2id checks cannot all run one after another in time
  EXPECT_EQ(busy + wrong, 8);
  // Only checked passwords count against the account-and-address pairs.
  EXPECT_EQ(admin_
                ->execSqlSync("SELECT COALESCE(SUM(failures), 0) FROM login_throttle WHERE "
                              "throttle_key LIKE 'account-address:%'")[0][0]
                .as<int64_t>(),
            wrong);
}

}  // namespace
}  // namespace bookstore::test
