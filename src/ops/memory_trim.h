#pragma once

#include <atomic>
#include <cstdint>

namespace bookstore::ops {

namespace detail {
// Requests finished since the start; only compared between two checks.
alignas(64) inline std::atomic<uint64_t> requestsFinished{0};
}  // namespace detail

// Called once per finished request (one relaxed atomic increment).
inline void noteRequestFinished() {
  detail::requestsFinished.fetch_add(1, std::memory_order_relaxed);
}

// glibc keeps the heap freed after a burst of requests: RSS stays at the
// burst's level. A timer on the main loop counts the requests finished every
// 0.5 s; once a burst is over (at most 2 requests per check, so health checks
// count as idle), it calls malloc_trim(0) after 0.5, 1, 2, 4 and 8 s of quiet
// (never per request), which hands the free pages of every arena back to the
// system, then waits for the next burst (or 256 more requests).
void installIdleMemoryTrim();

}  // namespace bookstore::ops
