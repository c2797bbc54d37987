#pragma once

#include <drogon/orm/DbClient.h>
#include <trantor/net/EventLoop.h>

#include <atomic>
#include <coroutine>
#include <memory>

#include "db/errors.h"

namespace bookstore::db {

// Drogon commits a transaction when its last reference goes away, without
// waiting. Awaiting this commits it and resumes once the commit is done, so a
// read that follows sees the rows. Throws DatabaseUnavailable when the commit
// fails or never reports back (Drogon stays silent for a transaction it
// rolled back itself).
class CommitAwaiter {
 public:
  explicit CommitAwaiter(std::shared_ptr<drogon::orm::Transaction> trans)
      : trans_(std::move(trans)) {}

  bool await_ready() const noexcept { return false; }
  void await_suspend(std::coroutine_handle<> handle) {
    state_ = std::make_shared<State>();
    state_->handle = handle;
    trans_->setCommitCallback([state = state_](bool committed) { state->finish(committed); });
    if (auto* loop = trantor::EventLoop::getEventLoopOfCurrentThread()) {
      loop->runAfter(kCommitTimeoutSeconds, [state = state_] { state->finish(false); });
    }
    trans_.reset();
  }
  void await_resume() const {
    if (!state_->committed) throw DatabaseUnavailable();
  }

 private:
  static constexpr double kCommitTimeoutSeconds = 15.0;
  struct State {
    std::atomic<bool> done{false};
    bool committed = false;
    std::coroutine_handle<> handle;
    void finish(bool ok) {
      if (done.exchange(true)) return;
      committed = ok;
      handle.resume();
    }
  };
  std::shared_ptr<drogon::orm::Transaction> trans_;
  std::shared_ptr<State> state_;
};

// Declared right after the transaction it guards:
//   auto trans = co_await db->writer()->newTransactionCoro();
//   RollbackUnlessCommitted guard(trans);
// When the scope ends without `co_await commit(trans)` (which empties
// `trans`) — an exception, or an early co_return that refuses — the
// transaction is rolled back. Drogon would commit it when its last
// reference goes away, keeping half of it (stock taken, no purchase).
class RollbackUnlessCommitted {
 public:
  explicit RollbackUnlessCommitted(std::shared_ptr<drogon::orm::Transaction>& trans)
      : trans_(trans) {}
  ~RollbackUnlessCommitted() {
    if (trans_) trans_->rollback();
  }
  RollbackUnlessCommitted(const RollbackUnlessCommitted&) = delete;
  RollbackUnlessCommitted& operator=(const RollbackUnlessCommitted&) = delete;

 private:
  std::shared_ptr<drogon::orm::Transaction>& trans_;
};

// Usage: `co_await commit(trans);` after the transaction's last statement.
inline CommitAwaiter commit(std::shared_ptr<drogon::orm::Transaction>& trans) {
  return CommitAwaiter(std::move(trans));
}

}  // namespace bookstore::db
