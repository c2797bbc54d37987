#include "ops/memory_trim.h"

#include <drogon/HttpAppFramework.h>

#include <memory>

#if defined(__GLIBC__)
#include <malloc.h>
#endif

namespace bookstore::ops {
namespace {

constexpr double kCheckSeconds = 0.5;
// At most this many requests finished since the previous check count as idle:
// load balancers' health checks (every 1 s or so) do not keep a replica busy.
constexpr uint64_t kIdleRequestsPerCheck = 2;
// A trickle of requests arms the trims too, once this many have finished.
constexpr uint64_t kRequestsToArm = 256;
// Trims after 1, 2, 4, 8 and 16 quiet checks (0.5 to 8 s): memory is also
// freed after its request, by timers that outlive it (a query's DB_TIMEOUT_MS
// timer, 3 s by default, keeps its callback until it fires).
constexpr unsigned kLastTrimCheck = 16;

struct TrimState {
  uint64_t lastSeen = 0;  // requests finished at the previous check
  uint64_t armedAt = 0;   // requests finished when the trims were last armed
  unsigned quietChecks = 0;
  bool armed = true;  // the first quiet checks after start trim too
};

void trim() {
#if defined(__GLIBC__)
  const int released = malloc_trim(0);
  LOG_DEBUG << "idle: malloc_trim " << (released ? "returned memory" : "had nothing to return");
#endif
}

void checkIdle(TrimState& state) {
  const uint64_t finished = detail::requestsFinished.load(std::memory_order_relaxed);
  const uint64_t recent = finished - state.lastSeen;
  state.lastSeen = finished;
  if (recent > kIdleRequestsPerCheck || finished - state.armedAt >= kRequestsToArm) {
    state.armed = true;
    state.armedAt = finished;
    state.quietChecks = 0;
    if (recent > kIdleRequestsPerCheck) return;  // busy
  }
  if (!state.armed) return;
  ++state.quietChecks;
  // Only at powers of two: 1, 2, 4, 8, 16.
  if ((state.quietChecks & (state.quietChecks - 1)) != 0) return;
  trim();
  if (state.quietChecks >= kLastTrimCheck) state.armed = false;
}

}  // namespace

void installIdleMemoryTrim() {
  drogon::app().registerBeginningAdvice([] {
    auto state = std::make_shared<TrimState>();
    drogon::app().getLoop()->runEvery(kCheckSeconds, [state] { checkIdle(*state); });
  });
}

}  // namespace bookstore::ops
