#include "db/repositories/auth_repository.h"

#include "db/errors.h"
#include "db/row_reading.h"

namespace bookstore::db {
namespace sql {
constexpr auto kInsertSession =
    "INSERT INTO web_session (id_hash, user_id, created_at, last_seen_at) VALUES (?, ?, ?, ?)";
constexpr auto kSessionUser =
    "SELECT u.id, u.name, u.email, u.password, u.is_admin, s.last_seen_at FROM web_session s "
    "JOIN `user` u ON u.id = s.user_id WHERE s.id_hash = ?";
constexpr auto kTouchSession = "UPDATE web_session SET last_seen_at = ? WHERE id_hash = ?";
constexpr auto kDeleteSession = "DELETE FROM web_session WHERE id_hash = ?";
constexpr auto kInsertToken =
    "INSERT INTO api_token (token_hash, user_id, created_at, last_used_at) VALUES (?, ?, ?, ?)";
constexpr auto kTokenUser =
    "SELECT u.id, u.name, u.email, u.password, u.is_admin FROM api_token t "
    "JOIN `user` u ON u.id = t.user_id WHERE t.token_hash = ?";
constexpr auto kDeleteToken = "DELETE FROM api_token WHERE token_hash = ?";
constexpr auto kThrottleRow =
    "SELECT failures, window_start FROM login_throttle WHERE throttle_key = ?";
constexpr auto kThrottleInsert =
    "INSERT INTO login_throttle (throttle_key, failures, window_start) VALUES (?, 1, ?)";
constexpr auto kThrottleIncrement =
    "UPDATE login_throttle SET failures = failures + 1 WHERE throttle_key = ? AND window_start >= "
    "?";
constexpr auto kThrottleRestart =
    "UPDATE login_throttle SET failures = 1, window_start = ? WHERE throttle_key = ?";
constexpr auto kThrottleClear = "DELETE FROM login_throttle WHERE throttle_key = ?";
}  // namespace sql

namespace {
constexpr int64_t kTouchEverySeconds = 60;

User userFrom(const drogon::orm::Row& row) {
  return User{intOf(row[0]), textOf(row[1]), textOf(row[2]), textOf(row[3]), boolOf(row[4])};
}
}  // namespace

drogon::Task<void> AuthRepository::createSession(std::string idHash, int64_t userId) const {
  const auto now = unixNow();
  co_await db_->writer()->execSqlCoro(sql::kInsertSession, idHash, userId, now, now);
}

drogon::Task<std::optional<User>> AuthRepository::sessionUser(std::string idHash,
                                                              int64_t idleSeconds) const {
  auto rows = co_await db_->reader()->execSqlCoro(sql::kSessionUser, idHash);
  if (rows.empty()) co_return std::nullopt;
  const auto now = unixNow();
  const auto lastSeen = intOf(rows[0][5]);
  if (now - lastSeen > idleSeconds) {
    co_await db_->writer()->execSqlCoro(sql::kDeleteSession, idHash);
    co_return std::nullopt;
  }
  if (now - lastSeen >= kTouchEverySeconds) {
    co_await db_->writer()->execSqlCoro(sql::kTouchSession, now, idHash);
  }
  co_return userFrom(rows[0]);
}

drogon::Task<void> AuthRepository::deleteSession(std::string idHash) const {
  co_await db_->writer()->execSqlCoro(sql::kDeleteSession, idHash);
}

drogon::Task<void> AuthRepository::createToken(std::string tokenHash, int64_t userId) const {
  const auto now = unixNow();
  co_await db_->writer()->execSqlCoro(sql::kInsertToken, tokenHash, userId, now, now);
}

drogon::Task<std::optional<User>> AuthRepository::tokenUser(std::string tokenHash) const {
  auto rows = co_await db_->reader()->execSqlCoro(sql::kTokenUser, tokenHash);
  if (rows.empty()) co_return std::nullopt;
  co_return userFrom(rows[0]);
}

drogon::Task<bool> AuthRepository::deleteToken(std::string tokenHash) const {
  auto result = co_await db_->writer()->execSqlCoro(sql::kDeleteToken, tokenHash);
  co_return result.affectedRows() > 0;
}

drogon::Task<int64_t> AuthRepository::recentFailures(std::string key, int64_t windowSeconds) const {
  auto rows = co_await db_->reader()->execSqlCoro(sql::kThrottleRow, key);
  if (rows.empty() || intOf(rows[0][1]) < unixNow() - windowSeconds) co_return 0;
  co_return intOf(rows[0][0]);
}

drogon::Task<void> AuthRepository::recordFailure(std::string key, int64_t windowSeconds) const {
  const auto now = unixNow();
  auto bumped =
      co_await db_->writer()->execSqlCoro(sql::kThrottleIncrement, key, now - windowSeconds);
  if (bumped.affectedRows() > 0) co_return;
  auto restarted = co_await db_->writer()->execSqlCoro(sql::kThrottleRestart, now, key);
  if (restarted.affectedRows() > 0) co_return;
  bool insertedElsewhere = false;
  try {
    co_await db_->writer()->execSqlCoro(sql::kThrottleInsert, key, now);
  } catch (const drogon::orm::DrogonDbException& e) {
    if (!isUniqueViolation(e)) throw;
    insertedElsewhere = true;
  }
  // Another replica inserted the row first: count this failure on it.
  if (insertedElsewhere) {
    co_await db_->writer()->execSqlCoro(sql::kThrottleIncrement, key, now - windowSeconds);
  }
}

drogon::Task<void> AuthRepository::clearFailures(std::string key) const {
  co_await db_->writer()->execSqlCoro(sql::kThrottleClear, key);
}

}  // namespace bookstore::db
