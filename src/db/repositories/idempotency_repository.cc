#include "db/repositories/idempotency_repository.h"

#include "db/errors.h"
#include "db/row_reading.h"

namespace bookstore::db {
namespace sql {
constexpr auto kInsertKey =
    "INSERT INTO idempotency_key (user_id, idem_key, request_hash, state, claim, locked_at, "
    "created_at) VALUES (?, ?, ?, 'in_flight', ?, ?, ?)";
constexpr auto kFindKey =
    "SELECT request_hash, state, locked_at, response_status, response_location, response_body "
    "FROM idempotency_key WHERE user_id = ? AND idem_key = ?";
// Conditional on the age of the hold: of two retries taking over at once,
// one changes the row.
constexpr auto kTakeOverKey =
    "UPDATE idempotency_key SET claim = ?, locked_at = ? WHERE user_id = ? AND idem_key = ? "
    "AND state = 'in_flight' AND locked_at <= ?";
// Only the current holder stores an answer, once.
constexpr auto kFinishKey =
    "UPDATE idempotency_key SET state = 'done', response_status = ?, response_location = ?, "
    "response_body = ? WHERE user_id = ? AND idem_key = ? AND claim = ? AND state = 'in_flight'";
constexpr auto kReleaseKey =
    "DELETE FROM idempotency_key WHERE user_id = ? AND idem_key = ? AND claim = ? AND state = "
    "'in_flight'";
// The batch's last row in (created_at, id) order, through the index of that
// order; the delete then takes exactly the rows up to it.
constexpr auto kOldKeysBatchEnd =
    "SELECT created_at, id FROM idempotency_key WHERE created_at < ? ORDER BY created_at, id "
    "LIMIT 1 OFFSET ?";
constexpr auto kDeleteOldKeysUpTo =
    "DELETE FROM idempotency_key WHERE created_at < ? OR (created_at = ? AND id <= ?)";
// Used when fewer than a batch are old: they are all of them.
constexpr auto kDeleteOldKeys = "DELETE FROM idempotency_key WHERE created_at < ?";
}  // namespace sql

namespace {
constexpr auto kDone = "done";
}  // namespace

drogon::Task<bool> IdempotencyRepository::insert(KeyClaim claim, std::string requestHash,
                                                 int64_t now) const {
  bool exists = false;
  try {
    co_await db_->writer()->execSqlCoro(sql::kInsertKey, claim.userId, claim.key, requestHash,
                                        claim.claim, now, now);
  } catch (const drogon::orm::DrogonDbException& e) {
    if (!isUniqueViolation(e)) throw;
    exists = true;
  }
  co_return !exists;
}

drogon::Task<std::optional<KeyRow>> IdempotencyRepository::find(int64_t userId,
                                                                std::string key) const {
  auto rows = co_await db_->writer()->execSqlCoro(sql::kFindKey, userId, key);
  if (rows.empty()) co_return std::nullopt;
  const auto& row = rows[0];
  KeyRow out;
  out.requestHash = textOf(row[0]);
  out.done = textOf(row[1]) == kDone;
  out.lockedAt = intOf(row[2]);
  out.answer = StoredAnswer{intOf(row[3]), textOf(row[4]), textOf(row[5])};
  co_return out;
}

drogon::Task<bool> IdempotencyRepository::takeOver(KeyClaim claim, int64_t now,
                                                   int64_t lockedAtOrBefore) const {
  auto changed = co_await db_->writer()->execSqlCoro(sql::kTakeOverKey, claim.claim, now,
                                                     claim.userId, claim.key, lockedAtOrBefore);
  co_return changed.affectedRows() > 0;
}

drogon::Task<bool> IdempotencyRepository::finish(KeyClaim claim, StoredAnswer answer) const {
  auto changed =
      co_await db_->writer()->execSqlCoro(sql::kFinishKey, answer.status, answer.location,
                                          answer.body, claim.userId, claim.key, claim.claim);
  co_return changed.affectedRows() > 0;
}

drogon::Task<bool> IdempotencyRepository::finishIn(std::shared_ptr<drogon::orm::Transaction> trans,
                                                   KeyClaim claim, StoredAnswer answer) const {
  auto changed = co_await trans->execSqlCoro(sql::kFinishKey, answer.status, answer.location,
                                             answer.body, claim.userId, claim.key, claim.claim);
  co_return changed.affectedRows() > 0;
}

drogon::Task<void> IdempotencyRepository::release(KeyClaim claim) const {
  co_await db_->writer()->execSqlCoro(sql::kReleaseKey, claim.userId, claim.key, claim.claim);
}

drogon::Task<int64_t> IdempotencyRepository::deleteCreatedBefore(int64_t cutoff,
                                                                 int64_t limit) const {
  const auto writer = db_->writer();
  auto end = co_await writer->execSqlCoro(sql::kOldKeysBatchEnd, cutoff, limit - 1);
  if (end.empty()) {
    auto deleted = co_await writer->execSqlCoro(sql::kDeleteOldKeys, cutoff);
    co_return static_cast<int64_t>(deleted.affectedRows());
  }
  const int64_t lastCreated = intOf(end[0][0]);
  const int64_t lastId = intOf(end[0][1]);
  auto deleted =
      co_await writer->execSqlCoro(sql::kDeleteOldKeysUpTo, lastCreated, lastCreated, lastId);
  co_return static_cast<int64_t>(deleted.affectedRows());
}

}  // namespace bookstore::db
