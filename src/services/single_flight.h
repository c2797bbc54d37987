#pragma once

#include <trantor/net/EventLoop.h>

#include <coroutine>
#include <mutex>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "ops/blocking.h"

namespace bookstore::services {

// One database read per key at a time: the first request that misses a
// cache entry reads it; requests missing the same key meanwhile wait for it
// and then look in the cache again. Without it, the 64 requests of a burst
// that all miss one entry (a replica's first page, a new search, a listing
// change) run 64 identical reads — on a large catalog, 64 counts of the
// whole listing queued on a pool of two connections.
//
//   SingleFlight::Turn turn(flights, key);
//   const bool lead = co_await turn;  // false: another request read it; look again
//
// The turn ends (and wakes the waiters) when `turn` goes out of scope, on
// every way out, an exception included.
class SingleFlight {
 public:
  class Turn {
   public:
    Turn(SingleFlight& flights, std::string key) : flights_(flights), key_(std::move(key)) {}
    Turn(const Turn&) = delete;
    Turn& operator=(const Turn&) = delete;
    ~Turn() {
      if (leads_) flights_.finish(key_);
    }
    bool await_ready() {
      std::lock_guard lock(flights_.mutex_);
      auto [it, first] = flights_.waiting_.try_emplace(key_);
      leads_ = first;
      return first;
    }
    bool await_suspend(std::coroutine_handle<> handle) {
      auto* loop = trantor::EventLoop::getEventLoopOfCurrentThread();
      std::lock_guard lock(flights_.mutex_);
      auto it = flights_.waiting_.find(key_);
      if (it == flights_.waiting_.end()) {
        // The leader finished between await_ready and now: lead this one.
        flights_.waiting_.try_emplace(key_);
        leads_ = true;
        return false;
      }
      it->second.emplace_back(loop, handle);
      return true;
    }
    bool await_resume() const { return leads_; }

   private:
    SingleFlight& flights_;
    std::string key_;
    bool leads_ = false;
  };

 private:
  void finish(const std::string& key) {
    std::vector<std::pair<trantor::EventLoop*, std::coroutine_handle<>>> waiters;
    {
      std::lock_guard lock(mutex_);
      auto it = waiting_.find(key);
      if (it == waiting_.end()) return;
      waiters.swap(it->second);
      waiting_.erase(it);
    }
    for (auto& [loop, handle] : waiters) ops::resumeOn(loop, handle);
  }

  std::mutex mutex_;
  std::unordered_map<std::string,
                     std::vector<std::pair<trantor::EventLoop*, std::coroutine_handle<>>>>
      waiting_;
};

}  // namespace bookstore::services
