// IdempotencyService and the keyed purchase against the real repositories on
// SQLite (service_fixture.h): first / replay / reused / in flight, takeover
// of a dead holder's key, the purchase and its key's answer committed
// together, the buy form's one-time token, and the batched cleanup.
#include <string>

#include "db/row_reading.h"
#include "service_fixture.h"

namespace bookstore::test {
namespace {

using services::IdempotencyService;
using services::Problem;
using Found = services::IdempotencyService::Found;

class ServiceIdempotency : public ServiceTest {
 protected:
  void SetUp() override {
    seller_ = makeUser("vendedora");
    buyer_ = makeUser("comprador");
  }

  IdempotencyService::Start start(int64_t userId, const std::string& key, const std::string& hash) {
    std::string k = key;
    std::string h = hash;
    return run(idempotency_->start(userId, std::move(k), std::move(h)));
  }

  void finish(const db::KeyClaim& claim, int64_t status, const std::string& location,
              const std::string& body) {
    db::KeyClaim holder = claim;
    db::StoredAnswer answer{status, location, body};
    run(idempotency_->finish(std::move(holder), std::move(answer)));
  }
  void release(const db::KeyClaim& claim) {
    db::KeyClaim holder = claim;
    run(idempotency_->release(std::move(holder)));
  }
  services::Outcome<db::Purchase> buyOnce(int64_t bookId, int64_t quantity,
                                          const db::KeyClaim& claim) {
    db::KeyClaim holder = claim;
    auto answerFor = answerWithId();
    return run(purchaseService_->buyOnce(buyer_.id, bookId, quantity, std::move(holder),
                                         std::move(answerFor)));
  }
  services::Outcome<services::PurchaseService::FormPurchase> buyFromForm(int64_t bookId,
                                                                         int64_t quantity,
                                                                         const std::string& token) {
    std::string sent = token;
    return run(purchaseService_->buyFromForm(buyer_.id, bookId, quantity, std::move(sent)));
  }

  int64_t scalar(const std::string& sql) { return admin_->execSqlSync(sql)[0][0].as<int64_t>(); }
  int64_t stockOf(int64_t bookId) {
    auto book = run(books_.find(bookId));
    return book ? book->stock : -1;
  }
  services::PurchaseService::AnswerFor answerWithId() {
    return [](const db::Purchase& p) { return db::StoredAnswer{201, "/p", std::to_string(p.id)}; };
  }

