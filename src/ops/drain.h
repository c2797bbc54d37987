#pragma once

#include <atomic>
#include <cstdint>

namespace bookstore::ops {

// Shared between the signal handler, /health and the request advices: once
// draining, /health answers 503 while requests are still served, and the
// process exits only after the grace period and the last in-flight request.
class DrainState {
 public:
  bool draining() const { return draining_.load(std::memory_order_acquire); }
  // Returns false when a drain had already begun.
  bool beginDrain() { return !draining_.exchange(true, std::memory_order_acq_rel); }

  void requestStarted() { inFlight_.fetch_add(1, std::memory_order_relaxed); }
  void requestFinished() { inFlight_.fetch_sub(1, std::memory_order_relaxed); }
  int64_t inFlight() const { return inFlight_.load(std::memory_order_relaxed); }

 private:
  std::atomic<bool> draining_{false};
  std::atomic<int64_t> inFlight_{0};
};

}  // namespace bookstore::ops
