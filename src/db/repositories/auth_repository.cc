#include "db/repositories/auth_repository.h"

#include "db/errors.h"
#include "db/row_reading.h"

namespace bookstore::db {
namespace sql {
constexpr auto kInsertSession =
    "INSERT INTO web_session (id_hash, user_id, created_at, last_seen_at) VALUES (?, ?, ?, ?)";
constexpr auto kSessionUser =
    "SELECT u.id, u.name, u.email, u.password, u.is_admin, s.last_seen_at, s.created_at "
    "FROM web_session s JOIN `user` u ON u.id = s.user_id WHERE s.id_hash = ?";
constexpr auto kTouchSession = "UPDATE web_session SET last_seen_at = ? WHERE id_hash = ?";
constexpr auto kDeleteSession = "DELETE FROM web_session WHERE id_hash = ?";
constexpr auto kInsertToken =
    "INSERT INTO api_token (token_hash, user_id, created_at, last_used_at) VALUES (?, ?, ?, ?)";
constexpr auto kTokenUser =
    "SELECT u.id, u.name, u.email, u.password, u.is_admin, t.created_at FROM api_token t "
    "JOIN `user` u ON u.id = t.user_id WHERE t.token_hash = ?";
constexpr auto kDeleteToken = "DELETE FROM api_token WHERE token_hash = ?";
constexpr auto kThrottleRow = "SELECT failures FROM login_throttle WHERE throttle_key = ?";
constexpr auto kThrottleInsert =
    "INSERT INTO login_throttle (throttle_key, failures, window_start) VALUES (?, 1, ?)";
constexpr auto kThrottleIncrement =
    "UPDATE login_throttle SET failures = failures + 1 WHERE throttle_key = ? AND window_start >= "
    "?";
constexpr auto kThrottleRestart =
    "UPDATE login_throttle SET failures = 1, window_start = ? WHERE throttle_key = ? AND "
    "window_start < ?";
constexpr auto kThrottleForgive =
    "UPDATE login_throttle SET failures = failures - 1 WHERE throttle_key = ? AND failures > 0";
constexpr auto kThrottleClear = "DELETE FROM login_throttle WHERE throttle_key = ?";
// One batch of expired rows each (parameters: cut-offs, then the batch size).
// The derived table is how both MySQL (no LIMIT in an IN subquery) and SQLite
// (no DELETE ... LIMIT in Debian's build) take a bounded batch; each reads an
// index on the cut-off column (migration 0006).
constexpr auto kDeleteIdleSessions =
    "DELETE FROM web_session WHERE id_hash IN (SELECT id_hash FROM (SELECT id_hash FROM "
    "web_session WHERE last_seen_at < ? LIMIT ?) AS expired)";
constexpr auto kDeleteOldSessions =
    "DELETE FROM web_session WHERE id_hash IN (SELECT id_hash FROM (SELECT id_hash FROM "
    "web_session WHERE created_at < ? LIMIT ?) AS expired)";
constexpr auto kDeleteExpiredTokens =
    "DELETE FROM api_token WHERE token_hash IN (SELECT token_hash FROM (SELECT token_hash FROM "
    "api_token WHERE created_at < ? LIMIT ?) AS expired)";
constexpr auto kDeleteExpiredThrottles =
    "DELETE FROM login_throttle WHERE throttle_key IN (SELECT throttle_key FROM (SELECT "
    "throttle_key FROM login_throttle WHERE window_start < ? LIMIT ?) AS expired)";
}  // namespace sql

namespace {
constexpr int64_t kTouchEverySeconds = 60;
constexpr int64_t kExpiryBatchRows = 500;
constexpr int kMaxExpiryBatches = 10;

User userFrom(const drogon::orm::Row& row) {
  return User{intOf(row[0]), textOf(row[1]), textOf(row[2]), textOf(row[3]), boolOf(row[4])};
}
}  // namespace

drogon::Task<void> AuthRepository::createSession(std::string idHash, int64_t userId) const {
  const auto now = unixNow();
  co_await db_->writer()->execSqlCoro(sql::kInsertSession, idHash, userId, now, now);
}

drogon::Task<std::optional<User>> AuthRepository::sessionUser(std::string idHash,
                                                              int64_t idleSeconds,
                                                              int64_t maxAgeSeconds) const {
  auto rows = co_await db_->reader()->execSqlCoro(sql::kSessionUser, idHash);
  if (rows.empty()) co_return std::nullopt;
  const auto now = unixNow();
  const auto lastSeen = intOf(rows[0][5]);
  const auto createdAt = intOf(rows[0][6]);
  if (now - lastSeen > idleSeconds || now - createdAt > maxAgeSeconds) {
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

drogon::Task<int64_t> AuthRepository::createToken(std::string tokenHash, int64_t userId) const {
  const auto now = unixNow();
  co_await db_->writer()->execSqlCoro(sql::kInsertToken, tokenHash, userId, now, now);
  co_return now;
}

drogon::Task<std::optional<User>> AuthRepository::tokenUser(std::string tokenHash,
                                                            int64_t ttlSeconds) const {
  auto rows = co_await db_->reader()->execSqlCoro(sql::kTokenUser, tokenHash);
  if (rows.empty()) co_return std::nullopt;
  if (unixNow() - intOf(rows[0][5]) > ttlSeconds) {
    co_await db_->writer()->execSqlCoro(sql::kDeleteToken, tokenHash);
    co_return std::nullopt;
  }
  co_return userFrom(rows[0]);
}

drogon::Task<int64_t> AuthRepository::deleteExpired(int64_t sessionIdleSeconds,
                                                    int64_t sessionMaxAgeSeconds,
                                                    int64_t tokenTtlSeconds,
                                                    int64_t throttleWindowSeconds) const {
  const auto now = unixNow();
  const auto writer = db_->writer();
  int64_t deleted = 0;
  // Small batches, a bounded number per call: each holds its locks briefly,
  // and a backlog is worked off over the next sweeps.
  const std::pair<const char*, int64_t> kinds[] = {
      {sql::kDeleteIdleSessions, now - sessionIdleSeconds},
      {sql::kDeleteOldSessions, now - sessionMaxAgeSeconds},
      {sql::kDeleteExpiredTokens, now - tokenTtlSeconds},
      {sql::kDeleteExpiredThrottles, now - throttleWindowSeconds},
  };
  for (const auto& [statement, cutoff] : kinds) {
    for (int batch = 0; batch < kMaxExpiryBatches; ++batch) {
      auto result = co_await writer->execSqlCoro(statement, cutoff, kExpiryBatchRows);
      deleted += static_cast<int64_t>(result.affectedRows());
      if (result.affectedRows() < static_cast<size_t>(kExpiryBatchRows)) break;
    }
  }
  co_return deleted;
}

drogon::Task<bool> AuthRepository::deleteToken(std::string tokenHash) const {
  auto result = co_await db_->writer()->execSqlCoro(sql::kDeleteToken, tokenHash);
  co_return result.affectedRows() > 0;
}

drogon::Task<int64_t> AuthRepository::countAttempt(std::string key, int64_t windowSeconds) const {
  const auto now = unixNow();
  const auto windowOpen = now - windowSeconds;
  const auto writer = db_->writer();
  // One atomic step counts the attempt: an increment within the window, else
  // a restart of an expired window (conditional, so only one of two racing
  // restarts wins), else the first row (a racing insert elsewhere: count on
  // its row).
  auto bumped = co_await writer->execSqlCoro(sql::kThrottleIncrement, key, windowOpen);
  if (bumped.affectedRows() == 0) {
    auto restarted = co_await writer->execSqlCoro(sql::kThrottleRestart, now, key, windowOpen);
    if (restarted.affectedRows() == 0) {
      bool insertedElsewhere = false;
      try {
        co_await writer->execSqlCoro(sql::kThrottleInsert, key, now);
      } catch (const drogon::orm::DrogonDbException& e) {
        if (!isUniqueViolation(e)) throw;
        insertedElsewhere = true;
      }
      if (insertedElsewhere) co_await writer->execSqlCoro(sql::kThrottleIncrement, key, windowOpen);
    }
  }
  // Read after the increment, from the writer (never a lagging reader): it
  // includes this attempt and every one counted before it, so at most `limit`
  // concurrent attempts can read a count within `limit`.
  auto rows = co_await writer->execSqlCoro(sql::kThrottleRow, key);
  co_return rows.empty() ? 1 : intOf(rows[0][0]);
}

drogon::Task<void> AuthRepository::forgiveAttempt(std::string key) const {
  co_await db_->writer()->execSqlCoro(sql::kThrottleForgive, key);
}

drogon::Task<void> AuthRepository::clearFailures(std::string key) const {
  co_await db_->writer()->execSqlCoro(sql::kThrottleClear, key);
}

}  // namespace bookstore::db
