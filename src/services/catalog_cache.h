#pragma once

#include <drogon/utils/coroutine.h>
#include <trantor/net/EventLoop.h>

#include <atomic>
#include <chrono>
#include <coroutine>
#include <exception>
#include <functional>
#include <list>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "db/catalog_changes.h"
#include "db/models.h"
#include "db/repositories/book_repository.h"
#include "ops/blocking.h"

namespace bookstore::services {

// This replica's catalog cache (ARCHITECTURE.md, "The catalog"): what the
// catalog's pages and searches read from the database, kept in one store
// bounded in bytes (least recently used entries go first), and dropped only
// when the database's catalog change log says a change affects it.
//
// Every entry records the cache's generation when its data was read and what
// it depends on: a book's fields (per-book entries, rendered pages showing
// that book), and/or the listing (which books a page or search lists, their
// order, totals). Reading the change log bumps the generation per change and
// marks the changed book (and the listing, when the change can alter it) as
// changed at that generation; an entry read before is stale from then on and
// is dropped when next looked up. So a purchase (one book's stock) leaves
// every page's list of ids and every other book's entry in place.
//
// Freshness, as before:
//  - a write made through this replica (db::CatalogChanges) is visible to the
//    very next catalog answer (the answer waits for a poll of the log);
//  - another replica's write is visible here within kMaxAge (1 s): the log is
//    read at most every kPollAfter (0.5 s) while there is traffic, in the
//    background; a request waits only when the last read is older than
//    kMaxAge. Polls are single-flight: one query however many requests wait.
class CatalogCache : public std::enable_shared_from_this<CatalogCache> {
 public:
  using Clock = std::chrono::steady_clock;
  static constexpr std::chrono::milliseconds kMaxAge{1000};
  static constexpr std::chrono::milliseconds kPollAfter{500};
  // A change-log id missing below committed ones is waited for this long
  // (see apply() in catalog_cache.cc), then given up.
  static constexpr std::chrono::milliseconds kGapPatience{5000};
  // A replica that has not read the log for this long may have missed rows
  // pruned meanwhile (kChangeRetentionSeconds): it drops everything.
  static constexpr std::chrono::seconds kIdleResync{300};
  // Rows of the change log kept, so a replica idle for less than kIdleResync
  // misses none; the sweep prunes older ones.
  static constexpr int64_t kChangeRetentionSeconds = 600;
  static constexpr int64_t kPollBatch = 1000;
  // Per-book change marks kept at most: past this, everything is dropped
  // and they start again (bounds memory under a huge stream of changes).
  static constexpr size_t kMaxChangeMarks = 100'000;

  // Writers that do not log their changes: the original application, which
  // shares the database during a cut-over (ORIGINAL_COMPATIBLE). Their
  // writes reach this cache only by age, so with kForeignWriters an entry is
  // kept for kMaxAge at most: their changes show within a second, as ours
  // do, and the database's work follows the pages read (one re-read per
  // page and second), not the catalog's size. kOnlyLogged: entries live
  // until a logged change or eviction drops them.
  enum class Writers { kOnlyLogged, kForeignWriters };

  CatalogCache(const db::BookRepository& books, std::shared_ptr<db::CatalogChanges> changes,
               size_t maxBytes, Writers writers = Writers::kOnlyLogged)
      : books_(books), changes_(std::move(changes)), maxBytes_(maxBytes), writers_(writers) {}

  class Awaiter;
  // Waits until this replica knows of every catalog change it must show
  // (its own writes; others' older than kMaxAge). Use as
  // `auto wait = cache.current(); co_await wait;` (ARCHITECTURE.md, "GCC 12").
  // Resumes on the caller's event loop; throws the database's error when a
  // needed poll fails.
  Awaiter current();
  // Waits for a poll of the change log that starts after this call: every
  // change committed before it is then applied. For a read that must be
  // checked against the log (listingChangedAfter) once it is done.
  Awaiter caughtUp();

  // Read before reading the database for an entry: the entry's generation.
  uint64_t generation() const;
  // Whether a change to the listing was applied after `generation`.
  bool listingChangedAfter(uint64_t generation) const;

  // What an entry depends on.
  struct Depends {
    bool listing = false;
    std::vector<int64_t> books;
  };

  // The value under `key` while still valid, else nullptr (a stale one is
  // dropped). Keys name their kind ("book:", "ids:", "html:", "json:"), so
  // each key always holds one type.
  // kAnswer: a lookup of a whole answer (a rendered page, a book), counted
  // in Stats' hits and misses; every lookup counts in the entry figures.
  enum class Count { kEntry, kAnswer };
  template <typename T>
  std::shared_ptr<const T> find(const std::string& key, Count count = Count::kEntry) {
    return std::static_pointer_cast<const T>(findErased(key, count));
  }
  // Stores `value` (about `bytes` of memory) read at `generation`, evicting
  // the least recently used entries past the byte bound. A value larger
  // than the whole bound is not kept.
  template <typename T>
  void store(const std::string& key, std::shared_ptr<const T> value, size_t bytes,
             uint64_t generation, Depends depends) {
    storeErased(key, std::move(value), bytes, generation, std::move(depends));
  }

