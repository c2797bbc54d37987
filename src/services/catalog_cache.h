#pragma once

#include <drogon/utils/coroutine.h>
#include <trantor/net/EventLoop.h>

#include <atomic>
#include <chrono>
#include <coroutine>
#include <exception>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "db/catalog_changes.h"
#include "db/models.h"
#include "db/repositories/book_repository.h"
#include "ops/blocking.h"

namespace bookstore::services {

// Every book on sale at one moment, newest first, with what the catalog's
// pages and search need: an immutable value shared by all I/O threads, so a
// catalog request costs no database query. Answers rendered from it are kept
// with it (`memo`) and die with it.
class CatalogSnapshot {
 public:
  explicit CatalogSnapshot(std::vector<db::Book> books);

  // Books matching `query` (title or author, see domain::foldForSearch; ""
  // matches all), newest first, page `page` of `perPage`.
  db::Page<db::Book> page(std::string_view query, int64_t page, int64_t perPage) const;
  // The book when it is on sale (in this snapshot), else nullptr.
  const db::Book* find(int64_t id) const;
  size_t size() const { return books_.size(); }
  bool sameBooks(const std::vector<db::Book>& books) const { return books_ == books; }

  // The value stored under `key`, built by `build()` on first use. Keys name
  // their kind ("html:…", "json:…"), so each key always holds one type.
  template <typename T, typename Build>
  std::shared_ptr<const T> memo(const std::string& key, Build&& build) const {
    if (auto found = memoFind(key)) return std::static_pointer_cast<const T>(found);
    std::shared_ptr<const T> made = std::make_shared<const T>(build());
    memoStore(key, made, sizeOf(*made));
    return made;
  }

 private:
  std::shared_ptr<const void> memoFind(const std::string& key) const;
  void memoStore(const std::string& key, std::shared_ptr<const void> value, size_t bytes) const;
  template <typename T>
  static size_t sizeOf(const T& value) {
    if constexpr (requires { value.size(); }) {
      return value.size();
    } else {
      return sizeof(T);
    }
  }

  std::vector<db::Book> books_;  // newest first (id descending)
  std::vector<std::string> foldedTitles_, foldedAuthors_;

  // Bounded: a crawler walking every page and search cannot grow it without limit.
  static constexpr size_t kMemoMaxBytes = 8 * 1024 * 1024;
  static constexpr size_t kMemoMaxEntries = 512;
  mutable std::mutex memoMutex_;
  mutable std::unordered_map<std::string, std::shared_ptr<const void>> memo_;
  mutable size_t memoBytes_ = 0;
};

using SnapshotPtr = std::shared_ptr<const CatalogSnapshot>;

// Keeps this replica's catalog snapshot fresh:
//  - a write made through this replica (db::CatalogChanges) is visible to the
//    very next catalog answer (the answer waits for a reload);
//  - another replica's write is visible here within kMaxAge (1 s): an older
//    snapshot is never served; under steady traffic it is reloaded in the
//    background from kRefreshAfter on, so requests rarely wait.
// Reloads are single-flight: one query however many requests wait for it.
class CatalogCache : public std::enable_shared_from_this<CatalogCache> {
 public:
  static constexpr std::chrono::milliseconds kMaxAge{1000};
  static constexpr std::chrono::milliseconds kRefreshAfter{500};

  CatalogCache(const db::BookRepository& books, std::shared_ptr<db::CatalogChanges> changes)
      : books_(books), changes_(std::move(changes)) {}

  class Awaiter;
  // Use as `auto wait = cache.snapshot(); auto snapshot = co_await wait;`
  // (ARCHITECTURE.md, "GCC 12").
  // Resumes on the caller's event loop; throws the database's error when a
  // needed reload fails.
  Awaiter snapshot();

  // Requests answered from a fresh snapshot, and requests that waited for a
  // reload (for /metrics).
  struct Stats {
    uint64_t hits = 0;
    uint64_t misses = 0;
  };
  Stats stats() const {
    return {hits_.load(std::memory_order_relaxed), misses_.load(std::memory_order_relaxed)};
  }

 private:
  using Clock = std::chrono::steady_clock;
  using Done = std::function<void(SnapshotPtr, std::exception_ptr)>;
  struct Waiter {
    uint64_t neededVersion;
    Clock::time_point arrivedAt;
    Done done;
  };

  SnapshotPtr freshOrNull();
  void wait(Done done);
  // Marks a load as running; the caller starts it once the lock is released.
  void beginLoadLocked(Clock::time_point now);
  void finishLoad(std::vector<db::Book> books, std::exception_ptr error);
  static drogon::AsyncTask load(std::shared_ptr<CatalogCache> self);

  const db::BookRepository& books_;
  std::shared_ptr<db::CatalogChanges> changes_;

  std::mutex mutex_;
  SnapshotPtr snapshot_;
  Clock::time_point loadedAt_{};  // when the query of snapshot_ started
  uint64_t loadedVersion_ = 0;
  bool loading_ = false;
  Clock::time_point loadStartedAt_{};
  uint64_t loadVersion_ = 0;
  std::vector<Waiter> waiters_;
  std::atomic<uint64_t> hits_{0};
  std::atomic<uint64_t> misses_{0};
};

class CatalogCache::Awaiter {
 public:
  explicit Awaiter(CatalogCache& cache) : cache_(cache) {}
  bool await_ready() {
    result_ = cache_.freshOrNull();
    (result_ ? cache_.hits_ : cache_.misses_).fetch_add(1, std::memory_order_relaxed);
    return result_ != nullptr;
  }
  void await_suspend(std::coroutine_handle<> handle) {
    auto* loop = trantor::EventLoop::getEventLoopOfCurrentThread();
    cache_.wait([this, handle, loop](SnapshotPtr snapshot, std::exception_ptr error) {
      result_ = std::move(snapshot);
      error_ = std::move(error);
      ops::resumeOn(loop, handle);
    });
  }
  SnapshotPtr await_resume() {
    if (error_) std::rethrow_exception(error_);
    return std::move(result_);
  }

 private:
  CatalogCache& cache_;
  SnapshotPtr result_;
  std::exception_ptr error_;
};

inline CatalogCache::Awaiter CatalogCache::snapshot() {
  return Awaiter(*this);
}

}  // namespace bookstore::services
