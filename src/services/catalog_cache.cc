#include "services/catalog_cache.h"

#include <algorithm>

namespace bookstore::services {

namespace {
// What an entry costs beyond its value: the key (in the map and the recency
// list), the map and list nodes, the dependency list.
size_t overheadOf(const std::string& key, const CatalogCache::Depends& depends) {
  return 2 * key.size() + 160 + depends.books.size() * sizeof(int64_t);
}
}  // namespace

// ----------------------------------------------------------------- store ---

uint64_t CatalogCache::generation() const {
  std::lock_guard lock(storeMutex_);
  return generation_;
}

bool CatalogCache::listingChangedAfter(uint64_t generation) const {
  std::lock_guard lock(storeMutex_);
  return listingChangedAt_ > generation || floor_ > generation;
}

bool CatalogCache::validLocked(const Entry& entry, Clock::time_point now) const {
  if (entry.generation < floor_) return false;
  if (writers_ == Writers::kForeignWriters && now - entry.storedAt >= kMaxAge) return false;
  if (entry.depends.listing && listingChangedAt_ > entry.generation) return false;
  for (const auto id : entry.depends.books) {
    auto it = bookChangedAt_.find(id);
    if (it != bookChangedAt_.end() && it->second > entry.generation) return false;
  }
  return true;
}

void CatalogCache::eraseLocked(std::unordered_map<std::string, Entry>::iterator it) {
  bytes_ -= it->second.bytes;
  recent_.erase(it->second.recent);
  entries_.erase(it);
}

std::shared_ptr<const void> CatalogCache::findErased(const std::string& key, Count count) {
  std::lock_guard lock(storeMutex_);
  const bool answer = count == Count::kAnswer;
  const auto now = writers_ == Writers::kForeignWriters ? Clock::now() : Clock::time_point{};
  auto it = entries_.find(key);
  if (it != entries_.end() && !validLocked(it->second, now)) {
    eraseLocked(it);
    it = entries_.end();
  }
  if (it == entries_.end()) {
    ++entryMisses_;
    if (answer) ++misses_;
    return nullptr;
  }
  recent_.splice(recent_.begin(), recent_, it->second.recent);
  ++entryHits_;
  if (answer) ++hits_;
  return it->second.value;
}

void CatalogCache::storeErased(const std::string& key, std::shared_ptr<const void> value,
                               size_t bytes, uint64_t generation, Depends depends) {
  const size_t total = bytes + overheadOf(key, depends);
  std::lock_guard lock(storeMutex_);
  if (auto it = entries_.find(key); it != entries_.end()) {
    // Keep the newer of two reads of one key (two requests that missed together).
    if (it->second.generation > generation) return;
    eraseLocked(it);
  }
  if (total > maxBytes_) return;
  const auto now = writers_ == Writers::kForeignWriters ? Clock::now() : Clock::time_point{};
  Entry entry{std::move(value), total, generation, std::move(depends), {}, now};
  // Read before a change that has been applied since: stale already.
  if (!validLocked(entry, now)) return;
  while (bytes_ + total > maxBytes_ && !recent_.empty()) {
    eraseLocked(entries_.find(recent_.back()));
    ++evictions_;
  }
  recent_.push_front(key);
  entry.recent = recent_.begin();
  bytes_ += total;
  entries_.emplace(key, std::move(entry));
}

void CatalogCache::dropEverythingLocked() {
  // Entries are not freed here (lookups drop them, eviction makes room):
  // raising the floor makes every one of them stale at once.
  ++dropsAll_;
  ++generation_;
  floor_ = generation_;
  bookChangedAt_.clear();
}

CatalogCache::Stats CatalogCache::stats() const {
  std::lock_guard lock(storeMutex_);
  return {hits_,  misses_,         entryHits_, entryMisses_, evictions_,        polls_,  applied_,
          bytes_, entries_.size(), maxBytes_,  dropsAll_,    seenAbove_.size(), horizon_};
}

// ------------------------------------------------------------ change log ---

// The log's ids are versions, but on MySQL/MariaDB an auto-increment id is
// taken when the row is inserted and becomes visible at the commit, so
// transactions can commit out of id order: a reader that only remembered
// the largest id it saw could step over a change committed a moment later
// with a smaller id and never drop what it affects. So the position is a
// horizon below which every id is known (applied, or given up), plus the ids
// applied above it; each poll reads everything above the horizon again (a
// few rows: only those younger than the oldest open gap). A missing id
// between applied ones is a gap: a transaction still committing, or one that
// rolled back (its id is never used). The insert is the last statement
// before each commit, so a real gap closes within a round trip; one still
// open kGapPatience after the first row above it was seen is given up, and
// everything cached is dropped to be safe (rare: a rollback after the
// insert means a failed commit or a writer killed mid-commit). Gaps seen
// together are given up together: the many that a crash leaves cost one
// drop, not one patience and one drop each.
// SQLite writes one transaction at a time and its AUTOINCREMENT reuses no
// rolled-back id, so there are no gaps there.
namespace {

// When a change-log row was written, on this replica's steady clock: now,
// less its age by the writer's clock (when older than kClockSkew; unknown
// ages count from now). A gap below a row written long ago (one a replica
// meets after a while without polling) is given up at once, not a
// patience later: it held no uncommitted write for that long.
CatalogCache::Clock::time_point sinceWritten(const db::CatalogChange& row,
                                             CatalogCache::Clock::time_point now) {
  constexpr int64_t kClockSkewSeconds = 2;
  if (row.createdAt <= 0) return now;
  const auto written = std::chrono::system_clock::from_time_t(row.createdAt);
  const auto age = std::chrono::system_clock::now() - written;
  if (age <= std::chrono::seconds(kClockSkewSeconds)) return now;
  return now - std::chrono::duration_cast<CatalogCache::Clock::duration>(
                   age - std::chrono::seconds(kClockSkewSeconds));
}

}  // namespace

int64_t CatalogCache::apply(const std::vector<db::CatalogChange>& rows, Clock::time_point now) {
  std::lock_guard lock(storeMutex_);
  for (const auto& row : rows) {
    if (row.id <= horizon_ || !seenAbove_.emplace(row.id, sinceWritten(row, now)).second) {
      continue;
    }
    ++generation_;
    ++applied_;
    bookChangedAt_[row.bookId] = generation_;
    if (row.listing) listingChangedAt_ = generation_;
  }
  if (bookChangedAt_.size() > kMaxChangeMarks) dropEverythingLocked();
  bool gaveUp = false;
  while (!seenAbove_.empty()) {
    const auto [lowest, seenAt] = *seenAbove_.begin();
    if (lowest == horizon_ + 1) {
      horizon_ = lowest;
      seenAbove_.erase(seenAbove_.begin());
      continue;
    }
    // A gap below `lowest`, open since `lowest` was seen at the latest.
    if (now - seenAt < kGapPatience) break;
    horizon_ = lowest - 1;  // given up; `lowest` is taken next turn
    gaveUp = true;
  }
  if (gaveUp) dropEverythingLocked();
  return rows.empty() ? horizon_ : std::max(horizon_, rows.back().id);
}

drogon::AsyncTask CatalogCache::poll(std::shared_ptr<CatalogCache> self) {
  std::exception_ptr error;
  try {
    const auto started = Clock::now();
    bool resync = false;
    {
      std::lock_guard lock(self->mutex_);
      resync = self->polledOnce_ && started - self->polledAt_ > kIdleResync;
    }
    if (!self->anchored_ || resync) {
      // Nothing cached predates this (or it is all dropped): start from the
      // newest id, less a window in which late commits are still awaited.
      // The window starts at its oldest row present (older ones were pruned
      // or never committed).
      const int64_t newest = co_await self->books_.latestChange();
      const int64_t windowStart = std::max<int64_t>(0, newest - kPollBatch);
      auto window = co_await self->books_.changesAfter(windowStart, 1);
      std::lock_guard lock(self->storeMutex_);
      if (self->anchored_) self->dropEverythingLocked();
      self->horizon_ = window.empty() ? newest : window.front().id - 1;
      self->seenAbove_.clear();
      self->anchored_ = true;
    }
    // Everything above the horizon, in batches.
    int64_t after = self->horizon_;
    for (;;) {
      auto rows = co_await self->books_.changesAfter(after, kPollBatch);
      {
        std::lock_guard lock(self->storeMutex_);
        ++self->polls_;
      }
      const bool more = static_cast<int64_t>(rows.size()) == kPollBatch;
      after = self->apply(rows, Clock::now());
      if (!more) break;
    }
  } catch (...) {
    error = std::current_exception();
  }
  self->finishPoll(error);
}

// ------------------------------------------------------------- freshness ---

bool CatalogCache::fresh() {
  const auto now = Clock::now();
  const auto version = changes_->version();
  bool launch = false;
  {
    std::lock_guard lock(mutex_);
    if (!polledOnce_ || polledVersion_ != version || now - polledAt_ >= kMaxAge) return false;
    if (now - polledAt_ >= kPollAfter && !polling_) {
      beginPollLocked(now);
      launch = true;
    }
  }
  if (launch) poll(shared_from_this());
  return true;
}

void CatalogCache::wait(Done done, bool pollAfterArrival) {
  const auto now = Clock::now();
  const auto version = changes_->version();
  bool launch = false;
  {
    std::lock_guard lock(mutex_);
    waiters_.push_back(Waiter{version, now, std::move(done), pollAfterArrival});
    if (!polling_) {
      beginPollLocked(now);
      launch = true;
    }
  }
  if (launch) poll(shared_from_this());
}

void CatalogCache::beginPollLocked(Clock::time_point now) {
  polling_ = true;
  pollStartedAt_ = now;
  // Read before the query starts: a write committed after this point bumps
  // the version again and forces another poll.
  pollVersion_ = changes_->version();
}

void CatalogCache::finishPoll(std::exception_ptr error) {
  std::vector<Waiter> satisfied;
  bool launch = false;
  {
    std::lock_guard lock(mutex_);
    polling_ = false;
    if (error) {
      satisfied.swap(waiters_);
    } else {
      polledAt_ = pollStartedAt_;
      polledVersion_ = pollVersion_;
      polledOnce_ = true;
      // A waiter is served by a poll that saw its own replica's writes and
      // is young enough; the others wait for the next poll.
      std::vector<Waiter> remaining;
      for (auto& waiter : waiters_) {
        const bool done = pollVersion_ >= waiter.neededVersion &&
                          (waiter.pollAfterArrival ? pollStartedAt_ >= waiter.arrivedAt
                                                   : pollStartedAt_ + kMaxAge > waiter.arrivedAt);
        (done ? satisfied : remaining).push_back(std::move(waiter));
      }
      waiters_.swap(remaining);
      if (!waiters_.empty()) {
        beginPollLocked(Clock::now());
        launch = true;
      }
    }
  }
  // Outside the lock: a poll may finish synchronously and call back here.
  if (launch) poll(shared_from_this());
  for (auto& waiter : satisfied) waiter.done(error);
}

}  // namespace bookstore::services