  db::User seller_;
  db::User buyer_;
};

TEST_F(ServiceIdempotency, FirstThenReplayThenReusedThenInFlight) {
  auto first = start(buyer_.id, "k-1", "hash-a");
  ASSERT_EQ(first.found, Found::kFirst);
  // While it runs, a repeat is told to retry.
  auto meanwhile = start(buyer_.id, "k-1", "hash-a");
  EXPECT_EQ(meanwhile.found, Found::kInFlight);
  EXPECT_GE(meanwhile.retryAfterSeconds, 1);
  finish(first.claim, 201, "/x", "{\"id\":1}");
  auto again = start(buyer_.id, "k-1", "hash-a");
  ASSERT_EQ(again.found, Found::kReplay);
  EXPECT_EQ(again.answer.status, 201);
  EXPECT_EQ(again.answer.location, "/x");
  EXPECT_EQ(again.answer.body, "{\"id\":1}");
  EXPECT_EQ(start(buyer_.id, "k-1", "hash-b").found, Found::kReused);
  // Another user's same key is theirs alone; keys compare byte for byte.
  EXPECT_EQ(start(seller_.id, "k-1", "hash-b").found, Found::kFirst);
  EXPECT_EQ(start(buyer_.id, "K-1", "hash-a").found, Found::kFirst);
}

TEST_F(ServiceIdempotency, ReleasedKeyRunsAgainAndOnlyTheHolderStores) {
  auto first = start(buyer_.id, "k-2", "h");
  ASSERT_EQ(first.found, Found::kFirst);
  release(first.claim);
  auto second = start(buyer_.id, "k-2", "h");
  ASSERT_EQ(second.found, Found::kFirst);
  // The first holder's late answer is not stored over the second's hold.
  finish(first.claim, 500, "", "late");
  EXPECT_EQ(start(buyer_.id, "k-2", "h").found, Found::kInFlight);
  finish(second.claim, 200, "", "ok");
  EXPECT_EQ(start(buyer_.id, "k-2", "h").answer.body, "ok");
}

TEST_F(ServiceIdempotency, StaleInFlightKeyIsTakenOverOnce) {
  auto dead = start(buyer_.id, "k-3", "h");
  ASSERT_EQ(dead.found, Found::kFirst);
  admin_->execSqlSync("UPDATE idempotency_key SET locked_at = locked_at - ?",
                      IdempotencyService::kTakeOverAfterSeconds + 1);
  auto taker = start(buyer_.id, "k-3", "h");
  ASSERT_EQ(taker.found, Found::kFirst);
  EXPECT_NE(taker.claim.claim, dead.claim.claim);
  // The next repeat sees the new holder's fresh hold.
  EXPECT_EQ(start(buyer_.id, "k-3", "h").found, Found::kInFlight);
  // A different request is still refused, stale or not.
  admin_->execSqlSync("UPDATE idempotency_key SET locked_at = locked_at - 100");
  EXPECT_EQ(start(buyer_.id, "k-3", "other").found, Found::kReused);
}

TEST_F(ServiceIdempotency, KeyedPurchaseCommitsWithItsAnswer) {
  auto book = publish(seller_, "Con clave", 5);
  auto held = start(buyer_.id, "buy-1", "h");
  ASSERT_EQ(held.found, Found::kFirst);
  auto bought = buyOnce(book.id, 2, held.claim);
  ASSERT_TRUE(bought);
  auto replay = start(buyer_.id, "buy-1", "h");
  ASSERT_EQ(replay.found, Found::kReplay);
  EXPECT_EQ(replay.answer.body, std::to_string(bought->id));
  EXPECT_EQ(stockOf(book.id), 3);
  EXPECT_EQ(scalar("SELECT COUNT(*) FROM purchase"), 1);
}

TEST_F(ServiceIdempotency, PurchaseOfALostHoldIsRolledBack) {
  auto book = publish(seller_, "Retomada", 5);
  auto dead = start(buyer_.id, "buy-2", "h");
  admin_->execSqlSync("UPDATE idempotency_key SET locked_at = locked_at - 100");
  auto taker = start(buyer_.id, "buy-2", "h");
  ASSERT_EQ(taker.found, Found::kFirst);
  // The slow first holder cannot buy any more: nothing is taken.
  auto late = buyOnce(book.id, 2, dead.claim);
  ASSERT_FALSE(late);
  EXPECT_EQ(late.problem(), Problem::kRequestInFlight);
  EXPECT_EQ(stockOf(book.id), 5);
  EXPECT_EQ(scalar("SELECT COUNT(*) FROM purchase"), 0);
  auto bought = buyOnce(book.id, 2, taker.claim);
  ASSERT_TRUE(bought);
  EXPECT_EQ(stockOf(book.id), 3);
  EXPECT_EQ(scalar("SELECT COUNT(*) FROM purchase"), 1);
}

TEST_F(ServiceIdempotency, FormTokenBuysOnce) {
  auto book = publish(seller_, "Doble clic", 5);
  const std::string token = "0123456789abcdef0123456789abcdef";
  auto first = buyFromForm(book.id, 2, token);
  ASSERT_TRUE(first);
  EXPECT_FALSE(first->repeated);
  auto again = buyFromForm(book.id, 2, token);
  ASSERT_TRUE(again);
  EXPECT_TRUE(again->repeated);
  EXPECT_EQ(again->purchaseId, first->purchaseId);
  EXPECT_EQ(stockOf(book.id), 3);
  // The same render's token on another quantity is refused; on another book
  // (another buy form of the same page) it buys.
  auto other = buyFromForm(book.id, 1, token);
  ASSERT_FALSE(other);
  EXPECT_EQ(other.problem(), Problem::kIdempotencyKeyReused);
  auto second = publish(seller_, "Otro libro", 5);
  EXPECT_TRUE(buyFromForm(second.id, 2, token));
  // A malformed token is refused; a refused first submission keeps nothing.
  EXPECT_EQ(buyFromForm(book.id, 2, "bad token").problem(), Problem::kInvalidFields);
  const std::string fresh = "fedcba9876543210fedcba9876543210";
  EXPECT_EQ(buyFromForm(book.id, 9, fresh).problem(), Problem::kInsufficientStock);
  EXPECT_EQ(scalar("SELECT COUNT(*) FROM idempotency_key WHERE idem_key LIKE 'form:fedcba%'"), 0);
  EXPECT_EQ(scalar("SELECT COUNT(*) FROM purchase"), 2);
}

TEST_F(ServiceIdempotency, OldKeysAreDeletedInBatches) {
  const int64_t now = db::unixNow();
  const int64_t old = now - IdempotencyService::kKeepSeconds - 10;
  // 1,203 keys past the 24 hours (many in the same second), 3 fresh ones.
  admin_->execSqlSync("BEGIN");
  for (int i = 0; i < 1203; ++i) {
    admin_->execSqlSync(
        "INSERT INTO idempotency_key (user_id, idem_key, request_hash, state, claim, locked_at, "
        "created_at) VALUES (?, ?, 'h', 'done', 'c', ?, ?)",
        buyer_.id, "old-" + std::to_string(i), old + i % 3, old + i % 3);
  }
  admin_->execSqlSync("COMMIT");
  for (int i = 0; i < 3; ++i)
    ASSERT_EQ(start(buyer_.id, "new-" + std::to_string(i), "h").found, Found::kFirst);
  // One statement deletes at most a batch.
  EXPECT_EQ(run(keys_.deleteCreatedBefore(now - IdempotencyService::kKeepSeconds,
                                          IdempotencyService::kDeleteBatch)),
            IdempotencyService::kDeleteBatch);
  EXPECT_EQ(scalar("SELECT COUNT(*) FROM idempotency_key"), 1203 + 3 - 500);
  // The sweep deletes the rest, batch by batch, and nothing younger.
  EXPECT_EQ(run(idempotency_->deleteExpired()), 703);
  EXPECT_EQ(scalar("SELECT COUNT(*) FROM idempotency_key"), 3);
  EXPECT_EQ(run(idempotency_->deleteExpired()), 0);
}

}  // namespace
}  // namespace bookstore::test