  // For /metrics.
  struct Stats {
    uint64_t hits = 0;       // answers found (Count::kAnswer)
    uint64_t misses = 0;     // answers not found, or stale
    uint64_t entryHits = 0;  // every lookup
    uint64_t entryMisses = 0;
    uint64_t evictions = 0;
    uint64_t polls = 0;    // reads of the change log
    uint64_t changes = 0;  // change-log rows applied
    size_t bytes = 0;
    size_t entries = 0;
    size_t maxBytes = 0;
    // Times everything was dropped: a change-log gap given up, an idle
    // replica's resync, too many change marks.
    uint64_t dropsAll = 0;
    // Change-log rows applied above a gap (each poll reads them again), and
    // the id below which every row is applied or given up.
    size_t aboveGap = 0;
    int64_t horizon = 0;
  };
  Stats stats() const;

 private:
  using Done = std::function<void(std::exception_ptr)>;
  struct Waiter {
    uint64_t neededVersion;
    Clock::time_point arrivedAt;
    Done done;
    bool pollAfterArrival = false;  // caughtUp(): only a poll started after it
  };
  struct Entry {
    std::shared_ptr<const void> value;
    size_t bytes = 0;
    uint64_t generation = 0;
    Depends depends;
    std::list<std::string>::iterator recent;
    Clock::time_point storedAt{};
  };

  bool fresh();
  void wait(Done done, bool pollAfterArrival);
  // Marks a poll as running; the caller starts it once the lock is released.
  void beginPollLocked(Clock::time_point now);
  void finishPoll(std::exception_ptr error);
  static drogon::AsyncTask poll(std::shared_ptr<CatalogCache> self);
  // Applies rows of the change log read at `now`; answers the id to read after next.
  int64_t apply(const std::vector<db::CatalogChange>& rows, Clock::time_point now);
  void dropEverythingLocked();

  std::shared_ptr<const void> findErased(const std::string& key, Count count);
  void storeErased(const std::string& key, std::shared_ptr<const void> value, size_t bytes,
                   uint64_t generation, Depends depends);
  bool validLocked(const Entry& entry, Clock::time_point now) const;
  void eraseLocked(std::unordered_map<std::string, Entry>::iterator it);

  const db::BookRepository& books_;
  std::shared_ptr<db::CatalogChanges> changes_;
  const size_t maxBytes_;
  const Writers writers_;

  // Poll state (mutex_).
  std::mutex mutex_;
  Clock::time_point polledAt_{};  // when the last successful poll started
  bool polledOnce_ = false;
  uint64_t polledVersion_ = 0;
  bool polling_ = false;
  Clock::time_point pollStartedAt_{};
  uint64_t pollVersion_ = 0;
  std::vector<Waiter> waiters_;

  // Change-log position (only the one running poll touches it).
  bool anchored_ = false;
  int64_t horizon_ = 0;  // every id up to this one is applied or given up
  std::map<int64_t, Clock::time_point> seenAbove_;  // applied ids above horizon_ -> first seen

  // The store (storeMutex_).
  mutable std::mutex storeMutex_;
  uint64_t generation_ = 1;
  uint64_t floor_ = 0;  // entries read before this generation are stale
  uint64_t listingChangedAt_ = 0;
  std::unordered_map<int64_t, uint64_t> bookChangedAt_;
  std::unordered_map<std::string, Entry> entries_;
  std::list<std::string> recent_;  // most recently used first
  size_t bytes_ = 0;
  uint64_t hits_ = 0, misses_ = 0, entryHits_ = 0, entryMisses_ = 0;
  uint64_t evictions_ = 0, polls_ = 0, applied_ = 0, dropsAll_ = 0;
};

class CatalogCache::Awaiter {
 public:
  Awaiter(CatalogCache& cache, bool pollAfterArrival)
      : cache_(cache), pollAfterArrival_(pollAfterArrival) {}
  bool await_ready() { return !pollAfterArrival_ && cache_.fresh(); }
  void await_suspend(std::coroutine_handle<> handle) {
    auto* loop = trantor::EventLoop::getEventLoopOfCurrentThread();
    cache_.wait(
        [this, handle, loop](std::exception_ptr error) {
          error_ = std::move(error);
          ops::resumeOn(loop, handle);
        },
        pollAfterArrival_);
  }
  void await_resume() {
    if (error_) std::rethrow_exception(error_);
  }

 private:
  CatalogCache& cache_;
  bool pollAfterArrival_;
  std::exception_ptr error_;
};

inline CatalogCache::Awaiter CatalogCache::current() {
  return Awaiter(*this, false);
}

inline CatalogCache::Awaiter CatalogCache::caughtUp() {
  return Awaiter(*this, true);
}

}  // namespace bookstore::services
